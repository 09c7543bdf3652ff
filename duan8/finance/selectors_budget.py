"""Reading the budget part: a holder's allocations of a year, by source and content, with
totals; the spending norms; a plan's estimate. Anyone who may not read the holder's money gets
``NotVisible`` (404): the unit's existence is not confirmed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from duan8.accounts.models import User
from duan8.accounts.permissions import FINANCE_NORMS, FINANCE_VIEW
from duan8.core.audit import NotVisible
from duan8.finance.models import Allocation, Source, SpendingNorm
from duan8.orgunits.access import can, holds_somewhere
from duan8.orgunits.models import OrgUnit

HOLDER_LEVELS = (OrgUnit.Level.COMMUNE, OrgUnit.Level.DISTRICT, OrgUnit.Level.PROVINCE)


def holder_get(*, actor: User, unit_id: int) -> OrgUnit:
    holder = OrgUnit.objects.filter(pk=unit_id, level__in=HOLDER_LEVELS).first()
    if holder is None or not can(actor, FINANCE_VIEW, holder):
        raise NotVisible
    return holder


@dataclass
class AllocationTable:
    rows: list[Allocation]
    # (source, element code) → signed total; element titles by code
    by_content: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    elements: dict[str, str] = field(default_factory=dict)
    by_source: dict[str, Decimal] = field(default_factory=dict)
    total: Decimal = Decimal(0)

    @property
    def content_rows(self) -> list[tuple[str, str, str, Decimal]]:
        labels = dict(Source.choices)
        return [
            (str(labels.get(source, source)), code, self.elements[code], amount)
            for (source, code), amount in sorted(self.by_content.items())
        ]

    @property
    def source_rows(self) -> list[tuple[str, Decimal]]:
        labels = dict(Source.choices)
        return [(str(labels.get(s, s)), a) for s, a in sorted(self.by_source.items())]


def allocation_table(*, holder: OrgUnit, year: int) -> AllocationTable:
    """Three queries however many allocations: the rows with their decision, allocator,
    element and recorder."""
    rows = list(
        Allocation.objects.filter(holder=holder, year=year)
        .select_related("decision", "allocator", "element", "created_by")
        .order_by("decision__issued_on", "id")
    )
    table = AllocationTable(rows=rows)
    by_content: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    by_source: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        by_content[(row.source, row.element.code)] += row.signed_amount
        by_source[row.source] += row.signed_amount
        table.elements[row.element.code] = str(row.element)
    table.by_content, table.by_source = dict(by_content), dict(by_source)
    table.total = sum(by_source.values(), Decimal(0))
    return table


def allocation_years(holder: OrgUnit) -> list[int]:
    return sorted(
        set(Allocation.objects.filter(holder=holder).values_list("year", flat=True)), reverse=True
    )


def norm_list() -> list[SpendingNorm]:
    """Every norm with its legal source: two queries however many norms."""
    return list(SpendingNorm.objects.select_related("legal_source").order_by(*NORM_ORDER))


NORM_ORDER = ("cost_line", "code", "valid_from")


def norms_readable(actor: User) -> bool:
    return holds_somewhere(actor, FINANCE_VIEW) or holds_somewhere(actor, FINANCE_NORMS)


def norm_get(*, actor: User, norm_id: int) -> SpendingNorm:
    norm = SpendingNorm.objects.select_related("legal_source").filter(pk=norm_id).first()
    if norm is None or not norms_readable(actor):
        raise NotVisible
    return norm
