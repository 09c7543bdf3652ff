"""Women cadres, difficulties, the indicator rules that turn records into values, and the locks
approval puts on a unit's data for a period."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duan8.activities.models.common import EthnicGroup
from duan8.core.models import BaseModel


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
