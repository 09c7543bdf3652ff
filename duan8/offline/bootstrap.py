"""What the offline entry page keeps on the phone (issue 17): the signed-in user's own reference
lists, read once online and cached by the service worker.

It holds only what the user needs to record and nothing about other people: the villages where
they record events (with their commune's plans and the plans' activities), the villages where
they propose mothers for the safe-motherhood packages, the kinds of event, the 54 ethnic groups,
and the entry rules (``core.rules_engine``) with their messages in the user's language. No
member, participant or mother recorded by anyone is in it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_PROPOSE, RECORDS_EDIT
from duan8.activities.entry_rules import EVENT_RULES, event_refs
from duan8.activities.models import EthnicGroup, Event
from duan8.activities.selectors.events import (
    activity_kinds,
    activity_label,
    commune_plans,
    default_plan,
    villages_of,
)
from duan8.activities.services.events import plan_activities
from duan8.core.rules_engine import for_client
from duan8.mothers.entry_rules import CASE_RULES, case_refs
from duan8.mothers.services.checks import ETHNIC_CODES, CaseContext
from duan8.mothers.visibility import area_of
from duan8.orgunits.access import active_memberships, can
from duan8.orgunits.inherited import villages_on
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan

FORMAT = "duan8.offline/1"


def _unit(unit: OrgUnit) -> dict[str, Any]:
    return {"id": unit.pk, "name": unit.full_name}


def _held(user: User, permission: str) -> list[OrgUnit]:
    """The communes and villages where the user holds ``permission`` (offline entry is field
    work: a right held above the commune offers nothing here)."""
    units = {
        m.org_unit.pk: m.org_unit
        for m in active_memberships(user)
        if permission in m.role.permissions
        and m.org_unit.level in (OrgUnit.Level.COMMUNE, OrgUnit.Level.VILLAGE)
    }
    return sorted(units.values(), key=lambda unit: unit.path)


def _offered_plans(plans: list[Plan], today: datetime.date) -> list[Plan]:
    """The plans an entry may be recorded under: this year's and last year's (records are often
    typed late), or the latest past one when neither exists."""
    chosen = [plan for plan in plans if plan.year in (today.year, today.year - 1)]
    fallback = default_plan(plans, today)
    if not chosen and fallback is not None:
        chosen = [fallback]
    return chosen


def _activities(user: User, plan: Plan, cache: dict[int, list[dict[str, Any]]]) -> list[dict]:
    if plan.project_id not in cache:
        elements = plan_activities(plan)
        kinds = activity_kinds(actor=user, activities=elements)
        cache[plan.project_id] = [
            {"code": a.code, "label": activity_label(a), "kind": kinds.get(a.pk, "")}
            for a in elements
        ]
    return cache[plan.project_id]


def events_part(user: User, today: datetime.date) -> dict[str, Any] | None:
    """Where the user records events, under which plans and activities; None when nowhere."""
    units: dict[int, OrgUnit] = {}
    for unit in _held(user, RECORDS_EDIT):
        for candidate in [unit, *villages_of(unit, today.year)]:
            if can(user, RECORDS_EDIT, candidate):
                units[candidate.pk] = candidate
    if not units:
        return None
    communes: dict[int, OrgUnit] = {}
    for unit in units.values():
        commune = unit.parent if unit.level == OrgUnit.Level.VILLAGE and unit.parent else unit
        communes[commune.pk] = commune
    plans: list[dict[str, Any]] = []
    cache: dict[int, list[dict[str, Any]]] = {}
    for commune in communes.values():
        for plan in _offered_plans(commune_plans(unit=commune), today):
            plans.append(
                {
                    "id": plan.pk,
                    "year": plan.year,
                    "commune": commune.pk,
                    "label": f"{plan.year} · {commune.full_name}",
                    "activities": _activities(user, plan, cache),
                }
            )
    return {
        "units": [
            {**_unit(u), "commune": u.parent_id if u.level == OrgUnit.Level.VILLAGE else u.pk}
            for u in units.values()
        ],
        "plans": plans,
        "kinds": [[value, str(label)] for value, label in Event.Kind.choices],
        "rules": for_client(EVENT_RULES),
        "refs": event_refs(),
    }


def cases_part(user: User, today: datetime.date) -> dict[str, Any] | None:
    """The villages where the user proposes mothers, by commune; None when nowhere."""
    communes: dict[int, OrgUnit] = {}
    for unit in _held(user, MOTHERS_PROPOSE):
        commune = unit.parent if unit.level == OrgUnit.Level.VILLAGE and unit.parent else unit
        communes[commune.pk] = commune
    offered = []
    for commune in communes.values():
        villages = [
            village
            for village in villages_on(commune=commune, on=today)
            if can(user, MOTHERS_PROPOSE, area_of(commune, village))
        ]
        if villages:
            offered.append({**_unit(commune), "villages": [_unit(v) for v in villages]})
    if not offered:
        return None
    return {
        "communes": offered,
        "rules": for_client(CASE_RULES),
        "refs": case_refs(CaseContext.load()),
    }


def bootstrap(request: Any) -> dict[str, Any]:
    """The JSON the offline page reads (``du-lieu.json``), for the signed-in user."""
    user: User = request.user
    today = timezone.localdate()
    groups = EthnicGroup.objects.filter(code_system=ETHNIC_CODES).order_by("code")
    return {
        "format": FORMAT,
        "user": {"id": user.pk, "name": user.get_full_name() or user.get_username()},
        "language": get_language(),
        "csrf": get_token(request),
        "today": today.isoformat(),
        "ethnic_groups": [
            {"code": g.code, "name": g.name, "minority": g.is_minority} for g in groups
        ],
        "events": events_part(user, today),
        "cases": cases_part(user, today),
    }
