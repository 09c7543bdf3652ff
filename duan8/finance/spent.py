"""How much a budget holder has spent, and what is left of its allocation (issue 14, point 4).

Spending is the sum of the holder's vouchers for the budget year, reversals included (a reversal
is a negative voucher), so a reversed voucher no longer counts. Vouchers are booked on an
activity; asked for a project or a content, the sum counts the vouchers on the activities below
it (codes are hierarchical: "1719.GD1.DA8.ND1.HD4" is below "1719.GD1.DA8.ND1").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum, Value

from duan8.finance.balance import allocated
from duan8.finance.models import Voucher
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import ProgramElement

ZERO = Decimal(0)


def below(element: ProgramElement, *, field: str = "activity") -> Q:
    """Rows booked on ``element`` or on an element below it."""
    return Q(**{field: element}) | Q(**{f"{field}__code__startswith": f"{element.code}."})


def vouchers_of(
    *,
    holder: OrgUnit,
    year: int,
    source: str | None = None,
    element: ProgramElement | None = None,
    until: datetime.date | None = None,
) -> QuerySet[Voucher]:
    rows = Voucher.objects.filter(holder=holder, year=year)
    if source is not None:
        rows = rows.filter(source=source)
    if element is not None:
        rows = rows.filter(below(element))
    if until is not None:
        rows = rows.filter(paid_on__lte=until)
    return rows


def spent(
    *,
    holder: OrgUnit,
    year: int,
    source: str | None = None,
    element: ProgramElement | None = None,
    until: datetime.date | None = None,
) -> Decimal:
    """The holder's vouchers of the budget year net of reversals (paid on or before ``until``)."""
    rows = vouchers_of(holder=holder, year=year, source=source, element=element, until=until)
    total = rows.aggregate(total=Sum("amount", default=Value(ZERO)))["total"]
    return Decimal(total or 0)


def remaining(
    *,
    holder: OrgUnit,
    year: int,
    source: str | None = None,
    element: ProgramElement | None = None,
) -> Decimal:
    """What is left to spend: the allocations (``balance.allocated``, which counts an allocation
    on the project for each of its contents) less what was spent."""
    given = allocated(holder=holder, year=year, source=source, element=element)
    return given - spent(holder=holder, year=year, source=source, element=element)


@dataclass
class VoucherList:
    """A holder's vouchers of a year as the list page shows them, with their totals."""

    rows: list[Voucher]
    by_source: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal = ZERO
    reversed_ids: set[int] = field(default_factory=set)


def voucher_list(
    *,
    holder: OrgUnit,
    year: int,
    month: int | None = None,
    source: str | None = None,
    activity: ProgramElement | None = None,
) -> VoucherList:
    """Two queries however many vouchers: the rows (with their activity, event and request) and
    the ids of the vouchers reversed."""
    rows = vouchers_of(holder=holder, year=year, source=source, element=activity)
    if month is not None:
        rows = rows.filter(paid_on__month=month)
    found = list(
        rows.select_related("activity", "event", "request", "recorded_by").order_by("paid_on", "pk")
    )
    table = VoucherList(rows=found)
    for voucher in found:
        table.by_source[voucher.source] = table.by_source.get(voucher.source, ZERO) + voucher.amount
        table.total += voucher.amount
    table.reversed_ids = set(
        Voucher.objects.filter(holder=holder, year=year, reverses__isnull=False).values_list(
            "reverses_id", flat=True
        )
    )
    return table
