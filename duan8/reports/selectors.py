"""Reads of reports: the deadlines the schedules give, a unit's reports, completeness and
timeliness for the level above, reminders.

A deadline is computed from a schedule and a year, never stored: 15/9 of every year while the
rule applies. Reports exist only once someone starts one. Units are taken as the map stood on each
due date: the communes of huyện Ba Tơ for 15/9/2023, those of the new tỉnh Quảng Ngãi for
15/9/2025.
"""

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import Membership, User
from duan8.activities.models import Event
from duan8.core.audit import NotVisible
from duan8.orgunits.access import active_memberships, can
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_ancestors, org_units_visible_to
from duan8.reports.models import Report, ReportSchedule, ReportStep

VIEW = "records.view"
EDIT = "plans.edit"
REVIEW = "reports.review"
OVERDUE_WINDOW_DAYS = 365  # reminders name overdue deadlines of the last year only


@dataclass(frozen=True)
class Deadline:
    schedule: ReportSchedule
    due_on: datetime.date
    period_start: datetime.date
    period_end: datetime.date

    @property
    def key(self) -> tuple[int, datetime.date]:
        return (self.schedule.pk, self.due_on)


def _quarters(year: int) -> list[tuple[datetime.date, datetime.date]]:
    ends = [(3, 31), (6, 30), (9, 30), (12, 31)]
    return [
        (datetime.date(year, month - 2, 1), datetime.date(year, month, day)) for month, day in ends
    ]


def schedule_deadlines(schedule: ReportSchedule, year: int) -> list[Deadline]:
    """The deadlines of ``schedule`` for the figures of ``year`` (the update of 2023 is due on
    31/01/2024), those on days the rule applies. Reports on request have none of their own."""
    found: list[Deadline] = []
    if schedule.kind == ReportSchedule.Kind.QUARTERLY:
        found = [Deadline(schedule, end, start, end) for start, end in _quarters(year)]
    elif schedule.kind == ReportSchedule.Kind.ANNUAL and schedule.due_month and schedule.due_day:
        try:
            due = datetime.date(
                year + schedule.due_year_offset, schedule.due_month, schedule.due_day
            )
        except ValueError:  # 29/2 in a common year
            due = datetime.date(year + schedule.due_year_offset, schedule.due_month, 28)
        if schedule.period_kind == ReportSchedule.PeriodKind.PREVIOUS_YEAR:
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        else:
            start, end = datetime.date(year, 1, 1), due
        found = [Deadline(schedule, due, start, end)]
    return [d for d in found if schedule.applies_on(d.due_on)]


def schedules_all() -> list[ReportSchedule]:
    return list(ReportSchedule.objects.all())


def deadlines_for_year(
    year: int, *, level: int = OrgUnit.Level.COMMUNE, schedules: list[ReportSchedule] | None = None
) -> list[Deadline]:
    """Every periodic deadline of units at ``level`` for the figures of ``year``, by due date."""
    deadlines = [
        deadline
        for schedule in (schedules if schedules is not None else schedules_all())
        if schedule.reporting_level == level
        for deadline in schedule_deadlines(schedule, year)
    ]
    return sorted(deadlines, key=lambda d: (d.due_on, d.schedule.order, d.schedule.code))


def deadline_find(schedule: ReportSchedule, due_on: datetime.date) -> Deadline | None:
    """The periodic deadline of ``schedule`` on ``due_on``, if the schedule has one that day."""
    for year in (due_on.year - schedule.due_year_offset, due_on.year):
        for deadline in schedule_deadlines(schedule, year):
            if deadline.due_on == due_on:
                return deadline
    return None


def recipient_unit_for(unit: OrgUnit, level: int) -> OrgUnit | None:
    """The unit at ``level`` above ``unit`` (or the unit itself at its own level). Units are never
    moved, so this is the unit above as the map stood while ``unit`` existed."""
    if unit.level == level:
        return unit
    return next((a for a in org_unit_ancestors(unit) if a.level == level), None)


def _valid_on(unit: OrgUnit, day: datetime.date) -> bool:
    return unit.is_valid_on(day)


# --- one report ---------------------------------------------------------------------------------


def report_get(*, actor: User, report_id: int) -> Report:
    """The report, if the actor may see the records of its unit (reviewers above may); else 404."""
    report = (
        Report.objects.select_related(
            "schedule", "org_unit", "recipient_unit", "submitted_by", "reviewed_by", "lock"
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None or not can(actor, VIEW, report.org_unit):
        raise NotVisible
    return report


def report_steps(report: Report) -> list[ReportStep]:
    return list(report.steps.select_related("actor").order_by("created_at", "pk"))


def report_latest_return(steps: list[ReportStep]) -> ReportStep | None:
    """The last comment that sent the report back (returned, or unlocked and reopened), while it
    is still the last word: a report submitted again after it no longer shows it on top."""
    sent_back = (ReportStep.Action.RETURNED, ReportStep.Action.UNLOCKED)
    reopened = (ReportStep.Action.SUBMITTED, ReportStep.Action.RESUBMITTED)
    for step in reversed(steps):
        if step.action in reopened:
            return None
        if step.action in sent_back and step.comment:
            return step
    return None


# --- who signs a report -------------------------------------------------------------------------

PEOPLE_COMMITTEE = "people_committee"
WOMEN_UNION = "women_union"
# The role whose holder signs for each issuing body of a commune ("TM. ỦY BAN NHÂN DÂN / CHỦ
# TỊCH": the People's Committee's chairman; "TM. BAN CHẤP HÀNH / CHỦ TỊCH": the chairwoman of the
# commune's Women's Union, the commune's Women's Union officer). A schedule may name another one
# in its document settings ("signer_role").
SIGNER_ROLES = {PEOPLE_COMMITTEE: "commune_leader", WOMEN_UNION: "commune_wu_officer"}


def report_issuer(schedule: ReportSchedule) -> str:
    """Which body issues the schedule's reports, as its document settings say: their "issuer"
    key, else the agency and signature lines ("Ủy ban nhân dân" / "TM. ỦY BAN NHÂN DÂN" or
    "Hội LHPN" / "TM. BAN CHẤP HÀNH"); "" when they say neither."""
    document = schedule.document or {}
    if document.get("issuer") in SIGNER_ROLES:
        return str(document["issuer"])
    lines = []
    for key in ("agency", "signature"):
        raw = document.get(key) or []
        lines += [raw] if isinstance(raw, str) else [str(item) for item in raw]
    text = " ".join(unicodedata.normalize("NFC", line).upper() for line in lines)
    if "ỦY BAN NHÂN DÂN" in text or "UỶ BAN NHÂN DÂN" in text or "UBND" in text:
        return PEOPLE_COMMITTEE
    if any(word in text for word in ("HỘI LHPN", "HỘI LIÊN HIỆP PHỤ NỮ", "BAN CHẤP HÀNH")):
        return WOMEN_UNION
    return ""


def report_signer_name(report: Report) -> str:
    """The name printed under the signature: the one person holding the issuing body's signing
    role in the reporting unit on the report's date (an active account). "" when nobody or
    several hold it (a chairman and his deputies share the commune leaders' role): the title is
    printed and the name is written by hand. Never simply the person who submitted it."""
    document = report.schedule.document or {}
    role = document.get("signer_role") or SIGNER_ROLES.get(report_issuer(report.schedule))
    if not role:
        return ""
    day = report.document_date
    holders = {
        m.user
        for m in Membership.objects.filter(
            org_unit=report.org_unit, role__code=role, user__is_active=True
        ).select_related("user")
        if m.is_active_on(day)
    }
    if len(holders) != 1:
        return ""
    return holders.pop().full_name.strip()


def report_can(actor: User, report: Report) -> dict[str, bool]:
    """Which actions the page offers (the services check again)."""
    editor = can(actor, EDIT, report.org_unit)
    reviewer = can(actor, REVIEW, report.recipient_unit)
    status = report.status
    return {
        "edit": editor and report.is_editable,
        "submit": editor and report.is_editable,
        "review": reviewer and status == Report.Status.SUBMITTED,
        "unlock": reviewer and status == Report.Status.APPROVED,
    }


# --- a unit's reports ---------------------------------------------------------------------------


def report_year_default(unit: OrgUnit, years: list[int]) -> int:
    """The year the report and completeness pages of ``unit`` open on: the latest of ``years``
    with data in or under the unit (a report whose period ends in it, or an event held in it),
    else the latest of ``years`` (this year, or the unit's last one). An empty 2026 no longer
    hides the 2023 a commune actually worked and reported on."""
    first, last = min(years), max(years)
    found = [
        Report.objects.filter(
            org_unit__path__startswith=unit.path,
            period_end__year__gte=first,
            period_end__year__lte=last,
        ).aggregate(day=Max("period_end"))["day"],
        Event.objects.filter(
            org_unit__path__startswith=unit.path,
            held_on__year__gte=first,
            held_on__year__lte=last,
        ).aggregate(day=Max("held_on"))["day"],
    ]
    with_data = {day.year for day in found if day is not None} & set(years)
    return max(with_data) if with_data else last


@dataclass
class DeadlineRow:
    deadline: Deadline
    report: Report | None
    recipient: OrgUnit | None

    @property
    def is_overdue(self) -> bool:
        return (self.report is None or not self.report.is_submitted) and (
            self.deadline.due_on < timezone.localdate()
        )


def unit_report_rows(*, actor: User, unit: OrgUnit, year: int) -> list[DeadlineRow]:
    """The deadlines of ``unit`` for the figures of ``year`` with the reports started, plus the
    reports requested from it. Queries: the unit's ancestors, the schedules, its reports."""
    if not can(actor, VIEW, unit):
        raise NotVisible
    ancestors = org_unit_ancestors(unit)
    above = {a.level: a for a in ancestors}
    above[unit.level] = unit
    deadlines = [d for d in deadlines_for_year(year, level=unit.level) if _valid_on(unit, d.due_on)]
    reports = {
        (r.schedule_id, r.due_on): r
        for r in Report.objects.filter(
            org_unit=unit,
            due_on__gte=datetime.date(year, 1, 1),
            due_on__lte=datetime.date(year + 1, 12, 31),
        ).select_related("schedule", "recipient_unit")
    }
    rows = [
        DeadlineRow(d, reports.pop(d.key, None), above.get(d.schedule.recipient_level))
        for d in deadlines
    ]
    for report in reports.values():
        if report.schedule.is_on_request and report.period_end.year == year:
            deadline = Deadline(
                report.schedule, report.due_on, report.period_start, report.period_end
            )
            rows.append(DeadlineRow(deadline, report, report.recipient_unit))
    return sorted(rows, key=lambda r: (r.deadline.due_on, r.deadline.schedule.order))


def reporting_units_of(actor: User) -> list[OrgUnit]:
    """The communes whose reports the actor writes (a role with ``plans.edit`` in the commune)."""
    units = {
        m.org_unit.pk: m.org_unit
        for m in active_memberships(actor)
        if EDIT in m.role.permissions and m.org_unit.level == OrgUnit.Level.COMMUNE
    }
    return sorted(units.values(), key=lambda u: u.path)


def review_units_of(actor: User) -> list[OrgUnit]:
    """The units where the actor reviews reports (a role with ``reports.review``)."""
    units = {
        m.org_unit.pk: m.org_unit for m in active_memberships(actor) if REVIEW in m.role.permissions
    }
    return sorted(units.values(), key=lambda u: u.path)


# --- completeness and timeliness ----------------------------------------------------------------


class State:
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    WAITING = "waiting"  # not submitted, not yet due


def report_state(report: Report | None, due_on: datetime.date, today: datetime.date) -> str:
    if report is not None and report.first_submitted_at is not None:
        return State.ON_TIME if report.submitted_on_time() else State.LATE
    return State.MISSING if due_on < today else State.WAITING


@dataclass
class UnitState:
    unit: OrgUnit
    report: Report | None
    state: str


@dataclass
class DeadlineCompleteness:
    deadline: Deadline
    rows: list[UnitState] = field(default_factory=list)

    def _count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    def _percent(self, count: int) -> int | None:
        return round(100 * count / len(self.rows)) if self.rows else None

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def on_time(self) -> int:
        return self._count(State.ON_TIME)

    @property
    def late(self) -> int:
        return self._count(State.LATE)

    @property
    def missing(self) -> int:
        return self._count(State.MISSING)

    @property
    def waiting(self) -> int:
        return self._count(State.WAITING)

    @property
    def approved(self) -> int:
        return sum(1 for r in self.rows if r.report and r.report.status == Report.Status.APPROVED)

    @property
    def on_time_percent(self) -> int | None:
        return self._percent(self.on_time)

    @property
    def late_percent(self) -> int | None:
        return self._percent(self.late)

    @property
    def missing_percent(self) -> int | None:
        return self._percent(self.missing)

    @property
    def reported_percent(self) -> int | None:
        return self._percent(self.on_time + self.late)


def completeness(
    *,
    actor: User,
    area: OrgUnit,
    year: int,
    schedule: ReportSchedule | None = None,
    today: datetime.date | None = None,
) -> list[DeadlineCompleteness]:
    """For each deadline of ``year`` (or of one schedule), the units under ``area`` that had to
    report (as the map stood on the due date) and whether each reported on time, late or not at
    all. Reports on request count for the units they were asked of.

    For reviewers: the actor needs ``reports.review`` in ``area`` (or above). Queries: the
    schedules, the units, the reports — whatever the number of units.
    """
    if not org_units_visible_to(actor, VIEW).filter(pk=area.pk).exists():
        raise NotVisible
    if not can(actor, REVIEW, area):
        raise PermissionDenied(
            _("Only reviewers of %(unit)s see its completeness.") % {"unit": area.full_name}
        )
    today = today or timezone.localdate()
    schedules = [schedule] if schedule is not None else schedules_all()
    level = OrgUnit.Level.COMMUNE
    units = list(OrgUnit.objects.filter(path__startswith=area.path, level=level).order_by("path"))
    deadlines = deadlines_for_year(year, level=level, schedules=schedules)
    reports = list(
        Report.objects.filter(
            org_unit__path__startswith=area.path,
            due_on__gte=datetime.date(year, 1, 1),
            due_on__lte=datetime.date(year + 1, 12, 31),
            schedule__in=schedules,
        ).select_related("schedule", "org_unit")
    )
    by_key = {(r.schedule_id, r.due_on, r.org_unit_id): r for r in reports}
    result = []
    for deadline in deadlines:
        expected = [u for u in units if _valid_on(u, deadline.due_on)]
        if not expected:
            continue
        rows = []
        for unit in expected:
            report = by_key.get((deadline.schedule.pk, deadline.due_on, unit.pk))
            rows.append(UnitState(unit, report, report_state(report, deadline.due_on, today)))
        result.append(DeadlineCompleteness(deadline, rows))
    requested: dict[tuple[int, datetime.date], DeadlineCompleteness] = {}
    for report in reports:
        if not report.schedule.is_on_request or report.period_end.year != year:
            continue
        key = (report.schedule_id, report.due_on)
        if key not in requested:
            requested[key] = DeadlineCompleteness(
                Deadline(report.schedule, report.due_on, report.period_start, report.period_end)
            )
        requested[key].rows.append(
            UnitState(report.org_unit, report, report_state(report, report.due_on, today))
        )
    result.extend(requested.values())
    return sorted(result, key=lambda c: (c.deadline.due_on, c.deadline.schedule.order))


# --- reminders ----------------------------------------------------------------------------------


class Reminder:
    DUE = "due"
    OVERDUE = "overdue"
    RETURNED = "returned"
    TO_REVIEW = "to_review"


@dataclass
class ReminderItem:
    kind: str
    unit: OrgUnit
    schedule: ReportSchedule
    due_on: datetime.date
    report: Report | None
    days_left: int

    @property
    def days_late(self) -> int:
        return -self.days_left


def report_reminders(
    *, actor: User, today: datetime.date | None = None, days: int = 14
) -> list[ReminderItem]:
    """What the actor must do about reports: deadlines of their communes due within ``days`` or
    overdue (within the last year) and not yet submitted, reports returned to them, and reports
    sent to their unit waiting for review. Queries: memberships, schedules, the communes' reports,
    the reports to review — constant."""
    today = today or timezone.localdate()
    items: list[ReminderItem] = []
    communes = reporting_units_of(actor)
    if communes:
        horizon = today + datetime.timedelta(days=days)
        oldest = today - datetime.timedelta(days=OVERDUE_WINDOW_DAYS)
        reports = list(
            Report.objects.filter(org_unit__in=communes)
            .filter(Q(due_on__gte=oldest) | Q(status=Report.Status.RETURNED))
            .select_related("schedule", "org_unit")
        )
        by_key = {(r.schedule_id, r.due_on, r.org_unit_id): r for r in reports}

        def item(
            kind: str,
            unit: OrgUnit,
            schedule: ReportSchedule,
            due_on: datetime.date,
            report: Report | None,
        ) -> ReminderItem:
            return ReminderItem(kind, unit, schedule, due_on, report, (due_on - today).days)

        def timing(due_on: datetime.date) -> str:
            return Reminder.OVERDUE if due_on < today else Reminder.DUE

        schedules = schedules_all()
        for year in range(oldest.year - 1, horizon.year + 1):
            for deadline in deadlines_for_year(year, schedules=schedules):
                if not oldest <= deadline.due_on <= horizon:
                    continue
                for unit in communes:
                    report = by_key.get((deadline.schedule.pk, deadline.due_on, unit.pk))
                    if _valid_on(unit, deadline.due_on) and (
                        report is None or report.status == Report.Status.DRAFT
                    ):
                        due = deadline.due_on
                        items.append(item(timing(due), unit, deadline.schedule, due, report))
        for report in reports:
            if report.status == Report.Status.RETURNED:
                items.append(
                    item(Reminder.RETURNED, report.org_unit, report.schedule, report.due_on, report)
                )
            elif (
                report.schedule.is_on_request
                and report.status == Report.Status.DRAFT
                and report.due_on <= horizon
            ):
                items.append(
                    item(
                        timing(report.due_on),
                        report.org_unit,
                        report.schedule,
                        report.due_on,
                        report,
                    )
                )
    review_units = review_units_of(actor)
    if review_units:
        for report in Report.objects.filter(
            recipient_unit__in=review_units, status=Report.Status.SUBMITTED
        ).select_related("schedule", "org_unit"):
            items.append(
                ReminderItem(
                    Reminder.TO_REVIEW,
                    report.org_unit,
                    report.schedule,
                    report.due_on,
                    report,
                    (report.due_on - today).days,
                )
            )
    order = {Reminder.RETURNED: 0, Reminder.OVERDUE: 1, Reminder.DUE: 2, Reminder.TO_REVIEW: 3}
    return sorted(items, key=lambda i: (order[i.kind], i.due_on, i.unit.path, i.schedule.order))


def reports_for_review(*, actor: User) -> QuerySet[Report]:
    """Submitted reports addressed to a unit where the actor reviews (not those of the levels
    below, which their own reviewers handle)."""
    units = review_units_of(actor)
    if not units:
        return Report.objects.none()
    return (
        Report.objects.filter(recipient_unit__in=units, status=Report.Status.SUBMITTED)
        .select_related("schedule", "org_unit")
        .order_by("due_on", "org_unit__path")
    )
