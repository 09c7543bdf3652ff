"""The events endpoints' input building and answer, shared by the list and one event: the unit,
plan, activity, group, counts and persons of a body checked and looked up as the pages do, the
service's problems renumbered from 0, and an event's answer with its ETag."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.accounts.permissions import RECORDS_EDIT
from duan8.activities.models import CommunityGroup, EthnicGroup
from duan8.activities.selectors.events import commune_plans, event_list, records_unit_get
from duan8.activities.services.events import CountInput, PersonInput, plan_activities
from duan8.api.endpoints.events.serializers import EventDetailOut, counts_attach
from duan8.api.errors import BadRequest
from duan8.api.versions import with_etag
from duan8.core.concurrency import EditConflict
from duan8.core.problems import Invalid, Problem, problems_of
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement

TAG = "Sự kiện · Events"

# --- helpers -----------------------------------------------------------------------------------

_PERSON = re.compile(r"^participants\.(\d+)\.")


def _zero_based(exc: Invalid) -> Invalid:
    """The service numbers the persons of a list from 1; the API from 0, as the array sent."""
    problems = []
    for problem in problems_of(exc):
        found = _PERSON.match(problem.field)
        if found:
            number = int(found.group(1)) - 1
            problem = replace(
                problem, field=f"participants.{number}.{problem.field[found.end() :]}"
            )
        problems.append(problem)
    return Invalid(problems)


def saved(call: Any) -> Any:
    try:
        return call()
    except EditConflict:
        raise
    except Invalid as exc:
        raise _zero_based(exc) from None


def raw_int(data: Any, name: str) -> int | None:
    value = data.get(name) if isinstance(data, dict) else None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def editable_unit(user: User, unit_id: int) -> OrgUnit:
    """A unit the caller may see (else 404) and record in (else 403): checked before the body."""
    unit = records_unit_get(actor=user, unit_id=unit_id)
    require_permission(user, RECORDS_EDIT, unit)
    return unit


def plan_of(unit: OrgUnit, plan_id: int) -> Plan:
    plan = next((p for p in commune_plans(unit=unit) if p.pk == plan_id), None)
    if plan is None:
        raise BadRequest("plan", _("Choose one of the plans of the unit's commune."), "invalid")
    return plan


def activity_of(plan: Plan, code: str) -> ProgramElement:
    element = next((a for a in plan_activities(plan) if a.code == code.strip()), None)
    if element is None:
        raise BadRequest(
            "activity", _("Choose one of the activities of the plan."), "invalid_choice"
        )
    return element


def group_of(plan: Plan, group_id: int | None) -> CommunityGroup | None:
    if group_id is None:
        return None
    group = (
        CommunityGroup.objects.filter(
            pk=group_id, org_unit__path__startswith=plan.issuing_unit.path
        )
        .select_related("org_unit")
        .first()
    )
    if group is None:
        raise BadRequest("group", _("Choose one of the groups of the commune."), "invalid_choice")
    return group


def people_of(items: list[dict[str, Any]]) -> list[PersonInput]:
    codes = {item["ethnic_group"].strip() for item in items}
    groups = {g.code: g for g in EthnicGroup.objects.filter(code__in=codes)}
    problems = [
        Problem(
            f"participants.{index}.ethnic_group",
            _("“%(value)s” is not the code of an ethnic group.") % {"value": item["ethnic_group"]},
            "invalid_choice",
        )
        for index, item in enumerate(items)
        if item["ethnic_group"].strip() not in groups
    ]
    if problems:
        raise Invalid(problems)
    return [
        PersonInput(
            full_name=item["full_name"],
            sex=item["sex"],
            ethnic_group=groups[item["ethnic_group"].strip()],
            birth_year=item.get("birth_year"),
            position=item.get("position", ""),
            workplace=item.get("workplace", ""),
        )
        for item in items
    ]


def counts_of(items: list[dict[str, Any]]) -> list[CountInput]:
    return [
        CountInput(item["sex"], item["minority"], item["age_group"], item["count"])
        for item in items
    ]


def event_answer(user: User, event_id: int, status_code: int = 200) -> Response:
    event = event_list(actor=user).filter(pk=event_id).first()
    assert event is not None  # just read or written through the access function
    counts_attach([event])
    event.has_participant_list = event.participants.exists()  # type: ignore[attr-defined]
    response = Response(EventDetailOut(event).data, status=status_code)
    return with_etag(response, event.version)
