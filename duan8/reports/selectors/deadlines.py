"""Deadlines of reports.

A deadline is computed from a schedule and a year, never stored: 15/9 of every year while the
rule applies. Reports exist only once someone starts one. Units are taken as the map stood on each
due date: the communes of huyện Ba Tơ for 15/9/2023, those of the new tỉnh Quảng Ngãi for
15/9/2025.
"""

import datetime
from dataclasses import dataclass

from duan8.accounts.permissions import PLANS_EDIT, RECORDS_VIEW, REPORTS_REVIEW
from duan8.core.compiled import Compiled
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_ancestors
from duan8.reports.models import ReportSchedule

VIEW = RECORDS_VIEW
EDIT = PLANS_EDIT
REVIEW = REPORTS_REVIEW
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


_SCHEDULES = Compiled(lambda: ReportSchedule.objects.all(), prepared=True)  # built once a process


def schedules_all() -> list[ReportSchedule]:
    return _SCHEDULES()


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
