"""Supervision by the Fatherland Front (MTTQ), the Women's Union or a community supervision
board: a session (what, where, when, who, how, its minutes), its findings with their evidence
(links to records the supervisor may read) and its recommendations, each addressed to a
responsible unit with a deadline and followed to its answer."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duan8.core.models import BaseModel


class Session(BaseModel):
    """Một cuộc giám sát: planned, then held (its minutes kept)."""

    class Body(models.TextChoices):
        FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front committee")
        WOMENS_UNION = "womens_union", _("Women's Union")
        COMMUNITY_BOARD = "community_board", _("Community supervision board")

    class Subject(models.TextChoices):
        ACTIVITY = "activity", _("A plan activity")
        EVENT = "event", _("An event")
        PAYMENT_LIST = "payment_list", _("A payment list of the mothers' packages")
        POLICY = "policy", _("A policy")

    class Method(models.TextChoices):
        DOCUMENTS = "documents", _("Document review")
        FIELD_VISIT = "field_visit", _("Field visit")
        INTERVIEWS = "interviews", _("Interviews")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("commune or village supervised"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.CharField(_("supervised by"), max_length=20, choices=Body.choices)
    title = models.CharField(_("title"), max_length=255)
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    activity = models.ForeignKey(
        "programs.ProgramElement",
        verbose_name=_("plan activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    event = models.ForeignKey(
        "activities.Event",
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    payment_list = models.ForeignKey(
        "mothers.PaymentList",
        verbose_name=_("payment list"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    policy = models.TextField(_("policy or content supervised"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    members = models.TextField(_("members"), blank=True, help_text=_("One person per line"))
    methods = models.JSONField(_("methods"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    minutes = models.FileField(_("minutes"), upload_to="supervision/%Y/", blank=True)
    minutes_name = models.CharField(_("file name"), max_length=255, blank=True)
    minutes_type = models.CharField(_("file type"), max_length=100, blank=True)
    minutes_size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    minutes_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="supervision_session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def member_list(self) -> list[str]:
        return [line.strip() for line in self.members.splitlines() if line.strip()]

    @property
    def method_labels(self) -> list[str]:
        labels = dict(self.Method.choices)
        return [str(labels[m]) for m in self.methods if m in labels]


class Finding(BaseModel):
    class Topic(models.TextChoices):
        TARGETING = "targeting", _("Who benefits (lists, eligibility)")
        PAYMENTS = "payments", _("Payments and money")
        ACTIVITIES = "activities", _("Carrying out the activities")
        PARTICIPATION = "participation", _("Participation of women and children")
        RECORDS = "records", _("Records and reporting")
        OTHER = "other", _("Other")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="findings"
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    text = models.TextField(_("finding"))
    events = models.ManyToManyField(
        "activities.Event", verbose_name=_("events"), blank=True, related_name="+"
    )
    groups = models.ManyToManyField(
        "activities.CommunityGroup", verbose_name=_("groups"), blank=True, related_name="+"
    )
    payment_lists = models.ManyToManyField(
        "mothers.PaymentList", verbose_name=_("payment lists"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["session", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Recommendation(BaseModel):
    """Một kiến nghị: to a responsible unit, by a deadline; answered there, then accepted by the
    supervisor or kept open."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered, waiting for the supervisor")
        ACCEPTED = "accepted", _("Answer accepted")

    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="recommendations",
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("finding"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    text = models.TextField(_("recommendation"))
    addressee = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    addressee_body = models.CharField(
        _("responsible body"), max_length=255, blank=True, help_text=_("e.g. UBND xã, Hội LHPN xã")
    )
    due_on = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    review_note = models.TextField(_("supervisor's note"), blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today


class PlanComment(BaseModel):
    """Phản biện xã hội: a comment of the Fatherland Front or the Women's Union on a draft plan's
    line, before approval, and how the plan's authors handled it."""

    class Handling(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        ACCEPTED = "accepted", _("Accepted")
        EXPLAINED = "explained", _("Not taken, explained")

    plan = models.ForeignKey(
        "programs.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="+"
    )
    line = models.ForeignKey(
        "programs.ProgramElement",
        verbose_name=_("plan line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    body = models.CharField(_("comment by"), max_length=20, choices=Session.Body.choices)
    text = models.TextField(_("comment"))
    handling = models.CharField(
        _("handling"), max_length=10, choices=Handling.choices, default=Handling.WAITING
    )
    reply = models.TextField(_("reply"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("comment on a draft plan")
        verbose_name_plural = _("comments on draft plans")
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.text[:80]
