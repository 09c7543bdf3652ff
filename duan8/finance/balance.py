"""How much a budget holder was given, and how much its plans' estimates use (issue 14,
points 1 and 3).

An allocation on the project covers all its contents: asked for a content (or an activity), the
sum counts the allocations made on that element, on the elements above it (the project) and on
the elements below it. Asked for the project, it counts everything given for the project. Codes
are hierarchical ("1719.GD1.DA8.ND1"), so "above" and "below" are code prefixes.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, Value, When

from duan8.finance.models import Allocation, EstimateLine
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement

ZERO = Decimal(0)


def element_scope(element: ProgramElement, *, field: str = "element") -> Q:
    """Rows booked on ``element``, on an element above it, or on one below it."""
    parts = element.code.split(".")
    above = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    return Q(**{f"{field}__code__in": above}) | Q(
        **{f"{field}__code__startswith": f"{element.code}."}
    )


def allocations_of(
    *,
    holder: OrgUnit,
    year: int,
    source: str | None = None,
    element: ProgramElement | None = None,
) -> QuerySet[Allocation]:
    rows = Allocation.objects.filter(holder=holder, year=year)
    if source is not None:
        rows = rows.filter(source=source)
    if element is not None:
        rows = rows.filter(element_scope(element))
    return rows


def signed_sum(rows: QuerySet[Allocation]) -> Decimal:
    """A reduction subtracts; everything else adds. Whole đồng, never a float."""
    signed = Case(
        When(kind=Allocation.Kind.REDUCTION, then=-F("amount")),
        default=F("amount"),
        output_field=DecimalField(max_digits=18, decimal_places=0),
    )
    total = rows.aggregate(total=Sum(signed, default=Value(ZERO)))["total"]
    return Decimal(total or 0)


def allocated(
    *,
    holder: OrgUnit,
    year: int,
    source: str | None = None,
    element: ProgramElement | None = None,
) -> Decimal:
    """The signed sum of the holder's allocations for the year (and source, element)."""
    return signed_sum(allocations_of(holder=holder, year=year, source=source, element=element))


def estimate_lines_of(plan: Plan) -> QuerySet[EstimateLine]:
    return EstimateLine.objects.filter(estimate__plan=plan)


def estimate_total(plan: Plan, *, source: str | None = None) -> Decimal:
    """The total of the plan's estimate (0 when it has none)."""
    lines = estimate_lines_of(plan)
    if source is not None:
        lines = lines.filter(source=source)
    total = lines.aggregate(total=Sum("amount"))["total"]
    return Decimal(total or 0)


def estimated(
    *,
    holder: OrgUnit,
    year: int,
    source: str | None = None,
    element: ProgramElement | None = None,
) -> Decimal:
    """What the holder's plans in force for the year estimate (a superseded version no longer
    counts; a draft amendment counts instead of the version it amends only once approved)."""
    lines = EstimateLine.objects.filter(
        estimate__plan__issuing_unit=holder, estimate__plan__year=year
    ).exclude(estimate__plan__status=Plan.Status.SUPERSEDED)
    lines = lines.exclude(
        estimate__plan__status=Plan.Status.DRAFT, estimate__plan__amends__isnull=False
    )
    if source is not None:
        lines = lines.filter(source=source)
    if element is not None:
        lines = lines.filter(element_scope(element, field="activity"))
    total = lines.aggregate(total=Sum("amount"))["total"]
    return Decimal(total or 0)
