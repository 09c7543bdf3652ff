"""``indicator_values``: the one function that says what an indicator's value is.

Values are always counts of records, by the indicator rules (``IndicatorRule``, their filters
declared in ``activities.rule_filters``); nothing is typed twice. Participants are given by sex
× ethnic minority × age group; counts of groups, events and the like are not disaggregated.
Targets come from the communes' plans (``targets``).
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import RECORDS_VIEW
from duan8.activities.models import CommunityGroup, Difficulty, Event, IndicatorRule, WomanCadre
from duan8.activities.rule_filters import Elements, Period
from duan8.activities.values.records import record_values
from duan8.activities.values.result import (
    SYSTEM,
    Actor,
    Breakdown,
    IndicatorValues,
    ValueStore,
    period_is_year,
    period_of,
)
from duan8.activities.values.targets import target_values
from duan8.core.compiled import Compiled
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.rollup import RollupMap, org_unit_rollup
from duan8.programs.models import Plan, ProgramElement

VIEW = RECORDS_VIEW


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
    """Values of a unit are for those who may read its records (``records.view``, through the
    one access function, ``orgunits.access.can``: the units whose rows
    ``org_units_visible_to`` lists): counts only, no names."""
    if actor is SYSTEM:
        return
    assert isinstance(actor, User)
    if not can(actor, VIEW, unit):
        raise PermissionDenied(
            _("You may not see the records of %(unit)s.") % {"unit": unit.full_name}
        )


# Whether any event was held by a date (built once a process: core.compiled).
_AN_EVENT_BY = Compiled(
    lambda day: Event.objects.filter(held_on__lte=day).order_by().values_list("pk", flat=True)[:1]
)


def as_of_check(as_of: datetime.date) -> None:
    """An "as of" date before every record has no map to show them on: refused."""
    if _AN_EVENT_BY(as_of):
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


def _unit_id(path: str) -> int:
    return int(path.strip("/").split("/")[-1])


def _placement(
    rollup: RollupMap, breakdown: Breakdown
) -> tuple[dict[str, int], Callable[[int], int | None], list[OrgUnit]]:
    """Where records go in the result, by the path of their unit (``place``) and by unit id
    (``row_of``), and the units of the rows under the unit's own."""
    unit = rollup.unit
    if breakdown == Breakdown.CHILDREN:
        return rollup.path_targets, rollup.target_of, rollup.children
    if breakdown == Breakdown.UNIT:
        place = dict.fromkeys(rollup.path_targets, unit.pk)
    else:  # ORIGIN: the prefix a record's unit lies under is the unit it came from
        roots = sorted(rollup.prefixes, key=len, reverse=True)
        place = {
            path: _unit_id(next(root for root in roots if path.startswith(root)))
            for path in rollup.path_targets
        }

    def row_of(pk: int) -> int | None:
        return place.get(rollup.paths.get(pk, ""))

    if breakdown == Breakdown.UNIT:
        return place, row_of, []
    others = {pk for pk in place.values() if pk != unit.pk}
    origins = sorted(OrgUnit.objects.filter(pk__in=others), key=lambda u: (u.name, u.pk))
    return place, row_of, origins


RulesRead = tuple[
    list[IndicatorRule], list[ProgramElement], dict[int, list[IndicatorRule]], Elements
]
_RULES_READ = "_duan8_indicator_rules"


# Read by every page that shows a value: the SQL built once a process (core.compiled).
_RULES_IN_ORDER = Compiled(
    lambda: IndicatorRule.objects.select_related("element").order_by(
        "element__order", "element__code", "order", "pk"
    ),
    prepared=True,
)


def _rules(actor: Actor) -> RulesRead:
    """The rules in order, their elements, the rules by element and the element ids by code.

    Read once per request: kept on the request's user, a new object on every request (a
    dashboard reads the year and its five-year series). ``SYSTEM`` lives as long as the process,
    so the command line reads them each time. Callers copy before they filter."""
    memo: dict[str, Any] = actor.__dict__ if isinstance(actor, User) else {}
    if _RULES_READ not in memo:
        rules = _RULES_IN_ORDER()
        by_element: dict[int, list[IndicatorRule]] = defaultdict(list)
        for rule in rules:
            by_element[rule.element_id].append(rule)
        elements = list({rule.element_id: rule.element for rule in rules}.values())
        memo[_RULES_READ] = (rules, elements, dict(by_element), Elements())
    return memo[_RULES_READ]


def _totals(unit: OrgUnit, values: ValueStore) -> None:
    """The unit's own row is the sum of everything placed in the result (its children's rows
    and its own records)."""
    values.total_into(unit.pk)


def indicator_values(
    *,
    actor: Actor,
    unit: OrgUnit,
    period: int | Period | tuple[datetime.date, datetime.date],
    as_of: datetime.date,
    breakdown: Breakdown = Breakdown.CHILDREN,
    targets: bool = True,
    participants: bool = True,
) -> IndicatorValues:
    """Every indicator's value for ``unit`` in ``period``, on the map of ``as_of``, split as
    ``breakdown`` says; the plans' targets beside them (for a year, unless ``targets`` is
    false) and the participants of each indicator by sex × minority × age group (unless
    ``participants`` is false: the progress pages show neither and skip their cost).

    The records counted are those of the unit and of every unit that became (part of) it, as
    ``orgunits.rollup.org_unit_rollup_map`` places them: in a 2026 view, xã Đặng Thùy Trâm's
    2023 figures are xã Ba Trang's plus xã Ba Khâm's. The progress pages, the plan page, the
    work page, the dashboards, the reports' figures and the exports all read this.

    Raises PermissionDenied when the actor may not read the unit's records, ValidationError for
    a unit that did not exist on ``as_of`` or an ``as_of`` before any record. Queries do not
    grow with the data: visibility, the map (about five), the rules, one per kind of record,
    one for participants, three for targets.
    """
    span = period_of(period)
    require_visible(actor, unit)
    if as_of < span.end:  # else every record counted is on the map of that day
        as_of_check(as_of)
    rollup = org_unit_rollup(unit, on=as_of, records_until=span.end)
    rules, elements, by_element, known = _rules(actor)
    place, row_of, children = _placement(rollup, breakdown)
    values = record_values(rules, rollup, place, span, known, cells=participants)
    shown = [unit, *children]
    if targets and period_is_year(span):
        element_ids = {e.pk for e in elements}
        found = target_values(rollup, span.start.year, element_ids, shown, row_of)
        for key, value in found.items():
            values.add(key, value)
    _totals(unit, values)
    return IndicatorValues(
        unit=unit,
        as_of=as_of,
        period=span,
        children=children,
        elements=list(elements),
        values=values,
        rules=dict(by_element),
        record_units=frozenset(rollup.unit_ids),
    )
