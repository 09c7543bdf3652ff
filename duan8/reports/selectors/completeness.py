"""Completeness and timeliness of the reports, for the level above: units taken as the map
stood on each due date."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, FilteredRelation, Max, Min, Q, QuerySet, Value
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.core.audit import NotVisible
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.reports.models import Report, ReportSchedule
from duan8.reports.selectors.deadlines import (
    REVIEW,
    VIEW,
    Deadline,
    deadlines_for_year,
    schedules_all,
)


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
        expected = [u for u in units if u.is_valid_on(deadline.due_on)]
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


# --- the summary by the units under an area: counted, filtered and paged in the database --------

PER_PAGE = 50
STATUSES = (State.ON_TIME, State.LATE, State.MISSING, "returned", State.WAITING)
RETURNED = "returned"


Rows = QuerySet[Any, tuple[Any, ...]]  # grouped rows: key, deadline index, counts


@dataclass(frozen=True)
class Counts:
    """A deadline's units in an area: how many had to report, and how it went. ``returned``
    and ``approved`` are reports' present status (a returned report was submitted, on time or
    late, and counts there too)."""

    expected: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    waiting: int = 0
    returned: int = 0
    approved: int = 0

    def _percent(self, count: int) -> int | None:
        return round(100 * count / self.expected) if self.expected else None

    @property
    def on_time_percent(self) -> int | None:
        return self._percent(self.on_time)

    @property
    def late_percent(self) -> int | None:
        return self._percent(self.late)

    @property
    def missing_percent(self) -> int | None:
        return self._percent(self.missing)


@dataclass(frozen=True)
class DeadlineCounts:
    deadline: Deadline
    counts: Counts


@dataclass(frozen=True)
class UnitDeadline:
    """One row of the summary: a unit directly under the area, one deadline, its counts."""

    unit: OrgUnit
    deadline: Deadline
    counts: Counts


@dataclass
class CompletenessSummary:
    """The area's totals per deadline (every deadline of the year), and one page of the rows
    (unit under the area × deadline) that pass the filters."""

    area: OrgUnit
    deadlines: list[Deadline]
    totals: list[DeadlineCounts]
    page: Page[UnitDeadline]
    by_unit: bool  # False for a unit at the reporting level: its rows are its own deadlines


def _requested_deadlines(
    area: OrgUnit, year: int, schedules: list[ReportSchedule]
) -> list[Deadline]:
    """The deadlines of reports on request asked of units under ``area`` for ``year``: one query,
    grouped in the database."""
    by_id = {s.pk: s for s in schedules if s.is_on_request}
    if not by_id:
        return []
    found = (
        Report.objects.filter(
            org_unit__path__startswith=area.path,
            schedule_id__in=list(by_id),
            period_end__year=year,
        )
        .order_by()
        .values_list("schedule_id", "due_on")
        .annotate(start=Min("period_start"), end=Max("period_end"))
    )
    return [Deadline(by_id[s], due, start, end) for s, due, start, end in found]


def _valid_on(day: datetime.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def _status_having(status: str, due_on: datetime.date, today: datetime.date) -> Q | None:
    """The HAVING condition of a status filter; None when no row of the deadline can match."""
    if status == State.ON_TIME:
        return Q(on_time__gt=0)
    if status == State.LATE:
        return Q(submitted__gt=F("on_time"))
    if status == RETURNED:
        return Q(returned__gt=0)
    if status in (State.MISSING, State.WAITING):
        if (due_on < today) != (status == State.MISSING):
            return None
        return Q(expected__gt=F("submitted"))
    return Q()


def _part(
    area: OrgUnit,
    index: int,
    deadline: Deadline,
    *,
    level: int,
    key_length: int | None,
    having: Q,
) -> Rows:
    """One deadline's counts in the database: the units at ``level`` under ``area`` that had to
    report (on the map of the due date; for a report on request, those asked), joined to their
    report of the deadline (at most one, by the unique constraint), grouped by the unit directly
    under the area (``key_length`` characters of the path) or not at all."""
    due = deadline.due_on
    units = OrgUnit.objects.filter(path__startswith=area.path, level=level).alias(
        rep=FilteredRelation(
            "reports",
            condition=Q(reports__schedule_id=deadline.schedule.pk, reports__due_on=due),
        )
    )
    if deadline.schedule.is_on_request:
        units = units.filter(rep__isnull=False)
    else:
        units = units.filter(_valid_on(due))
    key = Substr("path", 1, key_length) if key_length is not None else Value("")
    grouped = units.annotate(key=key).values("key")
    return (
        grouped.annotate(
            d=Value(index),
            expected=Count("pk"),
            submitted=Count("rep", filter=Q(rep__first_submitted_at__isnull=False)),
            on_time=Count("rep", filter=Q(rep__first_submitted_at__date__lte=due)),
            returned=Count("rep", filter=Q(rep__status=Report.Status.RETURNED)),
            approved=Count("rep", filter=Q(rep__status=Report.Status.APPROVED)),
        )
        .filter(Q(expected__gt=0) & having)
        .values_list("key", "d", "expected", "submitted", "on_time", "returned", "approved")
        .order_by()
    )


def _counts(row: tuple[Any, ...], due_on: datetime.date, today: datetime.date) -> Counts:
    _key, _d, expected, submitted, on_time, returned, approved = row
    unsent = expected - submitted
    return Counts(
        expected=expected,
        on_time=on_time,
        late=submitted - on_time,
        missing=unsent if due_on < today else 0,
        waiting=0 if due_on < today else unsent,
        returned=returned,
        approved=approved,
    )


def _union(parts: list[Rows]) -> Rows:
    if not parts:
        return OrgUnit.objects.none().values_list("path")
    first, *rest = parts
    return first.union(*rest, all=True) if rest else first


def _check(actor: User, area: OrgUnit) -> None:
    if not org_units_visible_to(actor, VIEW).filter(pk=area.pk).exists():
        raise NotVisible
    if not can(actor, REVIEW, area):
        raise PermissionDenied(
            _("Only reviewers of %(unit)s see its completeness.") % {"unit": area.full_name}
        )


def _totals(
    area: OrgUnit,
    year: int,
    schedule: ReportSchedule | None,
    today: datetime.date,
    level: int,
) -> tuple[list[Deadline], list[DeadlineCounts]]:
    """Every deadline of ``year`` (periodic and on request), and the area's counts of those
    that had units to report: three queries (schedules, requested deadlines, the counts)."""
    schedules = [schedule] if schedule is not None else schedules_all()
    deadlines = sorted(
        deadlines_for_year(year, level=level, schedules=schedules)
        + _requested_deadlines(area, year, schedules),
        key=lambda d: (d.due_on, d.schedule.order, d.schedule.code),
    )
    if not deadlines:
        return deadlines, []
    # One scan and one plan for every deadline (a UNION of one query per deadline spends more
    # on planning than on running): a column per deadline and count.
    year_reports = Q(
        reports__schedule_id__in={d.schedule.pk for d in deadlines},
        reports__due_on__in={d.due_on for d in deadlines},
    )
    units = OrgUnit.objects.filter(path__startswith=area.path, level=level).alias(
        rep=FilteredRelation("reports", condition=year_reports)
    )
    columns: dict[str, Count] = {}
    for i, d in enumerate(deadlines):
        mine = Q(rep__schedule_id=d.schedule.pk, rep__due_on=d.due_on)
        if d.schedule.is_on_request:
            columns[f"e{i}"] = Count("rep", filter=mine)
        else:
            valid = _valid_on(d.due_on)
            columns[f"e{i}"] = Count("pk", distinct=True, filter=valid)
            mine &= valid
        columns[f"s{i}"] = Count("rep", filter=mine & Q(rep__first_submitted_at__isnull=False))
        columns[f"o{i}"] = Count(
            "rep", filter=mine & Q(rep__first_submitted_at__date__lte=d.due_on)
        )
        columns[f"r{i}"] = Count("rep", filter=mine & Q(rep__status=Report.Status.RETURNED))
        columns[f"a{i}"] = Count("rep", filter=mine & Q(rep__status=Report.Status.APPROVED))
    found = units.aggregate(**columns)
    totals = []
    for i, d in enumerate(deadlines):
        row = ("", i, *(found[f"{c}{i}"] for c in "esora"))
        if row[2]:
            totals.append(DeadlineCounts(d, _counts(row, d.due_on, today)))
    return deadlines, totals


def completeness_totals(
    *,
    actor: User,
    area: OrgUnit,
    year: int,
    schedule: ReportSchedule | None = None,
    today: datetime.date | None = None,
) -> list[DeadlineCounts]:
    """The area's counts per deadline of ``year`` (the dashboard's table and chart), counted in
    the database; the same rights as ``completeness``."""
    _check(actor, area)
    return _totals(area, year, schedule, today or timezone.localdate(), OrgUnit.Level.COMMUNE)[1]


def completeness_summary(
    *,
    actor: User,
    area: OrgUnit,
    year: int,
    schedule: ReportSchedule | None = None,
    deadline: tuple[str, datetime.date] | None = None,
    status: str = "",
    page: int | str = 1,
    per_page: int = PER_PAGE,
    today: datetime.date | None = None,
) -> CompletenessSummary:
    """Completeness of ``year`` in ``area`` summarised by the units directly under it (each
    deadline on the map of its due date: a province's districts before 1/7/2025, its communes
    after; any level), with the area's totals per deadline.

    ``deadline`` (schedule code, due date) and ``status`` (one of ``STATUSES``) narrow the rows;
    counting, filtering, ordering and paging run in the database (one grouped query per
    deadline, joined by UNION ALL), so the queries are the same whatever the number of units:
    schedules, requested deadlines, totals, the page's count and rows, and the page's units.
    A unit at the reporting level (a commune) gets its own deadlines as rows.
    """
    _check(actor, area)
    today = today or timezone.localdate()
    level = OrgUnit.Level.COMMUNE  # the level that reports (schedules' reporting_level)
    deadlines, totals = _totals(area, year, schedule, today, level)
    by_unit = area.level < level
    segment = len(area.path.rstrip("/").rsplit("/", 1)[-1]) + 1
    key_length = len(area.path) + (segment if by_unit else 0)
    parts = []
    for i, d in enumerate(deadlines):
        if deadline is not None and (d.schedule.code, d.due_on) != deadline:
            continue
        having = _status_having(status, d.due_on, today) if status in STATUSES else Q()
        if having is None:
            continue
        parts.append(_part(area, i, d, level=level, key_length=key_length, having=having))
    rows: Rows | list[Any] = _union(parts).order_by("d", "key") if parts else []
    paged: Page[Any] = Paginator(rows, per_page).get_page(page)
    units = {u.path: u for u in OrgUnit.objects.filter(path__in={r[0] for r in paged})}
    paged.object_list = [
        UnitDeadline(units[r[0]], deadlines[r[1]], _counts(r, deadlines[r[1]].due_on, today))
        for r in paged
    ]
    return CompletenessSummary(
        area=area,
        deadlines=deadlines,
        totals=totals,
        page=paged,
        by_unit=by_unit,
    )
