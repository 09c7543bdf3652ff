"""Progress of a plan and of a unit: targets beside actual values, and who reads them where.

The actual values are those of the one engine, ``activities.values.indicator_values`` (the
dashboards, reports and exports read it too): a count of records by the indicator rules, on the
map of the year's last day (within the unit's lifetime), so a merged unit's figures include its
predecessors' records (xã Đặng Thùy Trâm's 2025 counts xã Ba Trang's of January–June).
``plan_progress`` sets them beside the plan's targets, for the commune and each village;
``unit_progress`` gives any unit's, with the part each predecessor brought.

The records listed under text targets are read rule by rule (``activities.values.queries``);
what a rule's filters mean is declared once, in ``activities.rule_filters`` (with ``Period``,
which other apps import from here).
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import RECORDS_VIEW
from duan8.activities.models import Event, IndicatorRule
from duan8.activities.rule_filters import Period, row_matches
from duan8.activities.values import (
    Actor,
    Breakdown,
    IndicatorValues,
    as_of_within,
    indicator_values,
)
from duan8.activities.values.queries import latest_events, rule_records
from duan8.core.audit import NotVisible
from duan8.core.compiled import Compiled
from duan8.orgunits.access import active_memberships
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_visible_get, org_units_visible_to
from duan8.programs.amendments import plan_in_force
from duan8.programs.models import (
    AllocationCell,
    AllocationRow,
    Plan,
    ProgramElement,
    Target,
    format_count,
)
from duan8.programs.selectors import AllocationTable, AppendixLine, plan_appendix, plan_list


def _percent(actual: int, target: Decimal | None) -> int | None:
    if target is None or target <= 0:
        return None
    return round(Decimal(actual) * 100 / target)


def _bar(percent: int | None) -> int | None:
    """The filled length of a 0–100 bar (an SVG rect width: no style attribute is needed)."""
    return None if percent is None else max(0, min(percent, 100))


@dataclass
class VillageProgress:
    unit: OrgUnit
    target: Decimal | None
    actual: int

    @property
    def percent(self) -> int | None:
        return _percent(self.actual, self.target)

    @property
    def bar(self) -> int | None:
        return _bar(self.percent)

    @property
    def target_display(self) -> str:
        return "" if self.target is None else format_count(self.target)


@dataclass
class ProgressLine:
    line: AppendixLine
    measured: bool  # has rules: an actual value is computed
    actual: int = 0
    villages: list[VillageProgress] = field(default_factory=list)
    records: list[Any] = field(default_factory=list)  # for text targets
    more_records: bool = False  # more records answer the line than ``records`` holds
    allocated_total: Decimal | None = None  # the "target of the year" row of the allocation

    @property
    def element(self) -> ProgramElement:
        return self.line.element

    @property
    def target_value(self) -> Decimal | None:
        """The commune's number: its target, else the allocation table's total for the year."""
        target = self.line.commune
        if target is not None and target.kind == Target.Kind.NUMBER:
            return target.value
        if target is None or target.kind == Target.Kind.NONE:
            return self.allocated_total
        return None

    @property
    def target_from_allocation(self) -> bool:
        target = self.line.commune
        return self.target_value is not None and (
            target is None or target.kind != Target.Kind.NUMBER
        )

    @property
    def target_display(self) -> str:
        if self.target_value is not None:
            return format_count(self.target_value)
        return self.line.commune.display if self.line.commune is not None else ""

    @property
    def percent(self) -> int | None:
        return _percent(self.actual, self.target_value)

    @property
    def bar(self) -> int | None:
        return _bar(self.percent)

    @property
    def is_text(self) -> bool:
        target = self.line.commune
        return target is not None and target.kind == Target.Kind.TEXT

    @property
    def is_village_text(self) -> bool:
        target = self.line.village
        return target is not None and target.kind == Target.Kind.TEXT


@dataclass
class PlanProgress:
    plan: Plan
    villages: list[OrgUnit]
    lines: list[ProgressLine]
    period: Period | None = None
    village: OrgUnit | None = None  # set when computed for one village only


def commune_villages(commune: OrgUnit, on: datetime.date) -> list[OrgUnit]:
    return [
        unit
        for unit in OrgUnit.objects.filter(parent=commune, level=OrgUnit.Level.VILLAGE).order_by(
            "name"
        )
        if unit.is_valid_on(on)
    ]


# A plan's allocation rows that carry targets (villages, the year's total) and their cells,
# built once a process (core.compiled).
_ALLOCATION_ROWS = Compiled(
    lambda plan_id: (
        AllocationRow.objects.filter(
            Q(village__isnull=False) | Q(kind=AllocationRow.Kind.TOTAL), plan_id=plan_id
        )
        .order_by("order", "pk")
        .values_list("id", "village_id")
    ),
    prepared=True,
)
_ALLOCATION_CELLS = Compiled(
    lambda plan_id: (
        AllocationCell.objects.filter(
            Q(row__village__isnull=False) | Q(row__kind=AllocationRow.Kind.TOTAL),
            row__plan_id=plan_id,
        )
        .order_by()
        .values_list("row_id", "column__element_id", "value")
    ),
    prepared=True,
)


def _allocation(
    plan: Plan, table: AllocationTable | None = None
) -> tuple[dict[tuple[int, int], Decimal], dict[int, Decimal]]:
    """Village targets {(element id, village id): value} and the year's totals {element id:
    value} from the allocation table (second appendix): from ``table`` when the caller read it
    (``allocation_table``), else in two queries (ordered by the row's ``order`` alone: the
    models' default orderings join the plan and its unit)."""
    cells: list[tuple[int, int, Decimal]]
    if table is not None:
        rows = {
            row.pk: row.village_id
            for row in sorted(table.rows, key=lambda row: (row.order, row.pk))
            if row.village_id is not None or row.kind == AllocationRow.Kind.TOTAL
        }
        cells = [
            (row_id, column.element_id, table.values[(row_id, column.pk)])
            for row_id in rows
            for column in table.columns
            if (row_id, column.pk) in table.values
        ]
    else:
        rows = dict(_ALLOCATION_ROWS(plan.pk))
        rank = {row_id: index for index, row_id in enumerate(rows)}
        cells = sorted(_ALLOCATION_CELLS(plan.pk) if rows else [], key=lambda c: rank[c[0]])
    by_village: dict[tuple[int, int], Decimal] = {}
    totals: dict[int, Decimal] = {}
    for row_id, element_id, value in cells:
        village_id = rows[row_id]
        if village_id is None:
            totals.setdefault(element_id, value)
        else:
            by_village[(element_id, village_id)] = value
    return by_village, totals


def _values(
    *, actor: Actor, unit: OrgUnit, period: Period, breakdown: Breakdown
) -> IndicatorValues | None:
    """The engine's values for a progress page: on the map of the period's last day within the
    unit's lifetime, no targets (the page reads its plan's). None when there is no record
    before that day (nothing to count). NotVisible where the actor may not read the records."""
    try:
        return indicator_values(
            actor=actor,
            unit=unit,
            period=period,
            as_of=as_of_within(unit, period),
            breakdown=breakdown,
            targets=False,
            participants=False,
        )
    except PermissionDenied:
        raise NotVisible(_("Administrative unit not found.")) from None
    except ValidationError:
        return None


def _text_records(
    rules: list[IndicatorRule],
    *,
    period: Period,
    units: frozenset[int],
    limit: int,
    latest: Callable[[], list[tuple[Event, dict]]],
) -> tuple[list[Any], bool]:
    """The latest records that answer a text target (its rules), and whether there are more:
    the latest events of every kind (``latest``, read once per page), one query per rule
    reading other records."""
    found: list[Any] = []
    for rule in rules:
        if rule.source == IndicatorRule.Source.EVENTS:
            found += [e for e, row in latest() if row_matches(rule, row)]
        else:
            found += rule_records(rule, path="", period=period, units=units)[: limit + 1]
    unique = list({(type(r), r.pk): r for r in found}.values())
    if len({type(r) for r in unique}) == 1 and isinstance(unique[0], Event):
        unique.sort(key=lambda e: (e.held_on, e.pk), reverse=True)
    return unique[:limit], len(unique) > limit


def _village_lines(
    line: AppendixLine,
    villages: list[OrgUnit],
    village_ids: list[int],
    allocated: dict[tuple[int, int], Decimal],
    actuals: list[int],
) -> list[VillageProgress]:
    """Each village's target (its allocation, else the plan's target for each village) and
    actual (``actuals``, in the order of ``villages``)."""
    village_target = line.village
    per_village = (
        village_target.value
        if village_target is not None and village_target.kind == Target.Kind.NUMBER
        else None
    )
    element_id = line.element.pk
    found = []
    for unit, unit_id, actual in zip(villages, village_ids, actuals, strict=True):
        target = allocated.get((element_id, unit_id))
        found.append(
            VillageProgress(
                unit=unit, target=per_village if target is None else target, actual=actual
            )
        )
    return found


def _version_in_force(plan: Plan, period: Period) -> Plan:
    """The version whose targets count on the day read (the year's end, or today): an approved
    amendment replaces its plan's targets from its effective date (issue 12, point 4). A draft
    that amends nothing is a chain of one (only an approved plan is amended, no plan returns to
    draft) with no version in force: its own targets, without reading its chain."""
    if plan.status == Plan.Status.DRAFT and plan.amends_id is None:
        return plan
    return plan_in_force(plan_or_chain=plan, on=min(period.end, timezone.localdate())) or plan


def plan_progress(
    *,
    actor: Actor,
    plan: Plan,
    records_limit: int = 5,
    village: OrgUnit | None = None,
    appendix: list[AppendixLine] | None = None,
    allocation: AllocationTable | None = None,
) -> PlanProgress:
    """Targets beside computed actuals, for the commune and each village, in fixed queries:
    the version in force (1, none for a first draft), the appendix (2), villages (1), the
    allocation (2), the engine's (``indicator_values``: the access check, the map, the rules, one
    per kind of record); for the records listed under text targets, the latest events and one
    per rule of a text target that reads other records (capped by the plan's lines, not by the
    data).

    With ``village``, everything is computed for that village alone: ``actual`` is the
    village's, ``villages`` holds only it and the records listed are its own.

    ``appendix`` and ``allocation``: the plan's (``plan_appendix``, ``allocation_table``) when the
    caller read them already (the plan page); used when the plan is itself the version in force.
    """
    period = Period.year(plan.year)
    in_force = _version_in_force(plan, period)
    if in_force.pk != plan.pk:
        appendix = allocation = None
    lines = appendix if appendix is not None else plan_appendix(plan=in_force)
    commune = plan.issuing_unit
    unit = village or commune
    breakdown = Breakdown.UNIT if village is not None else Breakdown.CHILDREN
    data = _values(actor=actor, unit=unit, period=period, breakdown=breakdown)
    if village is not None:
        villages = [village]
    elif data is not None:  # the commune's villages on the map the values are read on
        villages = sorted(
            (u for u in data.children if u.level == OrgUnit.Level.VILLAGE), key=lambda u: u.name
        )
    else:
        villages = commune_villages(commune, as_of_within(unit, period))
    allocated, totals = _allocation(in_force, allocation)
    rules = data.rules if data is not None else {}
    units = data.record_units if data is not None else frozenset()

    @cache
    def latest() -> list[tuple[Event, dict]]:
        return latest_events(path="", period=period, limit=records_limit + 1, units=units)

    village_ids = [v.pk for v in villages]
    nothing = [0] * len(villages)  # a line without rules: nothing is counted (nor shown)
    result: list[ProgressLine] = []
    for line in lines:
        element = line.element
        element_rules = rules.get(element.pk, [])
        counted = data if element_rules else None
        progress = ProgressLine(
            line=line,
            measured=bool(element_rules),
            actual=counted.actual(unit, element) if counted is not None else 0,
            allocated_total=totals.get(element.pk),
            villages=_village_lines(
                line,
                villages,
                village_ids,
                allocated,
                counted.values.results(village_ids, element.pk) if counted is not None else nothing,
            ),
        )
        text = progress.is_village_text if village is not None else progress.is_text
        if text and element_rules and data is not None:
            progress.records, progress.more_records = _text_records(
                element_rules, period=period, units=units, limit=records_limit, latest=latest
            )
        result.append(progress)
    return PlanProgress(plan=plan, villages=villages, lines=result, period=period, village=village)


def progress_label(line: ProgressLine) -> str:
    if not line.measured:
        return ""
    if line.percent is None:
        return str(line.actual)
    return _("%(actual)s of %(target)s (%(percent)s%%)") % {
        "actual": line.actual,
        "target": line.target_value,
        "percent": line.percent,
    }


# --- access: who reads progress where ------------------------------------------------------


def records_unit_get(*, actor: User, unit_id: int) -> OrgUnit:
    """A unit whose records the actor may read (``records.view`` there or above, or in a unit it
    became part of); 404 else. Read by id, then checked with ``can`` as ``plan_get`` does: 0.18
    ms of CPU against 1.5 for the visible units' query (load database, one process)."""
    unit = org_unit_visible_get(actor, RECORDS_VIEW, unit_id)
    if unit is None:
        raise NotVisible(_("Administrative unit not found."))
    return unit


def records_units_of(actor: User) -> list[OrgUnit]:
    """The units where the actor reads records, highest first (their work pages)."""
    if actor.is_authenticated and actor.is_active and actor.is_superuser:
        return list(OrgUnit.objects.filter(parent__isnull=True).order_by("path"))
    held = {
        m.org_unit.pk: m.org_unit
        for m in active_memberships(actor)
        if RECORDS_VIEW in m.role.permissions
    }
    units = list(held.values())
    tops = [u for u in units if not any(u.path.startswith(o.path) and u != o for o in units)]
    return sorted(tops, key=lambda u: (u.level, u.path))


def target_issuer(unit: OrgUnit) -> OrgUnit:
    """The unit whose plans set targets for ``unit``: itself, or its commune for a village."""
    return unit.parent if unit.level == OrgUnit.Level.VILLAGE and unit.parent else unit


def _commune_plans(unit: OrgUnit) -> QuerySet[Plan]:
    return Plan.objects.filter(issuing_unit=target_issuer(unit))


def unit_plans(*, actor: User, unit: OrgUnit, year: int) -> list[Plan]:
    """The plans issued by ``unit`` for ``year`` that the actor may open."""
    return list(plan_list(actor=actor, year=year).filter(issuing_unit=unit))


def village_progress(*, actor: User, village: OrgUnit, year: int) -> PlanProgress | None:
    """A village's own progress against its commune's plan of the year, for its head.

    Heads of villages cannot open the commune's plan (their roles hold ``plans.view`` in their
    village only), but they record its work and are asked to reach its village targets: this
    shows them those targets and their village's actuals, and nothing of other villages or of
    the commune's totals. None when the commune has no plan for the year.
    """
    if not org_units_visible_to(actor, RECORDS_VIEW).filter(pk=village.pk).exists():
        raise NotVisible(_("Administrative unit not found."))
    plan = (
        _commune_plans(village)
        .filter(year=year)
        .select_related("issuing_unit", "project")
        .order_by("status", "-issued_on", "-pk")  # "approved" sorts before "draft"
        .first()
    )
    if plan is None:
        return None
    return plan_progress(actor=actor, plan=plan, village=village)


@dataclass
class IndicatorActual:
    element: ProgramElement
    actual: int
    rules: list[IndicatorRule]
    # With predecessors: the unit's own records, then each predecessor's (they add up to actual).
    parts: list[int] = field(default_factory=list)


def _in_year(element: ProgramElement, year: int) -> bool:
    return (element.start_year is None or element.start_year <= year) and (
        element.end_year is None or element.end_year >= year
    )


def unit_progress(
    *, actor: Actor, unit: OrgUnit, year: int, predecessors: Sequence[OrgUnit] = ()
) -> list[IndicatorActual]:
    """Each indicator's actual for ``year`` in ``unit``: its records, those of every unit below
    it and of the units that became part of it (``indicator_values``, as the dashboard counts).
    With ``predecessors``, each item's ``parts`` say what the unit's own records and each of
    them brought.

    Queries do not grow with the subtree: the access check, the map, the rules, one per kind of
    record. NotVisible where the actor may not read the unit's records.
    """
    breakdown = Breakdown.ORIGIN if predecessors else Breakdown.UNIT
    data = _values(actor=actor, unit=unit, period=Period.year(year), breakdown=breakdown)
    if data is None:  # no record before that year: every indicator at 0
        rules = list(IndicatorRule.objects.select_related("element").order_by("element__order"))
        by_element: dict[int, list[IndicatorRule]] = defaultdict(list)
        for rule in rules:
            by_element[rule.element_id].append(rule)
        elements = list({rule.element_id: rule.element for rule in rules}.values())
    else:
        by_element, elements = data.rules, data.elements
    items = []
    for element in elements:
        if not _in_year(element, year):
            continue
        actual = data.actual(unit, element) if data is not None else 0
        theirs = [data.actual(p, element) if data is not None else 0 for p in predecessors]
        parts = [actual - sum(theirs), *theirs] if predecessors else []
        items.append(IndicatorActual(element, actual, by_element[element.pk], parts))
    return items
