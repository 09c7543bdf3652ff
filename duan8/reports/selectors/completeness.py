"""Completeness and timeliness of the reports, for the level above: units taken as the map
stood on each due date."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, FilteredRelation, Max, Min, Q
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


class _Rows:
    """The summary's rows, (unit directly under the area × deadline) with their counts, as one
    SQL query: the units at the reporting level under the area joined to a ``VALUES`` list of the
    deadlines (periodic: the units that existed on the due date; on request: those asked), and to
    their report of each deadline (at most one, by the unique constraint); grouped, filtered by
    status (HAVING), ordered and paged in the database. One plan for every deadline: a UNION of
    one ORM query per deadline spent ten times longer planning than running. Portable SQL
    (SQLite, PostgreSQL); dates and the end of each due date (local time, as a UTC instant: on
    time is first submitted before it) are passed as parameters adapted by the backend."""

    COLUMNS = (
        "COUNT(*)",
        "COUNT(r.first_submitted_at)",
        "SUM(CASE WHEN r.first_submitted_at < dl.cutoff THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN r.status = %s THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN r.status = %s THEN 1 ELSE 0 END)",
    )

    def __init__(
        self,
        area: OrgUnit,
        deadlines: list[tuple[int, Deadline]],
        *,
        level: int,
        key_length: int,
        status: str,
        today: datetime.date,
    ) -> None:
        ops, zone = connection.ops, timezone.get_current_timezone()
        rows, values = [], []
        for index, d in deadlines:
            end = datetime.datetime.combine(d.due_on + datetime.timedelta(days=1), datetime.time())
            rows.append("(%s, %s, %s, %s, %s)")
            values += [
                index,
                d.schedule.pk,
                ops.adapt_datefield_value(d.due_on),
                ops.adapt_datetimefield_value(timezone.make_aware(end, zone)),
                int(d.schedule.is_on_request),
            ]
        counts = ", ".join(self.COLUMNS)
        submitted, on_time, returned = self.COLUMNS[1], self.COLUMNS[2], self.COLUMNS[3]
        having, having_values = "COUNT(*) > 0", list[Any]()
        if status == State.ON_TIME:
            having = f"{on_time} > 0"
        elif status == State.LATE:
            having = f"{submitted} > {on_time}"
        elif status == RETURNED:
            having, having_values = f"{returned} > 0", [Report.Status.RETURNED]
        elif status in (State.MISSING, State.WAITING):
            since = "<" if status == State.MISSING else ">="
            having = f"COUNT(*) > {submitted} AND MAX(dl.due_on) {since} %s"
            having_values = [ops.adapt_datefield_value(today)]
        units, reports = OrgUnit._meta.db_table, Report._meta.db_table
        # Only table names and fixed fragments are formatted in; every value is a parameter.
        self.sql = (
            "WITH dl (d, schedule_id, due_on, cutoff, requested) AS "  # noqa: S608
            f"(VALUES {', '.join(rows)}), "
            # the units read once (not once per deadline), then joined to every deadline
            "u AS MATERIALIZED (SELECT id, path, valid_from, valid_to "
            f"FROM {units} WHERE level = %s AND path LIKE %s) "
            f"SELECT SUBSTR(u.path, 1, %s), dl.d, {counts} "
            f"FROM u CROSS JOIN dl "
            f"LEFT JOIN {reports} r ON r.org_unit_id = u.id AND r.schedule_id = dl.schedule_id "
            "AND r.due_on = dl.due_on "
            "WHERE ("
            "(dl.requested = 0 AND (u.valid_from IS NULL OR u.valid_from <= dl.due_on) "
            "AND (u.valid_to IS NULL OR u.valid_to >= dl.due_on)) "
            "OR (dl.requested = 1 AND r.id IS NOT NULL)) "
            f"GROUP BY 1, 2 HAVING {having}"
        )
        self.params: list[Any] = [
            *values,
            level,
            area.path + "%",
            key_length,
            Report.Status.RETURNED,
            Report.Status.APPROVED,
            *having_values,
        ]
        self.empty = not deadlines

    def count(self) -> int:
        if self.empty:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({self.sql}) t", self.params)  # noqa: S608
            return int(cursor.fetchone()[0])

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[tuple[Any, ...]]:
        if self.empty:
            return []
        start = index.start or 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"{self.sql} ORDER BY 2, 1 LIMIT %s OFFSET %s",
                [*self.params, index.stop - start, start],
            )
            return [tuple(row) for row in cursor.fetchall()]


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
    counting, filtering, ordering and paging run in the database (``_Rows``), so the queries
    are the same whatever the number of units: schedules, requested deadlines, totals, the
    page's count and rows, and the page's units.
    A unit at the reporting level (a commune) gets its own deadlines as rows.
    """
    _check(actor, area)
    today = today or timezone.localdate()
    level = OrgUnit.Level.COMMUNE  # the level that reports (schedules' reporting_level)
    deadlines, totals = _totals(area, year, schedule, today, level)
    by_unit = area.level < level
    segment = len(area.path.rstrip("/").rsplit("/", 1)[-1]) + 1
    key_length = len(area.path) + (segment if by_unit else 0)
    shown = [
        (i, d)
        for i, d in enumerate(deadlines)
        if deadline is None or (d.schedule.code, d.due_on) == deadline
    ]
    rows = _Rows(area, shown, level=level, key_length=key_length, status=status, today=today)
    paged: Page[Any] = Paginator(rows, per_page).get_page(page)  # type: ignore[arg-type]
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
