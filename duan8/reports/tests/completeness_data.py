"""Reports for the completeness tests, written straight to the database (the workflow that
writes them is tested in test_workflow)."""

import datetime
from zoneinfo import ZoneInfo

from duan8.orgunits.models import OrgUnit
from duan8.reports.models import Report, ReportSchedule

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WU = "hlhpn-ket-qua-15-9"  # the Women's Union's results report, due 15 September


def report_write(
    schedule: ReportSchedule,
    unit: OrgUnit,
    recipient: OrgUnit,
    due: datetime.date,
    *,
    submitted: datetime.date | None = None,
    status: str = "submitted",
) -> Report:
    """``unit``'s report for the year of ``due``, sent at 9:00 on ``submitted`` with ``status``;
    a draft never sent without ``submitted``."""
    at = datetime.datetime.combine(submitted, datetime.time(9), tzinfo=TZ) if submitted else None
    return Report.objects.create(
        schedule=schedule,
        org_unit=unit,
        recipient_unit=recipient,
        period_start=datetime.date(due.year, 1, 1),
        period_end=due,
        due_on=due,
        status=status if submitted else "draft",
        first_submitted_at=at,
        submitted_at=at,
    )
