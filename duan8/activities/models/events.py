"""Events with their participant counts (sex × minority × age) or named participants, and the
files attached to an event or a group."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duan8.activities.models.common import AgeGroup, EthnicGroup, Sex
from duan8.activities.models.groups import CommunityGroup
from duan8.core.models import BaseModel


class Event(BaseModel):
    """Something carried out under a plan activity, on a day, in a unit."""

    class Kind(models.TextChoices):
        COMMUNICATION = "communication", _("Communication session")
        CAMPAIGN = "campaign", _("Communication campaign")
        CONTEST = "contest", _("Contest or festival")
        FORUM = "forum", _("Forum")
        TRAINING = "training", _("Training")
        NOMINATION = "nomination", _("Nominee list for training above")
        DIALOGUE = "dialogue", _("Policy dialogue")
        BROADCAST = "broadcast", _("Broadcast on the commune radio")
        SUPERVISION = "supervision", _("Supervision visit")
        REVIEW = "review", _("Review meeting")

    plan = models.ForeignKey(
        "programs.Plan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="events"
    )
    activity = models.ForeignKey(
        "programs.ProgramElement",
        verbose_name=_("plan activity"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    held_on = models.DateField(_("date"))
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("village or commune"),
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,  # event_unit_day (unit, day) serves a unit's events
    )
    place = models.CharField(_("place"), max_length=255, blank=True)
    organiser = models.CharField(_("organiser"), max_length=255, blank=True)
    group = models.ForeignKey(
        CommunityGroup,
        verbose_name=_("held by group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    cost = models.DecimalField(_("cost (VND)"), max_digits=14, decimal_places=0, default=0)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["plan", "kind"]),
            models.Index(fields=["held_on"]),
            # A unit's events by day (a commune's list, newest first: each village's range of
            # the year), not the country's events of the year joined to the commune's units.
            models.Index(fields=["org_unit", "held_on"], name="event_unit_day"),
            # The event form's default kind under each activity: the user's last event there
            # (``selectors.events.activity_kinds``), one index step per activity instead of a
            # scan of everything the user ever recorded.
            models.Index(
                fields=["recorded_by", "activity", "-created_at", "-id"],
                name="event_last_by_user",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="event_cost_not_negative"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("held_on")),
                name="event_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} {self.title}"


class ParticipantCount(BaseModel):
    """Participants of an event in one cell: sex × ethnic minority or not × age group."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="counts"
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    minority = models.BooleanField(_("ethnic minority"))
    age_group = models.CharField(_("age group"), max_length=5, choices=AgeGroup.choices)
    count = models.PositiveIntegerField(_("number"))

    class Meta:
        verbose_name = _("participant count")
        verbose_name_plural = _("participant counts")
        ordering = ["event", "sex", "-minority", "age_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "sex", "minority", "age_group"], name="participant_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sex}/{self.minority}/{self.age_group}: {self.count}"


class Participant(BaseModel):
    """A named participant or nominee of an event (training lists, nominee lists)."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participants"
    )
    full_name = models.CharField(_("full name"), max_length=120)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    ethnic_group = models.ForeignKey(
        EthnicGroup,
        verbose_name=_("ethnicity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=255, blank=True)
    workplace = models.CharField(_("workplace or village"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["event", "id"]

    def __str__(self) -> str:
        return self.full_name


class Attachment(BaseModel):
    """A file kept with an event or a group: photos, minutes, video, documents. Private."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        MINUTES = "minutes", _("Minutes")
        VIDEO = "video", _("Video")
        DOCUMENT = "document", _("Document")

    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    group = models.ForeignKey(
        CommunityGroup,
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(event__isnull=False) | models.Q(group__isnull=False),
                name="attachment_has_owner",
            )
        ]

    def __str__(self) -> str:
        return self.original_name
