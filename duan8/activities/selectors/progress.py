"""Indicator values computed from records, by the rules attached to each indicator.

``rule_values`` is the one aggregation: one query per rule, grouped by the unit a record belongs
to. ``plan_progress`` buckets those values into the commune's villages and sets them beside the
plan's targets; the reports (issue 6) roll the same values up the map. Nothing is typed twice:
a value on these pages is always a count of records.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
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
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import AllocationCell, AllocationRow, Plan, ProgramElement, Target
from duan8.programs.selectors import AppendixLine, plan_appendix


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def _activity_q(prefix: str, codes: list[str]) -> Q:
    condition = Q()
    for code in codes:
        condition |= Q(**{f"{prefix}code": code}) | Q(**{f"{prefix}code__startswith": f"{code}."})
    return condition


def rule_queryset(rule: IndicatorRule, *, path: str, period: Period) -> tuple[QuerySet, str, Any]:
    """(records, the field holding their unit, the aggregate) for one rule under ``path``."""
    f: dict[str, Any] = rule.filters or {}
    source = rule.source
    if source == IndicatorRule.Source.GROUPS:
        qs = CommunityGroup.objects.filter(
            org_unit__path__startswith=path, founded_on__lte=period.end
        ).exclude(
            Exists(
                CommunityGroupStatus.objects.filter(
                    group=OuterRef("pk"),
                    status=CommunityGroupStatus.Status.DISSOLVED,
                    on__lt=period.start,
                )
            )
        )
        if f.get("kinds"):
            qs = qs.filter(kind__in=f["kinds"])
        if f.get("women_leadership"):
            qs = qs.filter(women_leadership__in=f["women_leadership"])
        if f.get("has_channel"):
            qs = qs.exclude(channel="")
        if f.get("founded_in_year"):
            qs = qs.filter(founded_on__gte=period.start)
        return qs, "org_unit_id", Count("id")
    if source == IndicatorRule.Source.MEMBERS:
        qs = CommunityGroupMember.objects.filter(
            group__org_unit__path__startswith=path, joined_on__lte=period.end
        ).filter(Q(left_on__isnull=True) | Q(left_on__gte=period.start))
        if f.get("kinds"):
            qs = qs.filter(group__kind__in=f["kinds"])
        if f.get("sex"):
            qs = qs.filter(sex=f["sex"])
        return qs, "group__org_unit_id", Count("id")
    if source in (IndicatorRule.Source.EVENTS, IndicatorRule.Source.PARTICIPANTS):
        prefix = "" if source == IndicatorRule.Source.EVENTS else "event__"
        model = Event if source == IndicatorRule.Source.EVENTS else ParticipantCount
        qs = model.objects.filter(
            **{
                f"{prefix}org_unit__path__startswith": path,
                f"{prefix}held_on__gte": period.start,
                f"{prefix}held_on__lte": period.end,
            }
        )
        if f.get("kinds"):
            qs = qs.filter(**{f"{prefix}kind__in": f["kinds"]})
        if f.get("activities"):
            qs = qs.filter(_activity_q(f"{prefix}activity__", f["activities"]))
        if source == IndicatorRule.Source.EVENTS:
            return qs, "org_unit_id", Count("id")
        for key in ("sex", "minority", "age_group"):
            if key in f:
                qs = qs.filter(**{key: f[key]})
        return qs, "event__org_unit_id", Sum("count")
    if source == IndicatorRule.Source.CADRES:
        qs = WomanCadre.objects.filter(org_unit__path__startswith=path, since__lte=period.end)
        qs = qs.filter(Q(until__isnull=True) | Q(until__gte=period.start))
        if f.get("statuses"):
            qs = qs.filter(status__in=f["statuses"])
        return qs, "org_unit_id", Count("id")
    if source == IndicatorRule.Source.DIFFICULTIES:
        qs = Difficulty.objects.filter(
            org_unit__path__startswith=path,
            raised_on__gte=period.start,
            raised_on__lte=period.end,
        )
        if f.get("statuses"):
            qs = qs.filter(status__in=f["statuses"])
        return qs, "org_unit_id", Count("id")
    raise ValueError(f"unknown rule source {source!r}")


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


@dataclass
class VillageProgress:
    unit: OrgUnit
    target: Decimal | None
    actual: int

    @property
    def percent(self) -> int | None:
        return _percent(self.actual, self.target)


@dataclass
class ProgressLine:
    line: AppendixLine
    measured: bool  # has rules: an actual value is computed
    actual: int = 0
    villages: list[VillageProgress] = field(default_factory=list)
    records: list[Any] = field(default_factory=list)  # for text targets

    @property
    def element(self) -> ProgramElement:
        return self.line.element

    @property
    def target_value(self) -> Decimal | None:
        target = self.line.commune
        if target is not None and target.kind == Target.Kind.NUMBER:
            return target.value
        return None

    @property
    def percent(self) -> int | None:
        return _percent(self.actual, self.target_value)

    @property
    def is_text(self) -> bool:
        target = self.line.commune
        return target is not None and target.kind == Target.Kind.TEXT


def _percent(actual: int, target: Decimal | None) -> int | None:
    if target is None or target <= 0:
        return None
    return round(Decimal(actual) * 100 / target)


@dataclass
class PlanProgress:
    plan: Plan
    villages: list[OrgUnit]
    lines: list[ProgressLine]


def commune_villages(commune: OrgUnit, on: datetime.date) -> list[OrgUnit]:
    return [
        unit
        for unit in OrgUnit.objects.filter(parent=commune, level=OrgUnit.Level.VILLAGE).order_by(
            "name"
        )
        if unit.is_valid_on(on)
    ]


def plan_progress(*, plan: Plan, records_limit: int = 5) -> PlanProgress:
    """Targets beside computed actuals, for the commune and each village, in fixed queries:
    the appendix (2), villages (1), village targets from the allocation (2), one per rule, and
    one per text target with rules (capped by the number of such lines, not by the data)."""
    lines = plan_appendix(plan=plan)
    period = Period.year(plan.year)
    villages = commune_villages(plan.issuing_unit, datetime.date(plan.year, 12, 31))
    village_by_path = {v.path: v for v in villages}
    units_under = dict(
        OrgUnit.objects.filter(path__startswith=plan.issuing_unit.path).values_list("id", "path")
    )

    def village_of(unit_id: int) -> OrgUnit | None:
        path = units_under.get(unit_id, "")
        return village_by_path.get(path[: len(plan.issuing_unit.path) + 9])

    allocated: dict[tuple[int, int], Decimal] = {}
    rows = {
        r.pk: r.village_id
        for r in AllocationRow.objects.filter(plan=plan, village__isnull=False).only(
            "id", "village_id"
        )
    }
    for cell in AllocationCell.objects.filter(row_id__in=rows).select_related("column"):
        allocated[(cell.column.element_id, rows[cell.row_id])] = cell.value

    rules = indicator_rules([line.element for line in lines])
    result: list[ProgressLine] = []
    for line in lines:
        element_rules = rules.get(line.element.pk, [])
        progress = ProgressLine(line=line, measured=bool(element_rules))
        per_village: dict[int, int] = defaultdict(int)
        for rule in element_rules:
            for unit_id, value in rule_values(
                rule, path=plan.issuing_unit.path, period=period
            ).items():
                progress.actual += value
                village = village_of(unit_id)
                if village is not None:
                    per_village[village.pk] += value
        village_target = line.village
        for village in villages:
            target = allocated.get((line.element.pk, village.pk))
            if (
                target is None
                and village_target is not None
                and village_target.kind == Target.Kind.NUMBER
            ):
                target = village_target.value
            progress.villages.append(
                VillageProgress(unit=village, target=target, actual=per_village.get(village.pk, 0))
            )
        if progress.is_text and element_rules:
            progress.records = list(
                rule_records(element_rules[0], path=plan.issuing_unit.path, period=period)[
                    :records_limit
                ]
            )
        result.append(progress)
    return PlanProgress(plan=plan, villages=villages, lines=result)


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
