"""Reads of reports: the deadlines the schedules give, a unit's reports, completeness and
timeliness for the level above, reminders, and the dashboards' rows.

- ``deadlines``: deadlines computed from a schedule and a year, never stored;
- ``reports``: one report, who signs it, the actions it offers, a unit's reports;
- ``completeness``: reports on time, late or missing per deadline, for reviewers;
- ``reminders``: what a user must do about reports;
- ``dashboards``: the rows of the dashboard page and its charts.

The names used across the app are listed here (``from duan8.reports.selectors import
completeness``); new code may import from the module.
"""

from duan8.reports.selectors.completeness import (
    DeadlineCompleteness,
    State,
    UnitState,
    completeness,
    report_state,
)
from duan8.reports.selectors.deadlines import (
    EDIT,
    OVERDUE_WINDOW_DAYS,
    REVIEW,
    VIEW,
    Deadline,
    deadline_find,
    deadlines_for_year,
    recipient_unit_for,
    schedule_deadlines,
    schedules_all,
)
from duan8.reports.selectors.reminders import Reminder, ReminderItem, report_reminders
from duan8.reports.selectors.reports import (
    PEOPLE_COMMITTEE,
    SIGNER_ROLES,
    WOMEN_UNION,
    DeadlineRow,
    report_can,
    report_get,
    report_issuer,
    report_latest_return,
    report_signer_name,
    report_steps,
    report_year_default,
    reporting_units_of,
    reports_for_review,
    review_units_of,
    unit_report_rows,
)

__all__ = [
    "EDIT",
    "OVERDUE_WINDOW_DAYS",
    "PEOPLE_COMMITTEE",
    "REVIEW",
    "SIGNER_ROLES",
    "VIEW",
    "WOMEN_UNION",
    "Deadline",
    "DeadlineCompleteness",
    "DeadlineRow",
    "Reminder",
    "ReminderItem",
    "State",
    "UnitState",
    "completeness",
    "deadline_find",
    "deadlines_for_year",
    "recipient_unit_for",
    "report_can",
    "report_get",
    "report_issuer",
    "report_latest_return",
    "report_reminders",
    "report_signer_name",
    "report_state",
    "report_steps",
    "report_year_default",
    "reporting_units_of",
    "reports_for_review",
    "review_units_of",
    "schedule_deadlines",
    "schedules_all",
    "unit_report_rows",
]
