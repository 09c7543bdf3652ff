"""Targets beside the values: the communes' plans, read as the plan's progress page reads them.

For a commune, the plan's commune target, else (no target, or "-") the year's total of its
allocation table; for a village, its allocation, else the plan's target for each village. Only
rows that are communes or villages get targets; three queries (for one year or several).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from duan8.activities.values.result import Key, Measure
from duan8.core.compiled import Compiled
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.rollup import RollupMap
from duan8.programs.models import AllocationCell, AllocationRow, Plan, Target


def _condition(prefixes: list[str]) -> Q:
    condition = Q()
    for prefix in prefixes:
        condition |= Q(issuing_unit__path__startswith=prefix)
    return condition


# The reads of this module, their SQL built once a process (core.compiled): a dashboard
# makes them twice (the year, then its series), and building them cost more than running them.
_PLANS = Compiled(
    lambda prefixes, years: (
        Plan.objects.filter(_condition(prefixes), year__in=years)
        .order_by("year", "issuing_unit_id", "status", "-issued_on", "-pk")
        .only("pk", "issuing_unit_id", "year", "status", "issued_on")
    )
)
_TARGETS = Compiled(
    lambda plan_ids, element_ids: (
        Target.objects.filter(plan_id__in=plan_ids, element_id__in=element_ids)
        .order_by()  # (not the model's: it joins plan, unit and element, over a country's plans)
        .values_list("plan_id", "element_id", "scope", "kind", "value")
    ),
    prepared=True,
)
_CELLS = Compiled(
    lambda plan_ids, element_ids: (
        AllocationCell.objects.filter(
            Q(row__village__isnull=False) | Q(row__kind=AllocationRow.Kind.TOTAL),
            row__plan_id__in=plan_ids,
            column__element_id__in=element_ids,
        )
        .order_by("row__order")
        .values_list("row__plan_id", "row__village_id", "column__element_id", "value")
    ),
    prepared=True,
)


def _chosen(prefixes: list[str], years: set[int]) -> dict[tuple[int, int], Plan]:
    """One plan per commune and year: the approved one if any, else the latest draft."""
    chosen: dict[tuple[int, int], Plan] = {}
    for plan in _PLANS(list(prefixes), sorted(years)):
        # "approved" sorts before "draft": the first plan of each unit is the one that counts.
        chosen.setdefault((plan.year, plan.issuing_unit_id), plan)
    return chosen


def plans_counted(rollup: RollupMap, year: int) -> list[Plan]:
    """One plan per commune and year: the approved one if any, else the latest draft."""
    return list(_chosen(rollup.prefixes, {year}).values())


@dataclass
class PlanNumbers:
    """The numbers of the counted plans, by (plan id, element id)."""

    commune: dict[tuple[int, int], tuple[str, Decimal | None]] = field(default_factory=dict)
    per_village: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    # (plan, element, village id or None for the year's total row)
    allocated: dict[tuple[int, int, int | None], Decimal] = field(default_factory=dict)

    def commune_target(self, plan_id: int, element_id: int) -> Decimal | None:
        kind, value = self.commune.get((plan_id, element_id), (Target.Kind.NONE, None))
        if kind == Target.Kind.NUMBER:
            return value
        if kind == Target.Kind.NONE:
            return self.allocated.get((plan_id, element_id, None))
        return None  # a text instruction or a suspended line has no number

    def village_target(self, plan_id: int, element_id: int, village_id: int) -> Decimal | None:
        number = self.allocated.get((plan_id, element_id, village_id))
        return self.per_village.get((plan_id, element_id)) if number is None else number


def _plan_numbers(plans: list[Plan], element_ids: set[int]) -> PlanNumbers:
    numbers = PlanNumbers()
    plan_ids, elements = sorted(plan.pk for plan in plans), sorted(element_ids)
    for plan_id, element_id, scope, kind, value in _TARGETS(plan_ids, elements):
        if scope == Target.Scope.COMMUNE:
            numbers.commune[(plan_id, element_id)] = (kind, value)
        elif kind == Target.Kind.NUMBER and value is not None:
            numbers.per_village[(plan_id, element_id)] = value
    for plan_id, village_id, element_id, value in _CELLS(plan_ids, elements):
        numbers.allocated.setdefault((plan_id, element_id, village_id), value)
    return numbers


_TARGET_LEVELS = (OrgUnit.Level.COMMUNE, OrgUnit.Level.VILLAGE)


def _placed(
    plans: list[Plan],
    numbers: "PlanNumbers",
    element_ids: set[int],
    shown: list[OrgUnit],
    row_of: Callable[[int], int | None],
) -> dict[Key, Decimal]:
    """Targets of the rows ``shown``: a commune's row adds up the plans of the communes placed
    on it (``row_of``: a unit id → the row's unit id); a village's row its own targets."""
    values: dict[Key, Decimal] = defaultdict(Decimal)
    communes = {u.pk for u in shown if u.level == OrgUnit.Level.COMMUNE}
    for plan in plans:
        row = row_of(plan.issuing_unit_id)
        if row not in communes:
            continue
        for element_id in element_ids:
            number = numbers.commune_target(plan.pk, element_id)
            if number is not None:
                values[(row, element_id, Measure.TARGET, None)] += number
    villages = [u for u in shown if u.level == OrgUnit.Level.VILLAGE]
    for village in villages:
        for plan in plans:
            if plan.issuing_unit_id != village.parent_id:
                continue
            for element_id in element_ids:
                number = numbers.village_target(plan.pk, element_id, village.pk)
                if number is not None:
                    values[(village.pk, element_id, Measure.TARGET, None)] += number
    return values


def target_values(
    rollup: RollupMap,
    year: int,
    element_ids: set[int],
    shown: list[OrgUnit],
    row_of: Callable[[int], int | None],
) -> dict[Key, Decimal]:
    """Targets of the rows ``shown`` in ``year`` (``_placed``); three queries, none when no row
    shown is a commune or a village (a province's, a country's: only those rows get targets)."""
    if not any(u.level in _TARGET_LEVELS for u in shown):
        return {}
    plans = plans_counted(rollup, year)
    return _placed(plans, _plan_numbers(plans, element_ids), element_ids, shown, row_of)


def target_values_over(
    readings: list[tuple[int, Callable[[int], int | None]]],
    prefixes: list[str],
    element_ids: set[int],
    shown: list[OrgUnit],
) -> list[dict[Key, Decimal]]:
    """``target_values`` of several years at once (each reading: the year and its map's
    ``row_of``; ``prefixes``: the union of their maps'): three queries, whatever the years; none
    when no row shown is a commune or a village."""
    if not any(u.level in _TARGET_LEVELS for u in shown):
        return [{} for _reading in readings]
    years = {year for year, _row_of in readings}
    chosen = _chosen(prefixes, years)
    numbers = _plan_numbers(list(chosen.values()), element_ids)
    return [
        _placed(
            [plan for (plan_year, _unit), plan in chosen.items() if plan_year == year],
            numbers,
            element_ids,
            shown,
            row_of,
        )
        for year, row_of in readings
    ]
