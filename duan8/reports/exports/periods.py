"""Periods as the exchange formats write them: DHIS2 ISO periods and ADX start/duration."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from duan8.activities.selectors.progress import Period


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def _months(period: Period) -> int | None:
    """How many whole calendar months the period spans from the first of a month, else None."""
    start, end = period.start, period.end
    if start.day != 1:
        return None
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return months if end == _month_end(end.year, end.month) else None


def dhis2_period(period: Period) -> str:
    """``2023``, ``2023Q3``, ``202309``; other spans have no DHIS2 period type."""
    start, months = period.start, _months(period)
    if months == 12 and start.month == 1:
        return f"{start.year}"
    if months == 3 and start.month % 3 == 1:
        return f"{start.year}Q{(start.month + 2) // 3}"
    if months == 1:
        return f"{start.year}{start.month:02d}"
    raise ValidationError(
        _(
            "DHIS2 takes a year, a quarter or a month; %(start)s–%(end)s is none of them. "
            "Export it as ADX or Excel."
        )
        % {"start": start.strftime("%d/%m/%Y"), "end": period.end.strftime("%d/%m/%Y")}
    )


def adx_period(period: Period) -> str:
    """ISO 8601 start and duration: ``2023-01-01/P1Y``, ``2023-07-01/P3M``, ``2023-10-05/P10D``."""
    months = _months(period)
    if months == 12:
        duration = "P1Y"
    elif months is not None:
        duration = f"P{months}M"
    else:
        duration = f"P{(period.end - period.start).days + 1}D"
    return f"{period.start.isoformat()}/{duration}"


def period_label(period: Period) -> str:
    """For file names and headings: ``2023`` or ``2023-10-01_2023-10-31``."""
    months = _months(period)
    if months == 12 and period.start.month == 1:
        return str(period.start.year)
    return f"{period.start.isoformat()}_{period.end.isoformat()}"
