"""Indicator rules as conditions, so that one query per kind of record computes every rule.

``duan8.activities.selectors.progress.rule_queryset`` answers one rule with one query; a roll-up
of 40 indicators over a province would then scan the year's events 40 times. Here each rule
becomes a condition on the records of its source (``Count("id", filter=condition)``), and all the
rules of a source share one scan. The meaning of every filter key is the one of
``rule_queryset``; ``tests/test_aggregate_rules.py`` checks the two agree on every shipped rule.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Model, OuterRef, Q, Sum
from django.db.models.expressions import Combinable

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
from duan8.activities.selectors.progress import Period
from duan8.programs.models import ProgramElement

Source = IndicatorRule.Source


@dataclass(frozen=True)
class SourceSpec:
    """Where the records of a source live, which field holds their unit, what a rule adds up."""

    model: type[Model]
    unit: str  # the path to the record's unit, e.g. "event__org_unit"
    measure: Callable[[Q], Combinable]
    # The records that can count in the period at all, whatever the rule.
    in_period: Callable[[Period], Q]


def _groups_in_period(period: Period) -> Q:
    dissolved_before = CommunityGroupStatus.objects.filter(
        group=OuterRef("pk"), status=CommunityGroupStatus.Status.DISSOLVED, on__lt=period.start
    )
    return Q(founded_on__lte=period.end) & ~Q(Exists(dissolved_before))


def _members_in_period(period: Period) -> Q:
    return Q(joined_on__lte=period.end) & (Q(left_on__isnull=True) | Q(left_on__gte=period.start))


def _cadres_in_period(period: Period) -> Q:
    return Q(since__lte=period.end) & (Q(until__isnull=True) | Q(until__gte=period.start))


SOURCES: dict[str, SourceSpec] = {
    Source.GROUPS: SourceSpec(
        CommunityGroup, "org_unit", lambda q: Count("id", filter=q), _groups_in_period
    ),
    Source.MEMBERS: SourceSpec(
        CommunityGroupMember, "group__org_unit", lambda q: Count("id", filter=q), _members_in_period
    ),
    Source.EVENTS: SourceSpec(
        Event,
        "org_unit",
        lambda q: Count("id", filter=q),
        lambda p: Q(held_on__gte=p.start, held_on__lte=p.end),
    ),
    Source.PARTICIPANTS: SourceSpec(
        ParticipantCount,
        "event__org_unit",
        lambda q: Sum("count", filter=q),
        lambda p: Q(event__held_on__gte=p.start, event__held_on__lte=p.end),
    ),
    Source.CADRES: SourceSpec(
        WomanCadre, "org_unit", lambda q: Count("id", filter=q), _cadres_in_period
    ),
    Source.DIFFICULTIES: SourceSpec(
        Difficulty,
        "org_unit",
        lambda q: Count("id", filter=q),
        lambda p: Q(raised_on__gte=p.start, raised_on__lte=p.end),
    ),
}


class Elements:
    """Program element ids by code, read once: a rule's activities become ``activity_id IN
    (...)``, so the scans compare integers instead of joining elements and matching codes."""

    def __init__(self) -> None:
        self.codes = dict(ProgramElement.objects.values_list("code", "id"))

    def under(self, codes: list[str]) -> list[int]:
        """Ids of the elements that are one of ``codes`` or lie under one (dotted paths)."""
        return sorted(
            pk
            for code, pk in self.codes.items()
            if any(code == c or code.startswith(f"{c}.") for c in codes)
        )


def _activities(prefix: str, codes: list[str], elements: Elements | None) -> Q:
    """An activity that is one of ``codes`` or lies under one."""
    if elements is not None:
        return Q(**{f"{prefix}activity_id__in": elements.under(codes)})
    condition = Q()
    for code in codes:
        condition |= Q(**{f"{prefix}activity__code": code}) | Q(
            **{f"{prefix}activity__code__startswith": f"{code}."}
        )
    return condition


# Filter keys each source understands; any other key is an error, never silently ignored.
KEYS: dict[str, set[str]] = {
    Source.GROUPS: {"kinds", "women_leadership", "has_channel", "founded_in_year"},
    Source.MEMBERS: {"kinds", "sex"},
    Source.EVENTS: {"kinds", "activities"},
    Source.PARTICIPANTS: {"kinds", "activities", "sex", "minority", "age_group"},
    Source.CADRES: {"statuses"},
    Source.DIFFICULTIES: {"statuses"},
}


def event_condition(
    filters: dict[str, Any], *, prefix: str = "", elements: Elements | None = None
) -> Q:
    """The events an event rule selects (``prefix`` "event__" reads them from participants)."""
    condition = Q()
    if filters.get("kinds"):
        condition &= Q(**{f"{prefix}kind__in": filters["kinds"]})
    if filters.get("activities"):
        condition &= _activities(prefix, filters["activities"], elements)
    return condition


def rule_condition(rule: IndicatorRule, period: Period, *, elements: Elements | None = None) -> Q:
    """Which of the source's records in ``period`` (``SOURCES[source].in_period``) the rule
    counts; the roll-up applies the period once, to the whole scan."""
    source = rule.source
    if source not in SOURCES:
        raise ValueError(f"unknown rule source {source!r}")
    f: dict[str, Any] = rule.filters or {}
    unknown = {key for key, value in f.items() if value not in (None, "", [], False)} - KEYS[source]
    if unknown:
        raise ValueError(f"rule {rule.pk}: filters {sorted(unknown)} are not understood here")
    condition = Q()
    if source == Source.GROUPS:
        if f.get("kinds"):
            condition &= Q(kind__in=f["kinds"])
        if f.get("women_leadership"):
            condition &= Q(women_leadership__in=f["women_leadership"])
        if f.get("has_channel"):
            condition &= ~Q(channel="")
        if f.get("founded_in_year"):
            condition &= Q(founded_on__gte=period.start)
    elif source == Source.MEMBERS:
        if f.get("kinds"):
            condition &= Q(group__kind__in=f["kinds"])
        if f.get("sex"):
            condition &= Q(sex=f["sex"])
    elif source == Source.EVENTS:
        condition &= event_condition(f, elements=elements)
    elif source == Source.PARTICIPANTS:
        condition &= event_condition(f, prefix="event__", elements=elements)
        for key in ("sex", "minority", "age_group"):
            if key in f:
                condition &= Q(**{key: f[key]})
    elif f.get("statuses"):
        condition &= Q(status__in=f["statuses"])
    return condition
