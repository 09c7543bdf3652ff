"""The events endpoints' input building and answer, shared by the list and one event: the unit,
plan, activity, group, counts and persons of a body checked and looked up as the pages do, the
service's problems renumbered from 0, and an event's answer with its ETag."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.accounts.permissions import RECORDS_EDIT
from duan8.activities.models import CommunityGroup, EthnicGroup, Event, Sex
from duan8.activities.selectors.events import commune_of, event_list
from duan8.activities.selectors.progress import records_unit_get
from duan8.activities.services.events import (
    CountInput,
    EventInput,
    PersonInput,
    counts_from_people,
)
from duan8.api.endpoints.events.serializers import EventDetailOut, counts_attach
from duan8.api.errors import BadRequest
from duan8.api.versions import with_etag
from duan8.core.audit import NotVisible
from duan8.core.compiled import Compiled
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


# The reads of every submission, their SQL built once a process (core.compiled): one row each,
# by its id (no sort by path, the models' default), the plan without joining its issuing unit.
_COMMUNE_PLAN = Compiled(
    lambda pk, commune_id: (
        Plan.objects.filter(pk=pk, issuing_unit_id=commune_id)
        .select_related("project")
        .order_by()[:1]
    ),
    prepared=True,
)
_ACTIVITY = Compiled(
    lambda code: ProgramElement.objects.filter(
        code=code, kind__in=[ProgramElement.Kind.ACTIVITY, ProgramElement.Kind.INDICATOR]
    ).order_by()[:1],
    prepared=True,
)


def editable_unit(user: User, unit_id: int) -> OrgUnit:
    """A commune or village the caller may see (else 404, as ``records_unit_get``) and record
    in (else 403): checked before the body."""
    unit = records_unit_get(actor=user, unit_id=unit_id)
    if unit.level < OrgUnit.Level.COMMUNE:
        raise NotVisible(_("Administrative unit not found."))
    require_permission(user, RECORDS_EDIT, unit)
    return unit


def plan_of(unit: OrgUnit, plan_id: int) -> Plan:
    """One of the plans of the unit's commune (``commune_plans``), read alone; its issuing unit
    is that commune, already read with the unit (not joined again)."""
    commune = commune_of(unit)
    plan = _COMMUNE_PLAN.first(plan_id, commune.pk)
    if plan is None:
        raise BadRequest("plan", _("Choose one of the plans of the unit's commune."), "invalid")
    plan.issuing_unit = commune
    return plan


def activity_of(plan: Plan, code: str) -> ProgramElement:
    """One of the activities of the plan (``plan_activities``), read alone (codes are unique)."""
    element = _ACTIVITY.first(code.strip())
    if element is None or not element.code.startswith(f"{plan.project.code}."):
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
    if not items:
        return []
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


def event_written_answer(event: Event, data: EventInput, status_code: int) -> Response:
    """The answer of ``event_answer`` for an event just created from ``data``, without reading
    it back: the service wrote the input's fields to ``event`` and the cells of the counts, or
    of the list when one is given (``counts_from_people``), those not zero."""
    if data.participants:
        cells = counts_from_people(data.participants, data.held_on)
    else:
        cells = Counter()
        for item in data.counts:
            cells[(item.sex, item.minority, item.age_group)] += item.count
    # In the order of counts_attach: sex, minority first, age group.
    rows = sorted(
        ((key, n) for key, n in cells.items() if n),
        key=lambda row: (row[0][0], not row[0][1], row[0][2]),
    )
    event.count_cells = [  # type: ignore[attr-defined]
        {"sex": sex, "minority": minority, "age_group": age_group, "count": n}
        for (sex, minority, age_group), n in rows
    ]
    event.participants_total = sum(n for _key, n in rows)  # type: ignore[attr-defined]
    event.women_total = sum(n for key, n in rows if key[0] == Sex.FEMALE)  # type: ignore[attr-defined]
    event.has_participant_list = bool(data.participants)  # type: ignore[attr-defined]
    response = Response(EventDetailOut(event).data, status=status_code)
    return with_etag(response, event.version)


def event_answer(user: User, event_id: int, status_code: int = 200) -> Response:
    event = event_list(actor=user).filter(pk=event_id).first()
    assert event is not None  # just read or written through the access function
    counts_attach([event])
    event.has_participant_list = event.participants.exists()  # type: ignore[attr-defined]
    response = Response(EventDetailOut(event).data, status=status_code)
    return with_etag(response, event.version)
