"""What is carried out under a plan: community groups and their members, events with their
participants, women cadres, difficulties; the rules that turn these records into indicator
values; and the locks that approval puts on a unit's data for a period.

Records belong to the unit where the work happens (a village, or the commune itself), so
progress rolls up by the unit path and survives later changes of the map.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duan8.core.models import BaseModel

# Children are persons under 16 (Luật Trẻ em 2016, Điều 1).
CHILD_AGE_LIMIT = 16


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class AgeGroup(models.TextChoices):
    CHILD = "child", _("Child (under 16)")
    ADULT = "adult", _("Adult")


def age_group_for(birth_year: int | None, on: datetime.date) -> str | None:
    if birth_year is None:
        return None
    return AgeGroup.CHILD if on.year - birth_year < CHILD_AGE_LIMIT else AgeGroup.ADULT


class EthnicGroup(BaseModel):
    """One of the 54 ethnic groups (Danh mục các dân tộc Việt Nam, QĐ 121-TCTK/PPCĐ 1979)."""

    code_system = models.CharField(_("code list"), max_length=40, default="qd121_tctk_1979")
    code = models.CharField(_("code"), max_length=4)
    name = models.CharField(_("name"), max_length=60)
    aliases = models.CharField(
        _("other spellings"), max_length=120, blank=True, help_text=_("Separated by ';'")
    )
    is_minority = models.BooleanField(_("ethnic minority"), default=True)

    class Meta:
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")
        ordering = ["code_system", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code_system", "code"], name="ethnic_group_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CommunityGroup(BaseModel):
    """A community model: communication team, club, trusted address, livelihood group, ..."""

    class Kind(models.TextChoices):
        COMMUNICATION_TEAM = "communication_team", _("Community communication team")
        CHANGE_CLUB = "change_club", _("“Leaders of change” club")
        TRUSTED_ADDRESS = "trusted_address", _("Trusted address")
        LIVELIHOOD_GROUP = "livelihood_group", _("Livelihood group")
        COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group")
        COOPERATIVE = "cooperative", _("Cooperative")

    class WomenLeadership(models.TextChoices):
        NONE = "", _("Not applicable")
        LEAD = "lead", _("Led by a woman")
        CO_LEAD = "co_lead", _("Co-led by a woman")

    class Channel(models.TextChoices):
        NONE = "", _("None")
        ZALO = "zalo", _("Zalo group")
        FACEBOOK = "facebook", _("Facebook group")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("village or commune"),
        on_delete=models.PROTECT,
        related_name="community_groups",
    )
    school = models.CharField(
        _("school"), max_length=255, blank=True, help_text=_("For clubs held at a school")
    )
    founded_on = models.DateField(_("date founded"))
    plan = models.ForeignKey(
        "programs.Plan",
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="community_groups",
    )
    women_leadership = models.CharField(
        _("women's leadership"),
        max_length=10,
        choices=WomenLeadership.choices,
        blank=True,
        default="",
    )
    channel = models.CharField(
        _("digital channel"), max_length=10, choices=Channel.choices, blank=True, default=""
    )
    channel_address = models.CharField(_("channel address or name"), max_length=255, blank=True)
    equipment = models.TextField(_("equipment received"), blank=True, help_text=_("One per line"))
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("community group")
        verbose_name_plural = _("community groups")
        ordering = ["org_unit__path", "kind", "name"]
        indexes = [models.Index(fields=["kind", "founded_on"])]

    def __str__(self) -> str:
        return self.name


class CommunityGroupStatus(BaseModel):
    """The group's status from a date on; the status on a day is the latest one before it."""

    class Status(models.TextChoices):
        FOUNDED = "founded", _("Founded")
        MAINTAINED = "maintained", _("Maintained")
        PAUSED = "paused", _("Paused")
        DISSOLVED = "dissolved", _("Dissolved")

    group = models.ForeignKey(
        CommunityGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="statuses"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    on = models.DateField(_("from"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("group status")
        verbose_name_plural = _("group statuses")
        ordering = ["group", "on", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.on:%d/%m/%Y}"


class CommunityGroupMember(BaseModel):
    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        DEPUTY = "deputy", _("Deputy leader")
        CORE = "core", _("Core member")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(
        CommunityGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="members"
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
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["group", "joined_on", "full_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="member_left_after_joined",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def is_member_on(self, day: datetime.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)


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


class WomanCadre(BaseModel):
    """An ethnic-minority woman cadre in a leadership position, planned, or nominated (ND3 HĐ4)."""

    class Status(models.TextChoices):
        IN_POSITION = "in_position", _("In a leadership position")
        PLANNED = "planned", _("In the leadership pipeline (quy hoạch)")
        NOMINATED = "nominated", _("Nominated for training")
        TRAINED = "trained", _("Trained")

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="women_cadres",
    )
    full_name = models.CharField(_("full name"), max_length=120)
    ethnic_group = models.ForeignKey(
        EthnicGroup, verbose_name=_("ethnicity"), on_delete=models.PROTECT, related_name="+"
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=255)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    since = models.DateField(_("from"))
    until = models.DateField(_("until"), null=True, blank=True)
    plan = models.ForeignKey(
        "programs.Plan",
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="women_cadres",
    )
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("woman cadre")
        verbose_name_plural = _("women cadres")
        ordering = ["org_unit__path", "full_name", "id"]

    def __str__(self) -> str:
        return self.full_name


class Difficulty(BaseModel):
    """A difficulty (vướng mắc) raised by a village or agency, handled by the commune WU and
    escalated to the commune People's Committee when beyond its authority."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ESCALATED = "escalated", _("Escalated to the commune People's Committee")
        ANSWERED = "answered", _("Answered")
        RESOLVED = "resolved", _("Resolved")

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("raised in"),
        on_delete=models.PROTECT,
        related_name="difficulties",
    )
    plan = models.ForeignKey(
        "programs.Plan",
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="difficulties",
    )
    activity = models.ForeignKey(
        "programs.ProgramElement",
        verbose_name=_("plan activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    raised_by = models.CharField(_("raised by"), max_length=255)
    raised_on = models.DateField(_("raised on"))
    description = models.TextField(_("difficulty"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    escalated_to = models.CharField(_("escalated to"), max_length=255, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.CharField(_("answered by"), max_length=255, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("difficulty")
        verbose_name_plural = _("difficulties")
        ordering = ["-raised_on", "-id"]

    def __str__(self) -> str:
        return self.description[:80]


class IndicatorRule(BaseModel):
    """How an indicator's actual value is computed from records: data, not code.

    ``source`` picks the records, ``filters`` narrows them (JSON); the keys each source takes,
    and what they mean in SQL and on a fetched row, are declared once in
    ``duan8.activities.rule_filters.SOURCES``. An indicator with several rules takes their sum.
    """

    class Source(models.TextChoices):
        GROUPS = "groups", _("Community groups active in the year")
        MEMBERS = "members", _("Members of community groups")
        EVENTS = "events", _("Events of the plan")
        PARTICIPANTS = "participants", _("Participants of events of the plan")
        CADRES = "cadres", _("Women cadres")
        DIFFICULTIES = "difficulties", _("Difficulties")

    element = models.ForeignKey(
        "programs.ProgramElement",
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="rules",
    )
    source = models.CharField(_("records"), max_length=20, choices=Source.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator rule")
        verbose_name_plural = _("indicator rules")
        ordering = ["element__order", "order", "id"]

    def __str__(self) -> str:
        return f"{self.element.code}: {self.get_source_display()}"


class DataLock(BaseModel):
    """Approval of a report locks a unit's records (and those of the units below) for a period.

    Services refuse to create, change or delete a record whose unit and date fall in a lock.
    """

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    reason = models.CharField(_("reason"), max_length=255)
    source = models.CharField(
        _("locked by"), max_length=120, blank=True, help_text=_("e.g. the approved report")
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("locked by user"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("data lock")
        verbose_name_plural = _("data locks")
        ordering = ["org_unit__path", "period_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="data_lock_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"
