"""Reading the budget part: a holder's allocations of a year, by source and content, with
totals; the spending norms; a plan's estimate. Anyone who may not read the holder's money gets
``NotVisible`` (404): the unit's existence is not confirmed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import FINANCE_NORMS, FINANCE_VIEW
from duan8.core.audit import NotVisible
from duan8.core.compiled import Compiled
from duan8.finance.models import Allocation, Estimate, EstimateLine, Source, SpendingNorm
from duan8.orgunits.access import can, holds_somewhere
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement

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


# --- a plan's estimate ----------------------------------------------------------------------


def estimate_plan_get(*, actor: User, plan_id: int) -> Plan:
    plan = Plan.objects.select_related("issuing_unit", "project").filter(pk=plan_id).first()
    if plan is None or not can(actor, FINANCE_VIEW, plan.issuing_unit):
        raise NotVisible
    return plan


@dataclass
class SourceBalance:
    source: str
    label: str
    allocated: Decimal
    estimated: Decimal

    @property
    def left(self) -> Decimal:
        return self.allocated - self.estimated


@dataclass
class EstimateView:
    plan: Plan
    estimate: Estimate | None
    lines: list[EstimateLine]
    balances: list[SourceBalance]
    by_content: list[tuple[str, str, Decimal]]
    total: Decimal

    @property
    def version(self) -> int:
        return self.estimate.version if self.estimate is not None else 1

    @property
    def status(self) -> str:
        return self.estimate.status if self.estimate is not None else Estimate.Status.DRAFT

    @property
    def status_label(self) -> str:
        if self.estimate is None:
            return str(_("No estimate yet"))
        return str(self.estimate.get_status_display())


# A plan's estimate and its unit's allocations: every plan page reads them (core.compiled).
_ESTIMATE = Compiled(
    lambda plan_id: Estimate.objects.filter(plan_id=plan_id).order_by("pk")[:1], prepared=True
)
_ALLOCATIONS = Compiled(
    lambda holder_id, year: Allocation.objects.filter(holder_id=holder_id, year=year),
    prepared=True,
)


def estimate_view(plan: Plan) -> EstimateView:
    """The estimate with its lines, totals by source and content, and per source what was
    allocated, estimated and is left. A fixed number of queries however many lines."""
    estimate = _ESTIMATE.first(plan.pk)
    lines = (
        list(estimate.lines.select_related("activity", "village", "norm").order_by("order", "id"))
        if estimate is not None
        else []
    )
    labels = dict(Source.choices)
    allocated_by_source: dict[str, Decimal] = defaultdict(Decimal)
    for row in _ALLOCATIONS(plan.issuing_unit_id, plan.year):
        allocated_by_source[row.source] += row.signed_amount
    estimated_by_source: dict[str, Decimal] = defaultdict(Decimal)
    by_content: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for line in lines:
        estimated_by_source[line.source] += line.amount
        content = ".".join(line.activity.code.split(".")[:4])
        by_content[(str(labels.get(line.source, line.source)), content)] += line.amount
    codes = {code for _label, code in by_content}
    names = {e.code: str(e) for e in ProgramElement.objects.filter(code__in=codes)} if codes else {}
    sources = sorted({*allocated_by_source, *estimated_by_source})
    balances = [
        SourceBalance(s, str(labels.get(s, s)), allocated_by_source[s], estimated_by_source[s])
        for s in sources
    ]
    return EstimateView(
        plan=plan,
        estimate=estimate,
        lines=lines,
        balances=balances,
        by_content=[
            (label, names.get(code, code), amount)
            for (label, code), amount in sorted(by_content.items())
        ],
        total=sum(estimated_by_source.values(), Decimal(0)),
    )
