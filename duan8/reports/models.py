"""Reports to the level above: when each is due (schedules, as data), the reports themselves, and
what happened to each (history).

A schedule says which unit level reports to which level, on which day of the year, for which
period, between which dates the rule applies (TT 01/2022/TT-UBDT until 30/6/2025; the two-tier
map from 1/7/2025). A report is one unit's answer to one deadline: narrative parts written by
people, figures filled from the records (kept as a snapshot from submission on), a status and a
version against lost updates.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duan8.core.models import BaseModel


class ReportSchedule(BaseModel):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Every year")
        QUARTERLY = "quarterly", _("Every quarter")
        AD_HOC = "ad_hoc", _("Ad hoc, on request")
        MID_TERM = "mid_term", _("Mid-term review, on request")
        FINAL = "final", _("Final review, on request")

    class Channel(models.TextChoices):
        WOMEN_UNION = "women_union", _("Women's Union")
        GOVERNMENT = "government", _("Government (national target program)")

    class PeriodKind(models.TextChoices):
        YEAR_TO_DATE = "year_to_date", _("From 1 January to the due date")
        PREVIOUS_YEAR = "previous_year", _("The whole previous year")
        QUARTER = "quarter", _("The quarter")
        REQUESTED = "requested", _("As requested")

    ON_REQUEST = (Kind.AD_HOC, Kind.MID_TERM, Kind.FINAL)

    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    reporter = models.CharField(
        _("reporting body"), max_length=120, help_text=_("e.g. Hội LHPN xã, UBND xã")
    )
    reporting_level = models.PositiveSmallIntegerField(_("reporting level"))
    recipient_level = models.PositiveSmallIntegerField(
        _("recipient level"), help_text=_("The level that reviews and approves the report")
    )
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("One per line"))
    due_month = models.PositiveSmallIntegerField(_("due month"), null=True, blank=True)
    due_day = models.PositiveSmallIntegerField(_("due day"), null=True, blank=True)
    due_year_offset = models.PositiveSmallIntegerField(
        _("due in the year after the period"), default=0
    )
    period_kind = models.CharField(_("period"), max_length=20, choices=PeriodKind.choices)
    valid_from = models.DateField(_("applies to deadlines from"), null=True, blank=True)
    valid_to = models.DateField(_("applies to deadlines until"), null=True, blank=True)
    document = models.JSONField(
        _("document settings"),
        default=dict,
        blank=True,
        help_text=_("Issuer lines, symbol, summary, recipients and signature of the Word file"),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_on_request(self) -> bool:
        return self.kind in self.ON_REQUEST

    def applies_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    @property
    def document_symbol(self) -> str:
        """ "BC-UBND", "BC-HPN": the symbol after the number; it also names the issuing body
        (the People's Committee or the Women's Union of the unit), which numbers its own."""
        return str((self.document or {}).get("symbol") or "BC")


class Report(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")

    schedule = models.ForeignKey(
        ReportSchedule, verbose_name=_("schedule"), on_delete=models.PROTECT, related_name="reports"
    )
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("reporting unit"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    recipient_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("reviewing unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The unit above the reporting unit, on the map of the due date"),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    results = models.TextField(_("results"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    request_note = models.TextField(_("what was requested"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    figures = models.JSONField(
        _("figures at submission"),
        null=True,
        blank=True,
        help_text=_("Filled from the records when submitted; never changed once approved"),
    )
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lock = models.ForeignKey(
        "activities.DataLock",
        verbose_name=_("data lock"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # The document number ("12/BC-UBND"), given at the first approval: the issuing body's next
    # number in the year of the report's date (its submission), counted per unit and symbol.
    number = models.PositiveIntegerField(_("document number"), null=True, blank=True)
    number_year = models.PositiveSmallIntegerField(_("year of the number"), null=True, blank=True)
    number_symbol = models.CharField(_("document symbol"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["due_on", "schedule__order", "org_unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "org_unit", "due_on"], name="report_one_per_deadline"
            ),
            models.UniqueConstraint(
                fields=["org_unit", "number_symbol", "number_year", "number"],
                condition=models.Q(number__isnull=False),
                name="report_number_once_per_issuer_and_year",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["due_on", "status"])]

    def __str__(self) -> str:
        return f"{self.schedule.name} — {self.org_unit} ({self.due_on:%d/%m/%Y})"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def document_number(self) -> str:
        """ "12/BC-UBND" once approved; empty before (the number is left blank on paper)."""
        if self.number is None:
            return ""
        return f"{self.number}/{self.number_symbol}"

    @property
    def document_date(self) -> datetime.date:
        """The date the document carries: the day it was (last) submitted, else its due date."""
        if self.submitted_at is not None:
            return timezone.localdate(self.submitted_at)
        return self.due_on

    @property
    def is_submitted(self) -> bool:
        return self.first_submitted_at is not None

    def submitted_on_time(self) -> bool | None:
        """Whether the first submission came by the due date (local time); None if never."""
        if self.first_submitted_at is None:
            return None
        return timezone.localdate(self.first_submitted_at) <= self.due_on


class ReportStep(BaseModel):
    """One step of a report's history: who did what, when, with which comment."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("requested")
        CREATED = "created", _("started")
        SAVED = "saved", _("edited")
        SUBMITTED = "submitted", _("submitted")
        RESUBMITTED = "resubmitted", _("resubmitted")
        RETURNED = "returned", _("returned with comments")
        APPROVED = "approved", _("approved, data locked")
        UNLOCKED = "unlocked", _("unlocked and reopened")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("by (name)"), max_length=150, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(_("status after"), max_length=20, choices=Report.Status.choices)

    class Meta:
        verbose_name = _("report step")
        verbose_name_plural = _("report steps")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action} {self.created_at:%d/%m/%Y %H:%M}"
