"""Completeness and timeliness of the reports, for the level above: units taken as the map
stood on each due date."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
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
