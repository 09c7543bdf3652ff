"""Reminders: what a user must do about reports (deadlines, returns, reviews)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from duan8.accounts.models import User
from duan8.orgunits.models import OrgUnit
from duan8.reports.models import Report, ReportSchedule
from duan8.reports.selectors.deadlines import (
    OVERDUE_WINDOW_DAYS,
    deadlines_for_year,
    schedules_all,
)
from duan8.reports.selectors.reports import reporting_units_of, review_units_of


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


def other_reminders(*, actor: User, today: datetime.date | None = None) -> list[Any]:
    """The reminders of the apps above (``settings.REMINDER_SOURCES``, called by path as the
    plan page's panels are): items with ``text`` and ``url``, for the home page and e-mails."""
    day = today or timezone.localdate()
    return [
        item
        for source in settings.REMINDER_SOURCES
        for item in import_string(source)(actor=actor, today=day)
    ]


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
                    if unit.is_valid_on(deadline.due_on) and (
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
