"""``indicator_values_over``: the one engine (``indicator_values``) for several periods at once.

A unit's series (``values.series``) reads one indicator in eight or more years, each on its own
map. Asking ``indicator_values`` once per year costs its queries once per year; this reads the
same records, by the same rules (``rule_filters.rule_q``, ``SourceSpec.in_period``), the same
way (``records``, ``targets``), in one query per kind of record with a column per rule and
period, and the plans' targets of every year in three queries.

Maps: a year is read on its own day (``org_unit_rollup_map``), but the map only changes on the
days units begin or end or succeed each other; the days between two such changes share one map,
read once. So the queries grow with the changes of the map in the years read (one, the reform of
1/7/2025, for 2021–2030), not with the number of years.
"""

import bisect
import datetime
from collections import defaultdict
from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any

from duan8.activities.rule_filters import Period
from duan8.activities.values.engine import _placement, _rules, _totals, as_of_check, require_visible
from duan8.activities.values.records import Reading, record_values_over
from duan8.activities.values.result import (
    Actor,
    Breakdown,
    IndicatorValues,
    Key,
    ValueStore,
    period_is_year,
    period_of,
)
from duan8.activities.values.targets import target_values_over
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.rollup import RollupMap, org_unit_map_changes, org_unit_rollup

PeriodLike = int | Period | tuple[datetime.date, datetime.date]


def _maps(unit: OrgUnit, readings: Sequence[tuple[Period, datetime.date]]) -> list[RollupMap]:
    """The map of each reading, read once for all the days between two changes of the map (the
    same map: ``org_unit_rollup_map`` reads the units' and successions' dates only against its
    day), with the records up to the latest end of the periods read on it."""
    changes = org_unit_map_changes()
    epochs: dict[int, list[int]] = defaultdict(list)
    for index, (_span, day) in enumerate(readings):
        epochs[bisect.bisect_right(changes, day)].append(index)
    maps: list[RollupMap | None] = [None] * len(readings)
    for indexes in epochs.values():
        day = min(readings[i][1] for i in indexes)
        until = max(readings[i][0].end for i in indexes)
        rollup = org_unit_rollup(unit, on=day, records_until=until)  # Việt Nam's is kept
        for i in indexes:
            maps[i] = rollup
    return [m for m in maps if m is not None]


def indicator_values_over(
    *,
    actor: Actor,
    unit: OrgUnit,
    readings: Sequence[tuple[PeriodLike, datetime.date]],
    elements: Collection[int] | None = None,
    targets: bool = True,
) -> list[IndicatorValues]:
    """``indicator_values(actor, unit, period, as_of, breakdown=UNIT, participants=False)`` for
    each (period, as_of) of ``readings``, in that order, limited to the indicators ``elements``
    (ids; all when None). The same values, in a number of queries that does not grow with the
    readings: visibility, the map's state (one read, then its days of change and the map once
    per change in the days read, about six, only when the map changed since this process last
    read it), the rules, the element ids, one per kind of record the rules read, three for the
    targets of every year.

    Raises PermissionDenied and ValidationError as ``indicator_values`` does."""
    if not readings:
        return []
    spans = [(period_of(period), as_of) for period, as_of in readings]
    require_visible(actor, unit)
    late = [as_of for span, as_of in spans if as_of < span.end]
    if late:  # the earliest such day: if it has a map, every later one has
        as_of_check(min(late))
    maps = _maps(unit, spans)
    rules, all_elements, by_element, known = _rules(actor)
    if elements is not None:
        wanted = set(elements)
        rules = [rule for rule in rules if rule.element_id in wanted]
        all_elements = [e for e in all_elements if e.pk in wanted]
        by_element = {pk: r for pk, r in by_element.items() if pk in wanted}
    placements = [_placement(rollup, Breakdown.UNIT) for rollup in maps]
    prefixes = sorted({p for rollup in maps for p in rollup.prefixes})
    bucket = max(rollup.bucket for rollup in maps)
    record_readings: list[Reading] = [
        (span, place)
        for (span, _as_of), (place, _row_of, _children) in zip(spans, placements, strict=True)
    ]
    found = (
        record_values_over(rules, record_readings, prefixes, bucket, known)
        if rules
        else [ValueStore() for _reading in spans]
    )
    planned = _targets(spans, placements, prefixes, all_elements, unit) if targets else {}
    results = []
    for index, ((span, as_of), rollup) in enumerate(zip(spans, maps, strict=True)):
        values = found[index]
        for key, value in planned.get(index, {}).items():
            values.add(key, value)
        _totals(unit, values)
        results.append(
            IndicatorValues(
                unit=unit,
                as_of=as_of,
                period=span,
                children=[],
                elements=list(all_elements),
                values=values,
                rules=dict(by_element),
                record_units=frozenset(rollup.unit_ids),
            )
        )
    return results


def _targets(
    spans: list[tuple[Period, datetime.date]],
    placements: list[tuple[dict[str, int], Any, list[OrgUnit]]],
    prefixes: list[str],
    elements: list[Any],
    unit: OrgUnit,
) -> dict[int, dict[Key, Decimal]]:
    """The plans' targets of the readings that are years, by the reading's index."""
    years = [i for i, (span, _as_of) in enumerate(spans) if period_is_year(span)]
    if not years or not elements:
        return {}
    found = target_values_over(
        [(spans[i][0].start.year, placements[i][1]) for i in years],
        prefixes,
        {e.pk for e in elements},
        [unit],
    )
    return dict(zip(years, found, strict=True))
