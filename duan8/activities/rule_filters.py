"""What the filters of an indicator rule mean: declared once, read three ways.

An ``IndicatorRule`` picks the records of a source and narrows them with filters (JSON, e.g.
``{"kinds": ["training"], "activities": ["1719.GD1.DA8.ND1.HD1.3"]}``). ``SOURCES`` declares
each source once: its model, the field holding a record's unit, what a rule adds up, which
records count in a period at all, and the filters it understands, each a JSON key read by one
operator on one column. Everything else is derived from that table:

- ``rule_q`` / ``filters_q``: the filters as a ``Q``, for a queryset
  (``values.queries.rule_queryset``) or a ``FILTER`` clause (the one engine of an indicator's
  value, ``values.records``);
- ``dimensions`` and ``row_matches``: the columns a grouped row carries, one per filter, and
  whether a rule counts such a row (``values.queries.latest_events``: the records listed under a
  text target);
- ``filter_problems``: the keys and values the rules loader accepts (``activities.rules``).

An operator says in one place what a filter means in SQL and over a fetched value (``OneOf``:
``column IN (…)`` and ``value in …``), so the readings cannot drift apart. A new filter is one
line in a source's table (with an operator, new or existing); the tests run every declared
filter through every reading (``tests/rule_samples.py``).
"""

import datetime
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Field,
    Model,
    Q,
    QuerySet,
    Sum,
)
from django.utils.translation import gettext as _

from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    Difficulty,
    Event,
    IndicatorRule,
    ParticipantCount,
    WomanCadre,
)
from duan8.core.compiled import Compiled
from duan8.programs.models import ProgramElement

Source = IndicatorRule.Source


@dataclass(frozen=True)
class Period:
    """The days records count in (both ends included)."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def is_under(code: str, codes: list[str]) -> bool:
    """Whether a program element code is one of ``codes`` or lies under one (dotted paths)."""
    return any(code == c or code.startswith(f"{c}.") for c in codes)


_CODES_AND_IDS = Compiled(
    lambda: ProgramElement.objects.order_by().values_list("code", "id"), prepared=True
)


class Elements:
    """Program element ids by code, read once (one query): a rule's activities then become
    ``activity_id IN (…)``, so a scan compares integers instead of joining the elements and
    matching codes (the roll-up over a province)."""

    def __init__(self) -> None:
        self.codes = dict(_CODES_AND_IDS())
        # What the ids depend on, for a cache of the queries built with them.
        self.fingerprint = hash(tuple(sorted(self.codes.items())))

    def under(self, codes: list[str]) -> list[int]:
        """Ids of the elements that are one of ``codes`` or lie under one."""
        return sorted(pk for code, pk in self.codes.items() if is_under(code, codes))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _among(value: Any, allowed: list[Any]) -> bool:
    """``value in allowed``, telling a flag from a number (``True == 1`` in Python)."""
    return any(value == a and isinstance(value, bool) is isinstance(a, bool) for a in allowed)


# --- operators: what a filter means, in SQL and over a fetched value ---------------------------


@dataclass(frozen=True)
class Filter:
    """A filter key read on ``column`` (a field path from the source's model)."""

    column: str

    def given(self, value: Any) -> bool:
        """Whether the rule's value narrows anything (an empty list, no value, or a false
        flag leaves the records as they are)."""
        return bool(value)

    def q(self, value: Any, period: Period, elements: Elements | None) -> Q:
        """The records the filter keeps, for a queryset or a FILTER clause."""
        raise NotImplementedError

    def dimension(self, period: Period) -> Any:
        """What a grouped row holds for this filter (an expression to group by)."""
        return F(self.column)

    def matches(self, held: Any, value: Any) -> bool:
        """Whether a row holding ``held`` (``dimension``) is kept: ``q`` over a fetched row."""
        raise NotImplementedError

    def takes(self, model: type[Model]) -> tuple[str, list[Any] | None]:
        """What the filter accepts, said for a person (with its allowed values, if any)."""
        raise NotImplementedError

    def accepts(self, value: Any, model: type[Model]) -> bool:
        raise NotImplementedError

    def via(self, prefix: str) -> "Filter":
        """The same filter read through a relation (``"event__"``: an event's, from its
        participant counts)."""
        return replace(self, column=f"{prefix}{self.column}")


def _field(model: type[Model], column: str) -> Field:
    *relations, name = column.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model  # type: ignore[assignment]
    return model._meta.get_field(name)  # type: ignore[return-value]


def _choices(model: type[Model], column: str) -> list[Any]:
    field = _field(model, column)
    if isinstance(field, BooleanField):
        return [True, False]
    return [value for value, _label in field.flatchoices]


@dataclass(frozen=True)
class OneOf(Filter):
    """A list of values: records whose column holds one of them."""

    def q(self, value: Any, period: Period, elements: Elements | None) -> Q:
        return Q(**{f"{self.column}__in": value})

    def matches(self, held: Any, value: Any) -> bool:
        return held in value

    def takes(self, model: type[Model]) -> tuple[str, list[Any] | None]:
        return _("a list of values among %(choices)s"), _choices(model, self.column)

    def accepts(self, value: Any, model: type[Model]) -> bool:
        allowed = _choices(model, self.column)
        return isinstance(value, list) and all(_among(v, allowed) for v in value)


@dataclass(frozen=True)
class Equals(Filter):
    """One value: records whose column holds it (``false`` is a value: Kinh participants)."""

    def given(self, value: Any) -> bool:
        return value is not None

    def q(self, value: Any, period: Period, elements: Elements | None) -> Q:
        return Q(**{self.column: value})

    def matches(self, held: Any, value: Any) -> bool:
        return bool(held == value)

    def takes(self, model: type[Model]) -> tuple[str, list[Any] | None]:
        return _("one value among %(choices)s"), _choices(model, self.column)

    def accepts(self, value: Any, model: type[Model]) -> bool:
        return _among(value, _choices(model, self.column))


@dataclass(frozen=True)
class Flag(Filter):
    """``true``: only the records for which ``holds`` (a condition on ``column`` in the period);
    ``false`` or absent: no narrowing."""

    holds: Callable[[str, Period], Q]

    def q(self, value: Any, period: Period, elements: Elements | None) -> Q:
        return self.holds(self.column, period)

    def dimension(self, period: Period) -> Any:
        return ExpressionWrapper(self.holds(self.column, period), output_field=BooleanField())

    def matches(self, held: Any, value: Any) -> bool:
        return bool(held)

    def takes(self, model: type[Model]) -> tuple[str, list[Any] | None]:
        return _("one value among %(choices)s"), [True, False]

    def accepts(self, value: Any, model: type[Model]) -> bool:
        return isinstance(value, bool)


@dataclass(frozen=True)
class Under(Filter):
    """A list of program element codes: records whose element (``column``, a foreign key) is
    one of them or lies under one."""

    def q(self, value: Any, period: Period, elements: Elements | None) -> Q:
        if elements is not None:
            return Q(**{f"{self.column}_id__in": elements.under(value)})
        condition = Q()
        for code in value:  # is_under, in SQL
            condition |= Q(**{f"{self.column}__code": code}) | Q(
                **{f"{self.column}__code__startswith": f"{code}."}
            )
        return condition

    def dimension(self, period: Period) -> Any:
        return F(f"{self.column}__code")

    def matches(self, held: Any, value: Any) -> bool:
        return is_under(held, value)

    def takes(self, model: type[Model]) -> tuple[str, list[Any] | None]:
        return _("a list of codes of program elements"), None

    def accepts(self, value: Any, model: type[Model]) -> bool:
        return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def via(prefix: str, filters: Mapping[str, Filter]) -> dict[str, Filter]:
    return {key: f.via(prefix) for key, f in filters.items()}


# --- the sources ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceSpec:
    """Where a source's records live, which field holds their unit, what a rule adds up, which
    records count in a period whatever the rule, and the filters rules may name."""

    model: type[Model]
    unit: str  # the path to the record's unit, e.g. "event__org_unit"
    aggregate: type[Aggregate]
    field: str  # what the aggregate reads: "id" (a count of records) or "count"
    in_period: Callable[[Period], Q]
    filters: Mapping[str, Filter]

    @property
    def unit_id(self) -> str:
        return f"{self.unit}_id"

    def measure(self, condition: Q | None = None) -> Aggregate:
        """What a rule adds up, over the records ``condition`` keeps (all without one)."""
        return self.aggregate(self.field, filter=condition)

    def records(self, *, path: str, period: Period) -> "QuerySet[Any]":
        """The source's records of the units under ``path`` that can count in ``period``."""
        return self.model._default_manager.filter(
            self.in_period(period), **{f"{self.unit}__path__startswith": path}
        )


def _groups_in_period(period: Period) -> Q:
    """Active in the period: founded by its end, not dissolved before its start. The dissolved
    groups are one uncorrelated list (read once per query, a hashed set on PostgreSQL), not a
    subquery per group and per rule: a country's series of five years read 50,000 groups × every
    rule's column through a correlated EXISTS in 3.2 s."""
    dissolved_before = (
        CommunityGroupStatus.objects.filter(
            status=CommunityGroupStatus.Status.DISSOLVED, on__lt=period.start
        )
        .order_by()
        .values("group_id")
    )
    return Q(founded_on__lte=period.end) & ~Q(pk__in=dissolved_before)


def _members_in_period(period: Period) -> Q:
    return Q(joined_on__lte=period.end) & (Q(left_on__isnull=True) | Q(left_on__gte=period.start))


def _cadres_in_period(period: Period) -> Q:
    return Q(since__lte=period.end) & (Q(until__isnull=True) | Q(until__gte=period.start))


EVENT_FILTERS: dict[str, Filter] = {"kinds": OneOf("kind"), "activities": Under("activity")}

SOURCES: dict[str, SourceSpec] = {
    Source.GROUPS: SourceSpec(
        CommunityGroup,
        "org_unit",
        Count,
        "id",
        _groups_in_period,
        {
            "kinds": OneOf("kind"),
            "women_leadership": OneOf("women_leadership"),
            "has_channel": Flag("channel", lambda column, period: ~Q(**{column: ""})),
            "founded_in_year": Flag(
                "founded_on", lambda column, period: Q(**{f"{column}__gte": period.start})
            ),
        },
    ),
    Source.MEMBERS: SourceSpec(
        CommunityGroupMember,
        "group__org_unit",
        Count,
        "id",
        _members_in_period,
        {"kinds": OneOf("group__kind"), "sex": Equals("sex")},
    ),
    Source.EVENTS: SourceSpec(
        Event,
        "org_unit",
        Count,
        "id",
        lambda period: Q(held_on__gte=period.start, held_on__lte=period.end),
        EVENT_FILTERS,
    ),
    Source.PARTICIPANTS: SourceSpec(
        ParticipantCount,
        "event__org_unit",
        Sum,
        "count",
        lambda period: Q(event__held_on__gte=period.start, event__held_on__lte=period.end),
        {
            **via("event__", EVENT_FILTERS),  # the participants of the events a rule selects
            "sex": Equals("sex"),
            "minority": Equals("minority"),
            "age_group": Equals("age_group"),
        },
    ),
    Source.CADRES: SourceSpec(
        WomanCadre, "org_unit", Count, "id", _cadres_in_period, {"statuses": OneOf("status")}
    ),
    Source.DIFFICULTIES: SourceSpec(
        Difficulty,
        "org_unit",
        Count,
        "id",
        lambda period: Q(raised_on__gte=period.start, raised_on__lte=period.end),
        {"statuses": OneOf("status")},
    ),
}


def source_spec(source: str) -> SourceSpec:
    try:
        return SOURCES[source]
    except KeyError:
        raise ValueError(f"unknown rule source {source!r}") from None


def _given(source: str, filters: Mapping[str, Any]) -> list[tuple[str, Filter, Any]]:
    """(key, filter, value) of each filter the rule names with a value that narrows. A key the
    source does not have is an error, never silently ignored (the loader refuses it first)."""
    declared = source_spec(source).filters
    unknown = set(filters) - set(declared)
    if unknown:
        raise ValueError(f"records {source!r} have no filter {sorted(unknown)}")
    return [
        (key, declared[key], value) for key, value in filters.items() if declared[key].given(value)
    ]


def rule_check(rule: IndicatorRule) -> None:
    """Raise ValueError if the rule names a source or a filter that is not declared."""
    _given(rule.source, rule.filters or {})


def filters_q(
    source: str,
    filters: Mapping[str, Any],
    period: Period,
    *,
    elements: Elements | None = None,
    prefix: str = "",
) -> Q:
    """The records of ``source`` (read through ``prefix``, e.g. "event__" from participant
    counts) that ``filters`` keep, among those counting in ``period`` (``SourceSpec.in_period``,
    not included here). With ``elements``, activities are compared by id."""
    condition = Q()
    for _key, f, value in _given(source, filters):
        condition &= (f.via(prefix) if prefix else f).q(value, period, elements)
    return condition


def rule_q(rule: IndicatorRule, period: Period, *, elements: Elements | None = None) -> Q:
    """The records of the rule's source that it counts, among those counting in ``period``."""
    return filters_q(rule.source, rule.filters or {}, period, elements=elements)


def dimensions(source: str, period: Period) -> dict[str, Any]:
    """{filter key: expression}: what grouped rows of ``source`` carry so that ``row_matches``
    can tell, for any rule of the source, whether it counts them."""
    return {key: f.dimension(period) for key, f in source_spec(source).filters.items()}


def row_matches(rule: IndicatorRule, row: Mapping[str, Any]) -> bool:
    """Whether ``rule`` counts a grouped row (``{filter key: value}``, see ``dimensions``): the
    answer ``rule_q`` gives in SQL."""
    return all(
        f.matches(row[key], value) for key, f, value in _given(rule.source, rule.filters or {})
    )


def filter_problems(source: str, filters: Any) -> list[str]:
    """Why a rule's filters cannot be loaded: keys the source does not have, values a filter
    does not take (translated, for the loader's messages); empty when they are fine."""
    spec = source_spec(source)
    if not isinstance(filters, dict):
        return [_('the filters must be an object {"key": value, …}.')]
    problems = []
    unknown = sorted(set(filters) - set(spec.filters))
    if unknown:
        problems.append(
            _("records “%(source)s” have no filter %(keys)s (they have: %(known)s).")
            % {"source": source, "keys": ", ".join(unknown), "known": ", ".join(spec.filters)}
        )
    for key, value in filters.items():
        f = spec.filters.get(key)
        if f is None or f.accepts(value, spec.model):
            continue
        takes, choices = f.takes(spec.model)
        problems.append(
            _("filter “%(key)s” cannot be %(value)s: it takes %(takes)s.")
            % {
                "key": key,
                "value": _json(value),
                "takes": takes % {"choices": ", ".join(_json(c) for c in choices or [])},
            }
        )
    return problems
