"""The records' side of an indicator's value: one query per kind of record, whatever the number
of rules or units.

Each rule becomes a condition on the records of its source (``Count("id", filter=condition)``,
``rule_filters.rule_q``), so all the rules of a source share one scan. Records are grouped by
the start of their unit's path, as deep as the map needs (``RollupMap.bucket``), and each group
is placed on a row of the result (``place``: a path → the id of the unit of the row).
"""

import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any, cast

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Substr

from duan8.activities.models import IndicatorRule, ParticipantCount
from duan8.activities.rule_filters import (
    SOURCES,
    Elements,
    Period,
    Source,
    SourceSpec,
    filters_q,
    rule_q,
)
from duan8.activities.values.result import CELLS, RESULT_SLOT, Cell, Measure, ValueStore
from duan8.orgunits.rollup import RollupMap

# One Cell object per disaggregation, shared by every key that names it (a million values of a
# large export held 1.2 million copies: about 80 MB).
_CELL_OF = {(cell.sex, cell.minority, cell.age_group): cell for cell in CELLS}


def _cell(sex: str, minority: bool, age_group: str) -> Cell:
    key = (sex, bool(minority), age_group)
    found = _CELL_OF.get(key)
    return found if found is not None else Cell(*key)


def _under(field_name: str, prefixes: list[str]) -> Q:
    condition = Q()
    for prefix in prefixes:
        condition |= Q(**{f"{field_name}__path__startswith": prefix})
    return condition


# Compiled queries by everything they are built from (see ``_summed``): building a query of
# forty FILTER columns costs Django more than SQLite takes to run it on a commune's year.
_COMPILED: dict[tuple, tuple[str, tuple | None]] = {}
_COMPILED_MAX = 256


def _rules_key(rules: list[IndicatorRule]) -> tuple:
    return tuple((r.source, json.dumps(r.filters or {}, sort_keys=True)) for r in rules)


def _query_key(
    kind: str, rules: tuple, rollup: RollupMap, period: Period, elements: Elements, *more: Any
) -> tuple:
    """What a grouped query is built from: the rules (source and filters), the period, the
    prefixes and depth of the map, the elements' ids, the database."""
    vendor = connection.vendor
    prefixes = tuple(rollup.prefixes)
    return (kind, vendor, rules, period, prefixes, rollup.bucket, elements.fingerprint, *more)


def _summed(
    key: tuple,
    build: Callable[[], tuple[QuerySet, dict[str, Any]]],
    unit: str,
    group_by: list[str],
    rollup: RollupMap,
    place: dict[str, int],
) -> dict[tuple, list[int]]:
    """Run the grouped query (``build``: the records and one aggregate per column; compiled
    once per ``key``) and add its rows up per row of the result: ``{(row unit id, *group_by
    values): [one sum per column]}``."""
    sums: dict[tuple, list[int]] = {}
    keys = len(group_by) + 1
    for row in _grouped_rows(key, build, unit, group_by, rollup.bucket):
        target = place.get(row[0])
        if target is None:
            continue  # records that count elsewhere on the map of the date
        found = [value or 0 for value in row[keys:]]  # a SUM over no row is NULL
        row_key = (target, *row[1:keys])
        acc = sums.get(row_key)
        if acc is None:  # most often: a row of the result is one bucket
            sums[row_key] = found
        else:
            sums[row_key] = [a + b for a, b in zip(acc, found, strict=True)]
    return sums


def _grouped_rows(
    key: tuple,
    build: Callable[[], tuple[QuerySet, dict[str, Any]]],
    unit: str,
    group_by: list[str],
    bucket: int,
) -> list[tuple]:
    """The rows of the grouped query (``build``, compiled once per ``key``): the start of the
    records' unit path (``bucket`` characters), the ``group_by`` values, one aggregate per
    column. On a plain cursor: Django's per-value converters would cost more than the query."""
    compiled = _COMPILED.get(key)
    if compiled is None:
        qs, annotations = build()
        grouped = (
            qs.order_by()
            .annotate(bucket=Substr(f"{unit}__path", 1, bucket))
            .values("bucket", *group_by)
            .annotate(**annotations)
            .values_list("bucket", *group_by, *annotations)
        )
        sql, params = grouped.query.sql_with_params()
        if connection.vendor == "postgresql":
            # The values merged into the SQL once, as psycopg's client-side cursor merges them
            # on every call: it parses a statement this long (over 4 KB) anew each time.
            sql, params = cast(Any, connection.ops).compose_sql(sql, params), None
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.clear()
        compiled = _COMPILED[key] = (sql, None if params is None else tuple(params))
    sql, params = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _source_values(
    source: str,
    rules: list[IndicatorRule],
    rollup: RollupMap,
    place: dict[str, int],
    period: Period,
    elements: Elements,
    into: ValueStore,
) -> None:
    """One query: every rule of the source, per record unit, placed on the result's rows
    (added to ``into``)."""
    spec = SOURCES[source]

    def build() -> tuple[QuerySet, dict[str, Any]]:
        records = spec.model._default_manager.filter(
            spec.in_period(period), _under(spec.unit, rollup.prefixes)
        )
        return records, {
            f"r{i}": spec.measure(rule_q(rule, period, elements=elements))
            for i, rule in enumerate(rules)
        }

    key = _query_key(source, _rules_key(rules), rollup, period, elements)
    element_ids = [rule.element_id for rule in rules]
    for (target,), sums in _summed(key, build, spec.unit, [], rollup, place).items():
        for element_id, value in zip(element_ids, sums, strict=True):
            if value:
                into.add_at(target, element_id, RESULT_SLOT, int(value))


def _events_of(rules: list[IndicatorRule], period: Period, elements: Elements) -> Q:
    """The participant counts of the events any of an indicator's events rules counts (an
    event counted by two of its rules counts once; a rule without filters selects them all)."""
    conditions = [
        filters_q(Source.EVENTS, rule.filters or {}, period, elements=elements, prefix="event__")
        for rule in rules
    ]
    selected = Q()
    if all(conditions):
        for condition in conditions:
            selected |= condition
    return selected


def _participant_values(
    event_rules: dict[int, list[IndicatorRule]],
    participant_rules: list[IndicatorRule],
    rollup: RollupMap,
    place: dict[str, int],
    period: Period,
    elements: Elements,
    into: ValueStore,
    *,
    cells: bool = True,
) -> None:
    """One query over participant counts, per record unit and cell: the participants of the
    events each event indicator counts, and the value of each participants rule (added to
    ``into``). Without ``cells``, only the participants rules' values (no grouping by cell)."""
    spec = SOURCES[Source.PARTICIPANTS]
    if not event_rules and not participant_rules:
        return

    def build() -> tuple[QuerySet, dict[str, Any]]:
        annotations: dict[str, Any] = {
            f"e{element_id}": spec.measure(_events_of(rules, period, elements))
            for element_id, rules in event_rules.items()
        }
        for i, rule in enumerate(participant_rules):
            annotations[f"p{i}"] = spec.measure(rule_q(rule, period, elements=elements))
        records = ParticipantCount.objects.filter(
            spec.in_period(period), _under(spec.unit, rollup.prefixes)
        )
        return records, annotations

    chosen = tuple((e, _rules_key(rules)) for e, rules in event_rules.items())
    key = _query_key(
        "participants", _rules_key(participant_rules), rollup, period, elements, chosen, cells
    )
    group_by = ["sex", "minority", "age_group"] if cells else []
    events = list(event_rules)
    rule_elements = [rule.element_id for rule in participant_rules]
    for (target, *by_cell), sums in _summed(key, build, spec.unit, group_by, rollup, place).items():
        cell = _cell(by_cell[0], by_cell[1], by_cell[2]) if cells else None
        slot = ValueStore.slot_of(Measure.PARTICIPANTS, cell) if cells else None
        for element_id, value in zip(events, sums, strict=False):
            if value:
                _add_people(into, (target, element_id, cell), slot, int(value))
        for element_id, value in zip(rule_elements, sums[len(events) :], strict=True):
            if value:
                into.add_at(target, element_id, RESULT_SLOT, int(value))
                if cells:
                    _add_people(into, (target, element_id, cell), slot, int(value))


def _add_people(
    into: ValueStore, at: tuple[int, int, Cell | None], slot: int | None, n: int
) -> None:
    """Add ``n`` participants of a cell (``at``: row unit id, element id, cell) at ``slot``
    (``ValueStore.slot_of``), or by its key for a cell outside ``CELLS``."""
    target, element_id, cell = at
    if slot is not None:
        into.add_at(target, element_id, slot, n)
    else:
        into.add((target, element_id, Measure.PARTICIPANTS, cell), n)


def record_values(
    rules: list[IndicatorRule],
    rollup: RollupMap,
    place: dict[str, int],
    period: Period,
    known: Elements,
    *,
    cells: bool = True,
) -> ValueStore:
    """Every rule's value and (``cells``) the participants of every events indicator by cell,
    per row: one query per kind of record the rules read (participants: one, also for the
    events rules). Written straight into the result's compact store (no dictionary of a key per
    value on the way: a million values would hold it twice)."""
    by_source: dict[str, list[IndicatorRule]] = defaultdict(list)
    for rule in rules:
        by_source[rule.source].append(rule)
    values = ValueStore()
    for source, source_rules in by_source.items():
        if source == Source.PARTICIPANTS:
            continue
        _source_values(source, source_rules, rollup, place, period, known, values)
    event_rules: dict[int, list[IndicatorRule]] = defaultdict(list)
    for rule in by_source.get(Source.EVENTS, []) if cells else []:
        event_rules[rule.element_id].append(rule)
    _participant_values(
        event_rules,
        by_source.get(Source.PARTICIPANTS, []),
        rollup,
        place,
        period,
        known,
        values,
        cells=cells,
    )
    return values


# (the period, where its records go: a path → the id of the unit of the row)
Reading = tuple[Period, dict[str, int]]


def record_values_over(
    rules: list[IndicatorRule],
    readings: list[Reading],
    prefixes: list[str],
    bucket: int,
    known: Elements,
) -> list[ValueStore]:
    """Each rule's value in each of ``readings`` (no participants by cell): one query per kind
    of record, whatever the number of periods, with a column per rule and period (the rule's
    condition and the period's, ``rule_q`` and ``SourceSpec.in_period``, as ``record_values``
    reads them). ``prefixes`` and ``bucket`` cover the maps of every reading (their union, the
    deepest grouping); each period's rows are placed by its own map."""
    by_source: dict[str, list[IndicatorRule]] = defaultdict(list)
    for rule in rules:
        by_source[rule.source].append(rule)
    found = [ValueStore() for _reading in readings]
    periods = [period for period, _place in readings]
    span = Period(min(p.start for p in periods), max(p.end for p in periods))
    for source, source_rules in by_source.items():
        spec = SOURCES[source]

        def build(
            spec: SourceSpec = spec, source_rules: list[IndicatorRule] = source_rules
        ) -> tuple[QuerySet, dict[str, Any]]:
            records = spec.model._default_manager.filter(
                spec.in_period(span), _under(spec.unit, prefixes)
            )
            return records, {
                f"r{n}_{i}": spec.measure(spec.in_period(p) & rule_q(rule, p, elements=known))
                for n, p in enumerate(periods)
                for i, rule in enumerate(source_rules)
            }

        key = (
            "over",
            source,
            connection.vendor,
            _rules_key(source_rules),
            tuple(periods),
            tuple(prefixes),
            bucket,
            known.fingerprint,
        )
        for row in _grouped_rows(key, build, spec.unit, [], bucket):
            sums = iter(row[1:])
            for values, (_period, place) in zip(found, readings, strict=True):
                target = place.get(row[0])
                for rule in source_rules:
                    value = next(sums)
                    if value and target is not None:
                        values.add((target, rule.element_id, Measure.VALUE, None), int(value))
    return found
