"""Aggregate data: each indicator's value for a unit and its children, on the map of a date.

``data_values`` is what reports, the data page and the exports (DHIS2, ADX, Excel) read. Values
are always counts of records, by the indicator rules; nothing is typed twice. Participants are
given by sex × ethnic minority × age group; counts of groups, events and the like are not
disaggregated. Targets come from the communes' plans.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Min, Q, QuerySet, TextChoices
from django.db.models.functions import Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duan8.accounts.models import User
from duan8.activities.models import (
    AgeGroup,
    CommunityGroup,
    Difficulty,
    Event,
    IndicatorRule,
    ParticipantCount,
    WomanCadre,
)
from duan8.activities.selectors.progress import Period
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import RollupMap, org_unit_rollup_map, org_units_visible_to
from duan8.programs.models import AllocationCell, AllocationRow, Plan, ProgramElement, Target
from duan8.reports.aggregate.conditions import (
    SOURCES,
    Elements,
    Source,
    events_of_rule_condition,
    rule_condition,
)

VIEW = "records.view"


class Measure(TextChoices):
    VALUE = "value", gettext_lazy("Result")
    TARGET = "target", gettext_lazy("Target")
    PARTICIPANTS = "participants", gettext_lazy("Participants")


@dataclass(frozen=True, order=True)
class Cell:
    """A disaggregation of participants: sex (F/M) × ethnic minority × age group."""

    sex: str
    minority: bool
    age_group: str


# Cells in the order tables print them: women first, minorities first, adults first.
CELLS = [
    Cell(sex, minority, age)
    for sex in ("F", "M")
    for minority in (True, False)
    for age in (AgeGroup.ADULT.value, AgeGroup.CHILD.value)
]


@dataclass(frozen=True)
class DataValue:
    unit: OrgUnit
    element: ProgramElement
    measure: str
    value: int | Decimal
    cell: Cell | None = None


class SystemActor:
    """The command line run without ``--user``: the operator, who can read the database anyway.

    Passed explicitly, so a view can never fall into it by forgetting the user.
    """

    pk = None
    is_authenticated = False
    is_active = False
    is_superuser = False

    def get_username(self) -> str:
        return "system"

    def __str__(self) -> str:
        return str(_("System (command line)"))


SYSTEM = SystemActor()
Actor = User | SystemActor


@dataclass
class AggregateData:
    unit: OrgUnit
    as_of: datetime.date
    period: Period
    children: list[OrgUnit]
    elements: list[ProgramElement]
    rows: list[DataValue] = field(default_factory=list)
    _index: dict | None = field(default=None, repr=False, compare=False)

    @property
    def units(self) -> list[OrgUnit]:
        return [self.unit, *self.children]

    def __iter__(self) -> Iterator[DataValue]:
        return iter(self.rows)

    def value(
        self,
        unit: OrgUnit,
        element: ProgramElement | str,
        measure: str = Measure.VALUE,
        cell: Cell | None = None,
    ) -> int | Decimal | None:
        """One value: ``None`` when there is none (no target, no participants in that cell)."""
        if self._index is None or len(self._index) != len(self.rows):
            self._index = {
                (row.unit.pk, row.element.code, str(row.measure), row.cell): row.value
                for row in self.rows
            }
        code = element if isinstance(element, str) else element.code
        return self._index.get((unit.pk, code, str(measure), cell))


def period_of(value: int | Period | tuple[datetime.date, datetime.date]) -> Period:
    if isinstance(value, Period):
        period = value
    elif isinstance(value, int):
        period = Period.year(value)
    else:
        period = Period(*value)
    if period.end < period.start:
        raise ValidationError(_("The period ends before it starts."))
    return period


def period_is_year(period: Period) -> bool:
    return (
        period.start.year == period.end.year
        and period.start == datetime.date(period.start.year, 1, 1)
        and period.end == datetime.date(period.start.year, 12, 31)
    )


def records_start() -> datetime.date | None:
    """The date of the earliest record (event, group, cadre, difficulty, plan year)."""
    dates = [
        Event.objects.aggregate(d=Min("held_on"))["d"],
        CommunityGroup.objects.aggregate(d=Min("founded_on"))["d"],
        WomanCadre.objects.aggregate(d=Min("since"))["d"],
        Difficulty.objects.aggregate(d=Min("raised_on"))["d"],
    ]
    first_plan_year = Plan.objects.aggregate(y=Min("year"))["y"]
    if first_plan_year:
        dates.append(datetime.date(first_plan_year, 1, 1))
    known = [d for d in dates if d is not None]
    return min(known) if known else None


def require_visible(actor: Actor, unit: OrgUnit) -> None:
    """Aggregates of a unit are for those who may see its records (counts only, no names)."""
    if actor is SYSTEM:
        return
    assert isinstance(actor, User)
    if not org_units_visible_to(actor, VIEW).filter(pk=unit.pk).exists():
        raise PermissionDenied(
            _("You may not see the records of %(unit)s.") % {"unit": unit.full_name}
        )


def as_of_check(as_of: datetime.date) -> None:
    """An "as of" date before every record has no map to show them on: refused."""
    if Event.objects.filter(held_on__lte=as_of).exists():
        return  # the usual case, answered by the index on the event date
    start = records_start()
    if start is not None and as_of < start:
        raise ValidationError(
            _(
                "There are no records before %(start)s, so there is no map to show them on as "
                "of %(date)s. Choose an “as of” date on or after %(start)s."
            )
            % {"start": start.strftime("%d/%m/%Y"), "date": as_of.strftime("%d/%m/%Y")}
        )


def _under(field_name: str, prefixes: list[str]) -> Q:
    condition = Q()
    for prefix in prefixes:
        condition |= Q(**{f"{field_name}__path__startswith": prefix})
    return condition


Key = tuple[int, int, str, Cell | None]  # (row unit id, element id, measure, cell)


def _summed(
    qs: QuerySet, unit: str, group_by: list[str], annotations: dict[str, Any], rollup: RollupMap
) -> dict[tuple, list[int]]:
    """Run the grouped query and add its rows up per roll-up row: ``{(target unit id,
    *group_by values): [one sum per annotation]}``.

    Records are grouped by the start of their unit's path, as deep as the roll-up needs
    (``rollup.bucket``): a province view on the old map groups by district, not by village. The
    compiled query runs on a plain cursor: Django's per-value converters would cost more than
    the query itself.
    """
    names = list(annotations)
    grouped = (
        qs.order_by()
        .annotate(bucket=Substr(f"{unit}__path", 1, rollup.bucket))
        .values("bucket", *group_by)
        .annotate(**annotations)
        .values_list("bucket", *group_by, *names)
    )
    sql, params = grouped.query.sql_with_params()
    target_of = rollup.path_targets.get
    width, keys = len(names), len(group_by) + 1
    sums: dict[tuple, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            target = target_of(row[0])
            if target is None:
                continue
            key = (target, *row[1:keys])
            acc = sums.get(key)
            if acc is None:
                acc = sums[key] = [0] * width
            for i, value in enumerate(row[keys:]):
                if value:
                    acc[i] += value
    return sums


def _source_values(
    source: str,
    rules: list[IndicatorRule],
    rollup: RollupMap,
    period: Period,
    elements: Elements,
) -> dict[Key, int]:
    """One query: every rule of the source, per record unit, placed on the roll-up's rows."""
    spec = SOURCES[source]
    annotations = {
        f"r{i}": spec.measure(rule_condition(rule, period, elements=elements))
        for i, rule in enumerate(rules)
    }
    records = spec.model.objects.filter(spec.in_period(period), _under(spec.unit, rollup.prefixes))
    values: dict[Key, int] = defaultdict(int)
    for (target,), sums in _summed(records, spec.unit, [], annotations, rollup).items():
        for rule, value in zip(rules, sums, strict=True):
            if value:
                values[(target, rule.element_id, Measure.VALUE, None)] += int(value)
    return values


def _participant_values(
    event_rules: dict[int, list[IndicatorRule]],
    participant_rules: list[IndicatorRule],
    rollup: RollupMap,
    period: Period,
    elements: Elements,
) -> dict[Key, int]:
    """One query over participant counts, per record unit and cell: the participants of the
    events each event indicator counts (an event counted by two of its rules counts once), and
    the value of each participants rule."""
    spec = SOURCES[Source.PARTICIPANTS]
    annotations: dict[str, Any] = {}
    for element_id, rules in event_rules.items():
        conditions = [events_of_rule_condition(rule, period, elements=elements) for rule in rules]
        selected = Q()
        if all(conditions):  # a rule without filters selects every event: no condition
            for condition in conditions:
                selected |= condition
        annotations[f"e{element_id}"] = spec.measure(selected)
    for i, rule in enumerate(participant_rules):
        annotations[f"p{i}"] = spec.measure(rule_condition(rule, period, elements=elements))
    if not annotations:
        return {}
    records = ParticipantCount.objects.filter(
        spec.in_period(period), _under(spec.unit, rollup.prefixes)
    )
    group_by = ["sex", "minority", "age_group"]
    events = list(event_rules)
    values: dict[Key, int] = defaultdict(int)
    for (target, sex, minority, age), sums in _summed(
        records, spec.unit, group_by, annotations, rollup
    ).items():
        cell = Cell(sex, bool(minority), age)
        for element_id, value in zip(events, sums, strict=False):
            if value:
                values[(target, element_id, Measure.PARTICIPANTS, cell)] += int(value)
        for rule, value in zip(participant_rules, sums[len(events) :], strict=True):
            if value:
                values[(target, rule.element_id, Measure.VALUE, None)] += int(value)
                values[(target, rule.element_id, Measure.PARTICIPANTS, cell)] += int(value)
    return values


def _plans_counted(rollup: RollupMap, year: int) -> list[Plan]:
    """One plan per commune and year: the approved one if any, else the latest draft."""
    plans = Plan.objects.filter(year=year).filter(_under("issuing_unit", rollup.prefixes))
    chosen: dict[int, Plan] = {}
    for plan in plans.order_by("issuing_unit_id", "status", "-issued_on", "-pk").only(
        "pk", "issuing_unit_id", "status", "issued_on"
    ):
        # "approved" sorts before "draft": the first plan of each unit is the one that counts.
        chosen.setdefault(plan.issuing_unit_id, plan)
    return list(chosen.values())


def _target_values(
    rollup: RollupMap, period: Period, element_ids: set[int], shown: list[OrgUnit]
) -> dict[Key, Decimal]:
    """Targets as the plan's progress page reads them (``plan_progress``): for a commune, the
    plan's commune target, else (no target, or "-") the year's total of its allocation table; for
    a village, its allocation, else the plan's target for each village. Only rows that are
    communes or villages get targets; two queries after the plans."""
    if not period_is_year(period):
        return {}
    plans = {plan.pk: plan for plan in _plans_counted(rollup, period.start.year)}
    commune: dict[tuple[int, int], tuple[str, Decimal | None]] = {}  # (plan, element)
    per_village: dict[tuple[int, int], Decimal] = {}
    for plan_id, element_id, scope, kind, value in Target.objects.filter(
        plan_id__in=plans, element_id__in=element_ids
    ).values_list("plan_id", "element_id", "scope", "kind", "value"):
        if scope == Target.Scope.COMMUNE:
            commune[(plan_id, element_id)] = (kind, value)
        elif kind == Target.Kind.NUMBER:
            per_village[(plan_id, element_id)] = value
    allocated: dict[tuple[int, int, int | None], Decimal] = {}  # (plan, element, village)
    cells = AllocationCell.objects.filter(
        Q(row__village__isnull=False) | Q(row__kind=AllocationRow.Kind.TOTAL),
        row__plan_id__in=plans,
        column__element_id__in=element_ids,
    ).order_by("row__order")
    for plan_id, village_id, element_id, value in cells.values_list(
        "row__plan_id", "row__village_id", "column__element_id", "value"
    ):
        allocated.setdefault((plan_id, element_id, village_id), value)

    def commune_target(plan_id: int, element_id: int) -> Decimal | None:
        kind, value = commune.get((plan_id, element_id), (Target.Kind.NONE, None))
        if kind == Target.Kind.NUMBER:
            return value
        if kind == Target.Kind.NONE:
            return allocated.get((plan_id, element_id, None))
        return None  # a text instruction or a suspended line has no number

    values: dict[Key, Decimal] = defaultdict(Decimal)
    levels = {u.pk: u.level for u in shown}
    for plan in plans.values():
        target = rollup.target_of(plan.issuing_unit_id)
        if target is None or levels.get(target) != OrgUnit.Level.COMMUNE:
            continue
        for element_id in element_ids:
            number = commune_target(plan.pk, element_id)
            if number is not None:
                values[(target, element_id, Measure.TARGET, None)] += number
    for village in shown:
        if village.level != OrgUnit.Level.VILLAGE:
            continue
        for plan in plans.values():
            if plan.issuing_unit_id != village.parent_id:
                continue
            for element_id in element_ids:
                number = allocated.get((plan.pk, element_id, village.pk))
                if number is None:
                    number = per_village.get((plan.pk, element_id))
                if number is not None:
                    values[(village.pk, element_id, Measure.TARGET, None)] += number
    return values


def data_values(
    *,
    actor: Actor,
    unit: OrgUnit,
    period: int | Period | tuple[datetime.date, datetime.date],
    as_of: datetime.date,
    children: bool = True,
) -> AggregateData:
    """Every indicator's value for ``unit`` (and each of its children) on the map of ``as_of``.

    The records counted are those of the unit and of every unit that became (part of) it, as
    ``orgunits.selectors.org_unit_rollup_map`` places them: in a 2026 view, xã Đặng Thùy Trâm's
    2023 figures are xã Ba Trang's plus xã Ba Khâm's. Raises PermissionDenied when the actor
    may not see the unit's records, ValidationError for a unit that did not exist on ``as_of``
    or an ``as_of`` before any record.

    Queries do not grow with the data: visibility, the map (about five), the rules, one per kind
    of record, one for participants, three for targets.
    """
    span = period_of(period)
    require_visible(actor, unit)
    as_of_check(as_of)
    rollup = org_unit_rollup_map(unit, on=as_of, records_until=span.end)
    rules = list(
        IndicatorRule.objects.select_related("element").order_by(
            "element__order", "element__code", "order", "pk"
        )
    )
    elements = list({rule.element_id: rule.element for rule in rules}.values())
    by_source: dict[str, list[IndicatorRule]] = defaultdict(list)
    for rule in rules:
        by_source[rule.source].append(rule)

    known = Elements()
    values: dict[Key, Any] = defaultdict(int)
    for source, source_rules in by_source.items():
        if source == Source.PARTICIPANTS:
            continue
        for key, value in _source_values(source, source_rules, rollup, span, known).items():
            values[key] += value
    event_rules: dict[int, list[IndicatorRule]] = defaultdict(list)
    for rule in by_source.get(Source.EVENTS, []):
        event_rules[rule.element_id].append(rule)
    participant_values = _participant_values(
        event_rules, by_source.get(Source.PARTICIPANTS, []), rollup, span, known
    )
    for key, value in participant_values.items():
        values[key] += value

    shown = [unit, *rollup.children] if children else [unit]
    for key, value in _target_values(rollup, span, {e.pk for e in elements}, shown).items():
        values[key] += value

    # The unit's own row is the sum of everything placed under it, children included.
    totals: dict[tuple[int, str, Cell | None], Any] = defaultdict(int)
    for (_target, element_id, measure, cell), value in values.items():
        if measure != Measure.TARGET:
            totals[(element_id, measure, cell)] += value
    for (element_id, measure, cell), value in list(totals.items()):
        values[(unit.pk, element_id, measure, cell)] = value

    rows: list[DataValue] = []
    for shown_unit in shown:
        for element in elements:
            rows.append(
                DataValue(
                    shown_unit,
                    element,
                    Measure.VALUE,
                    values.get((shown_unit.pk, element.pk, Measure.VALUE, None), 0),
                )
            )
            target = values.get((shown_unit.pk, element.pk, Measure.TARGET, None))
            if target is not None:
                rows.append(DataValue(shown_unit, element, Measure.TARGET, target))
            for cell in CELLS:
                count = values.get((shown_unit.pk, element.pk, Measure.PARTICIPANTS, cell))
                if count:
                    rows.append(DataValue(shown_unit, element, Measure.PARTICIPANTS, count, cell))
    return AggregateData(
        unit=unit,
        as_of=as_of,
        period=span,
        children=rollup.children if children else [],
        elements=elements,
        rows=rows,
    )
