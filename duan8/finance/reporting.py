"""The disbursement in the reports app: as data elements of the DHIS2 and ADX exports
(``reports.exports.extra``, ``settings.DATA_EXPORT_EXTENSIONS``) and as part of a report's figures
(``settings.REPORT_FIGURES_EXTENSIONS``). Both read ``disbursement_compute`` on the map of the
export's or the report's date, so the figures are those of the disbursement page.

Data elements (stable codes; amounts in whole đồng):

- ``DA8_FIN_ALLOCATED``: the signed sum of the year's allocations;
- ``DA8_FIN_DISBURSED``: vouchers net of reversals dated in the period;
- ``DA8_FIN_DISBURSED_PCT``: disbursed up to the end of the period, as a share (%) of the year's
  allocation (none without an allocation).

The unit's values are also given per source (ADX attribute ``SOURCE`` = NSTW | NSDP; DHIS2
category option combo ``NSTW`` / ``NSDP``); the units under it, totals only. A period must lie in
one year and be whole months (a year, a quarter, a month); other spans carry no money values.
Someone who reads the records but not the money (``finance.view``) gets none.
"""

import datetime
from decimal import Decimal
from typing import Any

from duan8.accounts.permissions import FINANCE_VIEW
from duan8.activities.rule_filters import Period
from duan8.finance.disbursement import Disbursement, Figures, disbursement_compute
from duan8.finance.models import Source
from duan8.finance.money import money
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.reports.exports.extra import ExtraValue

ALLOCATED, DISBURSED, PERCENT = "DA8_FIN_ALLOCATED", "DA8_FIN_DISBURSED", "DA8_FIN_DISBURSED_PCT"
SOURCE_CODES: dict[str, str] = {Source.CENTRAL: "NSTW", Source.LOCAL: "NSDP"}


def _months(period: Period) -> tuple[int, int] | None:
    """The first and last month of a period of whole months within one year, else None."""
    start, end = period.start, period.end
    following = end + datetime.timedelta(days=1)
    if start.day != 1 or following.day != 1 or start.year != end.year:
        return None
    return start.month, end.month


def _may_read(actor: Any, unit: OrgUnit) -> bool:
    if not getattr(actor, "is_authenticated", False):  # the command line's SystemActor
        return actor.__class__.__name__ == "SystemActor"
    return can(actor, FINANCE_VIEW, unit)


def _values(unit: OrgUnit, figures: Figures, until: Figures, dims: dict[str, str]) -> list:
    values = [
        ExtraValue(unit, ALLOCATED, figures.allocated, dict(dims)),
        ExtraValue(unit, DISBURSED, figures.disbursed, dict(dims)),
    ]
    if until.percent is not None:
        values.append(ExtraValue(unit, PERCENT, until.percent, dict(dims)))
    return values


def _in_months(data: Disbursement, first: int, last: int) -> tuple[Figures, Figures]:
    """Disbursed in the months, and up to the last one (with the year's allocation)."""
    rows = data.months[first - 1 : last]
    paid = sum((row.figures.disbursed for row in rows), Decimal(0))
    until = rows[-1].cumulative or data.total
    return Figures(data.total.allocated, paid), until


def export_money_values(
    *, actor: Any, unit: OrgUnit, period: Period, as_of: datetime.date, children: bool, **_: Any
) -> list[ExtraValue]:
    months = _months(period)
    if months is None or not _may_read(actor, unit):
        return []
    data = disbursement_compute(unit=unit, year=period.start.year, as_of=as_of)
    whole_year = months == (1, 12)
    figures, until = _in_months(data, *months)
    values = _values(unit, figures, until, {})
    if whole_year:
        for row in data.sources:
            dims = {"SOURCE": SOURCE_CODES.get(str(row.key), str(row.key))}
            values += _values(unit, row.figures, row.figures, dims)
        if children:
            for row in data.units:
                if row.unit is not None and (row.figures.allocated or row.figures.disbursed):
                    values += _values(row.unit, row.figures, row.figures, {})
    return values


def report_money_figures(*, actor: Any, report: Any) -> dict[str, Any]:
    """For a report's figures (frozen with them at submission): the disbursement of the year
    the period ends in, paid by the period's end, on the map of the due date."""
    unit = report.org_unit
    if not _may_read(actor, unit):
        return {}
    end = report.period_end
    data = disbursement_compute(unit=unit, year=end.year, as_of=report.due_on, until=end)
    return {
        "disbursement": {
            "year": end.year,
            "until": end.isoformat(),
            "until_text": end.strftime("%d/%m/%Y"),
            "allocated": int(data.total.allocated),
            "disbursed": int(data.total.disbursed),
            "allocated_text": money(data.total.allocated),
            "disbursed_text": money(data.total.disbursed),
            "percent": data.total.percent,
        }
    }
