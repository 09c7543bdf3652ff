"""Indicator values computed from records, by the rules attached to each indicator.

``rule_values`` is the one aggregation: one query per rule, grouped by the unit a record belongs
to. ``plan_progress`` buckets those values into the commune's villages and sets them beside the
plan's targets; ``unit_progress`` sums them over any unit's subtree (the reports of issue 6 roll
the same values up the map). Nothing is typed twice: a value on these pages is always a count of
records.

What a rule's filters mean is declared once, in ``activities.rule_filters`` (with ``Period``,
which other apps import from here): ``rule_queryset`` reads it as a ``Q``, ``rules_values`` as
the columns of grouped rows and a test of each row.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.models import CommunityGroup, Event, IndicatorRule
from duan8.activities.rule_filters import (
    Period,
    dimensions,
    row_matches,
    rule_check,
    rule_q,
    source_spec,
)
from duan8.core.audit import NotVisible
from duan8.orgunits.access import active_memberships
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.models import (
    AllocationCell,
    AllocationRow,
    Plan,
    ProgramElement,
    Target,
    format_count,
)
from duan8.programs.selectors import AppendixLine, plan_appendix, plan_list

RECORDS_VIEW = "records.view"


def _source_records(source: str, *, path: str, period: Period) -> tuple[QuerySet, str, Any]:
    """(records of one source under ``path`` that count in ``period``, the field holding their
    unit, the aggregate). What every rule of the source starts from."""
    spec = source_spec(source)
    return spec.records(path=path, period=period), spec.unit_id, spec.measure()


def rule_queryset(rule: IndicatorRule, *, path: str, period: Period) -> tuple[QuerySet, str, Any]:
    """(records, the field holding their unit, the aggregate) for one rule under ``path``.

    The rule's filters mean what ``activities.rule_filters`` declares for its source; grouped
    rows (``rules_values``) and the roll-up read the same declaration.
    """
    qs, unit_field, aggregate = _source_records(rule.source, path=path, period=period)
    return qs.filter(rule_q(rule, period)), unit_field, aggregate


def _source_rows(
    source: str, *, path: str, period: Period, by_unit: bool
) -> list[tuple[dict[str, Any], int]]:
    """One source's records grouped by every column a rule can filter on (``dimensions``: one
    per filter key) and by unit, with their value: one query, a few hundred rows for a
    commune's year."""
    qs, unit_field, aggregate = _source_records(source, path=path, period=period)
    columns = dimensions(source, period)
    if by_unit:
        columns["unit"] = F(unit_field)
    names = list(columns)
    rows = (
        qs.order_by()
        .values(**{f"d_{name}": expression for name, expression in columns.items()})
        .annotate(value=aggregate)
        .values_list(*(f"d_{name}" for name in names), "value")
    )
    return [(dict(zip(names, row[:-1], strict=True)), int(row[-1] or 0)) for row in rows]


def rules_values(
    rules: list[IndicatorRule], *, path: str, period: Period, by_unit: bool = True
) -> dict[int, dict[int | None, int]]:
    """Many rules at once: {rule id: {unit id: value}} (``{None: total}`` when not
    ``by_unit``), in one query per source the rules read, whatever their number."""
    by_source: dict[str, list[IndicatorRule]] = defaultdict(list)
    for rule in rules:
        rule_check(rule)  # a rule is refused whether or not there are records to test it on
        by_source[rule.source].append(rule)
    values: dict[int, dict[int | None, int]] = {rule.pk: defaultdict(int) for rule in rules}
    for source, source_rules in by_source.items():
        matching: dict[tuple, list[IndicatorRule]] = {}  # the same columns in every unit
        for row, value in _source_rows(source, path=path, period=period, by_unit=by_unit):
            key = tuple(v for k, v in row.items() if k != "unit")
            if key not in matching:
                matching[key] = [rule for rule in source_rules if row_matches(rule, row)]
            for rule in matching[key]:
                values[rule.pk][row.get("unit")] += value
    return values


def rule_values(rule: IndicatorRule, *, path: str, period: Period) -> dict[int, int]:
    """The rule's value per unit id (the unit each record belongs to), in one query."""
    qs, unit_field, aggregate = rule_queryset(rule, path=path, period=period)
    rows = (
        qs.order_by().values(unit_field).annotate(value=aggregate).values_list(unit_field, "value")
    )
    return {unit_id: int(value or 0) for unit_id, value in rows}


def rule_records(rule: IndicatorRule, *, path: str, period: Period) -> QuerySet:
    """The records a rule counts (for text targets: "what answers this line")."""
    qs, unit_field, _aggregate = rule_queryset(rule, path=path, period=period)
    if rule.source == IndicatorRule.Source.PARTICIPANTS:
        return Event.objects.filter(pk__in=qs.values("event_id")).select_related("org_unit")
    if rule.source == IndicatorRule.Source.MEMBERS:
        return CommunityGroup.objects.filter(pk__in=qs.values("group_id")).select_related(
            "org_unit"
        )
    return qs.select_related("org_unit")


def indicator_rules(elements: list[ProgramElement]) -> dict[int, list[IndicatorRule]]:
    rules: dict[int, list[IndicatorRule]] = defaultdict(list)
    for rule in IndicatorRule.objects.filter(element__in=elements):
        rules[rule.element_id].append(rule)
    return rules


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


def _allocation(plan: Plan) -> tuple[dict[tuple[int, int], Decimal], dict[int, Decimal]]:
    """Village targets {(element id, village id): value} and the year's totals {element id:
    value} from the allocation table (second appendix), in two queries."""
    rows = {
        r.pk: r.village_id
        for r in AllocationRow.objects.filter(
            Q(village__isnull=False) | Q(kind=AllocationRow.Kind.TOTAL), plan=plan
        ).only("id", "village_id")
    }
    by_village: dict[tuple[int, int], Decimal] = {}
    totals: dict[int, Decimal] = {}
    cells = AllocationCell.objects.filter(row_id__in=rows).select_related("column")
    for cell in cells.order_by("row__order"):
        village_id = rows[cell.row_id]
        if village_id is None:
            totals.setdefault(cell.column.element_id, cell.value)
        else:
            by_village[(cell.column.element_id, village_id)] = cell.value
    return by_village, totals


def _latest_events(*, path: str, period: Period, limit: int) -> list[tuple[Event, dict]]:
    """The latest ``limit`` events of each combination of the columns rules filter events on
    (``dimensions``), in one query, each with those columns (a row for ``row_matches``): the
    latest events any rule of the events source counts are among them, whatever its filters."""
    qs, _unit_field, _aggregate = _source_records(
        IndicatorRule.Source.EVENTS, path=path, period=period
    )
    columns = dimensions(IndicatorRule.Source.EVENTS, period)
    ranked = (
        qs.order_by()
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=list(columns.values()),
                order_by=[F("held_on").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=limit)
        .values("pk")
    )
    events = (
        Event.objects.filter(pk__in=ranked)
        .select_related("org_unit", "activity")
        .annotate(**{f"d_{name}": expression for name, expression in columns.items()})
        .order_by("-held_on", "-id")
    )
    return [(e, {name: getattr(e, f"d_{name}") for name in columns}) for e in events]


def plan_progress(
    *, plan: Plan, records_limit: int = 5, village: OrgUnit | None = None
) -> PlanProgress:
    """Targets beside computed actuals, for the commune and each village, in fixed queries:
    the appendix (2), villages (1), units under the commune (1), the allocation (2), the rules
    (1), one per kind of record the rules read (``rules_values``); for the records listed
    under text targets, one for the latest events and one per rule of a text target that
    reads other records (capped by the plan's lines, not by the data).

    With ``village``, everything is computed for that village alone: ``actual`` is the
    village's, ``villages`` holds only it and the records listed are its own.
    """
    lines = plan_appendix(plan=plan)
    period = Period.year(plan.year)
    commune = plan.issuing_unit
    if village is not None:
        villages = [village]
        root = village.path
    else:
        villages = commune_villages(commune, period.end)
        root = commune.path
    village_by_path = {v.path: v for v in villages}
    units_under = dict(OrgUnit.objects.filter(path__startswith=root).values_list("id", "path"))
    depth = len(commune.path) + 9  # a village's path: the commune's and one 9-character step

    def village_of(unit_id: int) -> OrgUnit | None:
        return village_by_path.get(units_under.get(unit_id, "")[:depth])

    allocated, totals = _allocation(plan)
    rules = indicator_rules([line.element for line in lines])
    values = rules_values([r for rs in rules.values() for r in rs], path=root, period=period)
    latest: list[tuple[Event, dict]] | None = None  # read once, if a text target counts events
    result: list[ProgressLine] = []
    for line in lines:
        element_rules = rules.get(line.element.pk, [])
        progress = ProgressLine(
            line=line, measured=bool(element_rules), allocated_total=totals.get(line.element.pk)
        )
        per_village: dict[int, int] = defaultdict(int)
        for rule in element_rules:
            for unit_id, value in values[rule.pk].items():
                progress.actual += value
                found = village_of(unit_id)
                if found is not None:
                    per_village[found.pk] += value
        village_target = line.village
        for unit in villages:
            target = allocated.get((line.element.pk, unit.pk))
            if (
                target is None
                and village_target is not None
                and village_target.kind == Target.Kind.NUMBER
            ):
                target = village_target.value
            progress.villages.append(
                VillageProgress(unit=unit, target=target, actual=per_village.get(unit.pk, 0))
            )
        text = progress.is_village_text if village is not None else progress.is_text
        if text and element_rules:
            found_records: list[Any] = []
            for rule in element_rules:
                if rule.source == IndicatorRule.Source.EVENTS:
                    if latest is None:
                        latest = _latest_events(path=root, period=period, limit=records_limit + 1)
                    found_records += [e for e, row in latest if row_matches(rule, row)]
                else:
                    found_records += rule_records(rule, path=root, period=period)[
                        : records_limit + 1
                    ]
            unique = list({(type(r), r.pk): r for r in found_records}.values())
            if len({type(r) for r in unique}) == 1 and isinstance(unique[0], Event):
                unique.sort(key=lambda e: (e.held_on, e.pk), reverse=True)
            progress.records = unique[:records_limit]
            progress.more_records = len(unique) > records_limit
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
    """A unit whose records the actor may read (``records.view`` there or above); 404 else."""
    unit = (
        org_units_visible_to(actor, RECORDS_VIEW)
        .select_related("parent")
        .filter(pk=unit_id)
        .first()
    )
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


def _commune_plans(unit: OrgUnit) -> QuerySet[Plan]:
    """Plans that set targets for ``unit``: those it issued, or its commune's for a village."""
    issuer = unit.parent if unit.level == OrgUnit.Level.VILLAGE and unit.parent else unit
    return Plan.objects.filter(issuing_unit=issuer)


def work_year(unit: OrgUnit) -> int:
    """The year a unit's work pages open on: the latest year of a plan for it or under it,
    not after this year; this year when there is none."""
    this_year = timezone.localdate().year
    plans = Plan.objects.filter(
        Q(issuing_unit__path__startswith=unit.path) | Q(pk__in=_commune_plans(unit).values("pk")),
        year__lte=this_year,
    )
    latest = plans.order_by("-year").values_list("year", flat=True).first()
    return latest or this_year


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
    return plan_progress(plan=plan, village=village)


@dataclass
class IndicatorActual:
    element: ProgramElement
    actual: int
    rules: list[IndicatorRule]


def unit_progress(*, actor: User, unit: OrgUnit, year: int) -> list[IndicatorActual]:
    """Each indicator's actual for ``year`` summed over ``unit`` and every unit below it.

    One query for the rules, then one per kind of record they read, whatever the size of the
    subtree: the roll-up to district and province (issue 6) reads this.
    """
    if not org_units_visible_to(actor, RECORDS_VIEW).filter(pk=unit.pk).exists():
        raise NotVisible(_("Administrative unit not found."))
    rules = list(
        IndicatorRule.objects.select_related("element")
        .filter(
            Q(element__start_year__isnull=True) | Q(element__start_year__lte=year),
            Q(element__end_year__isnull=True) | Q(element__end_year__gte=year),
        )
        .order_by("element__order", "element__code", "order", "pk")
    )
    values = rules_values(rules, path=unit.path, period=Period.year(year), by_unit=False)
    by_element: dict[int, IndicatorActual] = {}
    for rule in rules:
        item = by_element.setdefault(
            rule.element_id, IndicatorActual(element=rule.element, actual=0, rules=[])
        )
        item.rules.append(rule)
        item.actual += sum(values[rule.pk].values())
    return list(by_element.values())
