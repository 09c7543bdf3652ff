"""A new plan from the plans of the communes a unit succeeded (issue 12, points 1 a and 5).

Xã Đặng Thùy Trâm (from 1/7/2025) has no plan of its own before 2027: "from the previous plan"
then means from the latest plan of xã Ba Trang or xã Ba Khâm, the communes it succeeded (the most
recent year, an approved one first, then by the old commune's name). Its structure and texts are
copied as ``plan_new`` copies a unit's own previous plan, with the old commune's name replaced by
the new one's (and the old level above by the new one: huyện Ba Tơ → tỉnh Quảng Ngãi); the signer's
name is left for the new commune to give. Its village rows follow the villages through the map's
history (``village_successors``): a village of xã Ba Trang taken over by xã Đặng Thùy Trâm
(``orgunits.villages_move``), or renamed since, keeps its row under the name it has now.

Only the map's history and the plans are read here; ``plan_new`` does the writing.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from duan8.orgunits.models import OrgUnit, OrgUnitSuccession
from duan8.orgunits.predecessors import org_unit_predecessors
from duan8.programs.models import Plan

# How many steps of village history are followed (taken over, then renamed, then merged ...).
_STEPS = 6


def predecessors_plan(unit: OrgUnit, year: int) -> Plan | None:
    """The latest plan before ``year`` of the units ``unit`` succeeded by the end of ``year``, for
    a unit without a plan of its own (two queries)."""
    predecessors = org_unit_predecessors(unit, on=datetime.date(year, 12, 31))
    if not predecessors:
        return None
    return (
        Plan.objects.filter(issuing_unit__in=[p.unit for p in predecessors], year__lt=year)
        .select_related("project", "issuing_unit")
        .order_by("-year", "status", "issuing_unit__name", "-number", "-pk")
        .first()
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def name_rewriter(previous: Plan, new: OrgUnit) -> Callable[[str], str]:
    """Replaces, in a text of ``previous`` (a predecessor's plan), its unit's name by ``new``'s
    ("xã Ba Trang" → "xã Đặng Thùy Trâm", also capitalised or in capitals), and the name of the
    level above it by the one above ``new`` when they differ. Unchanged text for the unit's own
    plans (no query then)."""
    if previous.issuing_unit_id == new.pk:
        return lambda text: text
    old = previous.issuing_unit
    pairs = [(old, new)]
    if old.parent is not None and new.parent is not None and old.parent_id != new.parent_id:
        pairs.append((old.parent, new.parent))
    replacements: list[tuple[str, str]] = []
    for before, after in pairs:
        for form in (str.upper, lambda s: s, _lower_first):
            replacements.append((form(before.full_name), form(after.full_name)))

    def rewrite(text: str) -> str:
        for before, after in replacements:
            text = text.replace(before, after)
        return text

    return rewrite


def successor_fields(fields: dict[str, Any], previous: Plan, unit: OrgUnit) -> dict[str, Any]:
    """The copied fields of a predecessor's plan, made the new unit's: names replaced, the place
    the new unit's when it was the old one's, the signer's name left blank."""
    if previous.issuing_unit_id == unit.pk:
        return fields
    old = previous.issuing_unit
    rewrite = name_rewriter(previous, unit)
    made = {
        name: rewrite(value) if isinstance(value, str) else value for name, value in fields.items()
    }
    if previous.place == old.name:
        made["place"] = unit.name
    made["signer_name"] = ""
    return made


def village_successors(village_ids: Iterable[int], current: set[int]) -> dict[int, int]:
    """For each village id, the village of ``current`` it went on as (taken over, renamed, merged
    into, or the main part of a split), following the successions; villages that did not reach
    one of ``current`` are left out. One query per step of history."""
    found: dict[int, int] = {}
    frontier = {pk: pk for pk in village_ids if pk not in current}  # where it is now → origin
    for _step in range(_STEPS):
        if not frontier:
            break
        edges = OrgUnitSuccession.objects.filter(
            predecessor_id__in=frontier, is_primary=True
        ).values_list("predecessor_id", "successor_id")
        following: dict[int, int] = {}
        for predecessor_id, successor_id in edges:
            origin = frontier[predecessor_id]
            if successor_id in current:
                found[origin] = successor_id
            else:
                following[successor_id] = origin
        frontier = following
    return found
