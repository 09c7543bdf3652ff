"""One rule read as a query: the records it counts, and their value per unit.

The engine (``values.engine``) reads every rule of a source in one scan; these read one rule at
a time, for what the pages list under a text target ("what answers this line") and as the
reference the engine is tested against. The rule's filters mean what ``activities.rule_filters``
declares for its source, here as a ``Q``.
"""

from collections.abc import Collection
from typing import Any

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from duan8.activities.models import CommunityGroup, Event, IndicatorRule
from duan8.activities.rule_filters import Period, dimensions, rule_q, source_spec


def _source_records(
    source: str, *, path: str, period: Period, units: Collection[int] | None = None
) -> tuple[QuerySet, str, Any]:
    """(records of one source under ``path`` — or, with ``units``, of those units — that count in
    ``period``, the field holding their unit, the aggregate). What every rule of the source
    starts from."""
    spec = source_spec(source)
    if units is None:
        records = spec.records(path=path, period=period)
    else:
        records = spec.model._default_manager.filter(
            spec.in_period(period), **{f"{spec.unit_id}__in": list(units)}
        )
    return records, spec.unit_id, spec.measure()


def rule_queryset(
    rule: IndicatorRule, *, path: str, period: Period, units: Collection[int] | None = None
) -> tuple[QuerySet, str, Any]:
    """(records, the field holding their unit, the aggregate) for one rule under ``path`` (or
    in ``units``).

    The rule's filters mean what ``activities.rule_filters`` declares for its source; the
    engine (``activities.values``) reads the same declaration as a FILTER clause.
    """
    qs, unit_field, aggregate = _source_records(rule.source, path=path, period=period, units=units)
    return qs.filter(rule_q(rule, period)), unit_field, aggregate


def rule_values(rule: IndicatorRule, *, path: str, period: Period) -> dict[int, int]:
    """The rule's value per unit id (the unit each record belongs to), in one query."""
    qs, unit_field, aggregate = rule_queryset(rule, path=path, period=period)
    rows = (
        qs.order_by().values(unit_field).annotate(value=aggregate).values_list(unit_field, "value")
    )
    return {unit_id: int(value or 0) for unit_id, value in rows}


def rule_records(
    rule: IndicatorRule, *, path: str, period: Period, units: Collection[int] | None = None
) -> QuerySet:
    """The records a rule counts (for text targets: "what answers this line")."""
    qs, _unit_field, _aggregate = rule_queryset(rule, path=path, period=period, units=units)
    if rule.source == IndicatorRule.Source.PARTICIPANTS:
        return Event.objects.filter(pk__in=qs.values("event_id")).select_related("org_unit")
    if rule.source == IndicatorRule.Source.MEMBERS:
        return CommunityGroup.objects.filter(pk__in=qs.values("group_id")).select_related(
            "org_unit"
        )
    return qs.select_related("org_unit")


def latest_events(
    *, path: str, period: Period, limit: int, units: Collection[int] | None = None
) -> list[tuple[Event, dict]]:
    """The latest ``limit`` events of each combination of the columns rules filter events on
    (``dimensions``), in one query, each with those columns (a row for ``row_matches``): the
    latest events any rule of the events source counts are among them, whatever its filters."""
    qs, _unit_field, _aggregate = _source_records(
        IndicatorRule.Source.EVENTS, path=path, period=period, units=units
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
