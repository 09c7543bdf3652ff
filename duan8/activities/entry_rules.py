"""The checks of an event that need no database, as data (issue 17): one table that the server
(``services.events.event_check``) and the offline entry page (``rules.js``) both read.

``EVENT_RULES`` is read by ``core.rules_engine.check`` against ``event_values(data)``, the event
as the plain JSON that POST /api/v1/events/ takes (ids, the activity's code, ISO dates, numbers,
text, the counts and the named participants with their ethnic group's code) plus the plan's year
(``plan_year``), with the lists ``event_refs()`` gives (the kinds of event, the sexes, the age
groups). A field keeps its first problem, so "required" comes before "length", the plan's year
before the future.

What needs the plan's objects or the database stays in ``services.events``: the activity belongs
to the plan's project, the unit and the group are in the plan's commune, and the counts given
agree with the list of people (the counts derived from the list need each ethnic group's
minority flag).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_noop

from duan8.activities.models import AgeGroup, Event, Participant, Sex
from duan8.activities.services.shared import EARLIEST_BIRTH_YEAR, NOTES_MAX

if TYPE_CHECKING:
    from duan8.activities.services.events import EventInput

TITLE_MAX: int = Event._meta.get_field("title").max_length  # type: ignore[assignment]
NAME_MAX: int = Participant._meta.get_field("full_name").max_length  # type: ignore[assignment]

_REQUIRED = gettext_noop("required.")
_TOO_LONG = gettext_noop("%(length)s characters; at most %(limit)s.")
_NOT_A_DATE = gettext_noop("“%(value)s” is not a date; write it as YYYY-MM-DD.")
_OUTSIDE_YEAR = gettext_noop("%(date)s is outside the plan's year %(year)s.")


def _var(name: str) -> dict[str, Any]:
    return {"var": name}


def _given(name: str) -> dict[str, Any]:
    return {"!": {"blank": _var(name)}}


def _not_in(name: str, ref: str) -> dict[str, Any]:
    return {"!": {"in": [_var(name), {"ref": ref}]}}


def _required(field: str, name: str | None = None, each: str | None = None) -> dict[str, Any]:
    rule = {"field": field, "code": "required", "fail": {"blank": _var(name or field)}}
    return {**rule, "message": _REQUIRED, **({"each": each} if each else {})}


def _length(
    field: str, limit: int, name: str | None = None, each: str | None = None
) -> dict[str, Any]:
    length = {"len": _var(name or field)}
    return {
        "field": field,
        "code": "max_length",
        **({"each": each} if each else {}),
        "fail": {">": [length, limit]},
        "message": _TOO_LONG,
        "params": {"length": length, "limit": limit},
    }


def _date_rules(field: str) -> list[dict[str, Any]]:
    """A date given is a real day (the offline page's input; the server has dates) in the plan's
    year."""
    given = _given(field)
    return [
        {
            "field": field,
            "code": "invalid",
            "if": given,
            "fail": {"!": {"year": _var(field)}},
            "message": _NOT_A_DATE,
            "params": {"value": _var(field)},
        },
        {
            "field": field,
            "code": "year",
            "if": given,
            "fail": {"!=": [{"year": _var(field)}, _var("plan_year")]},
            "message": _OUTSIDE_YEAR,
            "params": {"date": {"dmy": _var(field)}, "year": _var("plan_year")},
        },
    ]


# the year the people listed may be born by: the event's, or this year's before it has a date
_HELD_YEAR = {"year": _var("held_on")}
_LATEST_BIRTH = {"if": [_HELD_YEAR, _HELD_YEAR, {"year": {"today": []}}]}

EVENT_RULES: list[dict[str, Any]] = [
    {
        "field": "kind",
        "code": "invalid_choice",
        "fail": _not_in("kind", "event_kinds"),
        "message": gettext_noop("“%(value)s” is not a kind of event."),
        "params": {"value": _var("kind")},
    },
    _required("title"),
    _length("title", TITLE_MAX),
    _required("held_on"),
    *_date_rules("held_on"),
    *_date_rules("ended_on"),
    {
        "field": "held_on",
        "code": "future",
        "fail": {">": [{"days": _var("held_on")}, {"days": {"today": []}}]},
        "message": gettext_noop("%(date)s is in the future; record what has been carried out."),
        "params": {"date": {"dmy": _var("held_on")}},
    },
    {
        "field": "ended_on",
        "code": "order",
        "fail": {"<": [{"days": _var("ended_on")}, {"days": _var("held_on")}]},
        "message": gettext_noop("before the start date."),
    },
    {
        "field": "cost",
        "code": "min_value",
        "fail": {"<": [_var("cost"), 0]},
        "message": gettext_noop("cannot be negative."),
    },
    _length("notes", NOTES_MAX),
    {
        "field": "counts",
        "code": "min_value",
        "each": "counts",
        "fail": {"<": [_var("item.count"), 0]},
        "message": gettext_noop("a number cannot be negative."),
    },
    {
        "field": "counts",
        "code": "invalid_choice",
        "each": "counts",
        "fail": {"or": [_not_in("item.sex", "sexes"), _not_in("item.age_group", "age_groups")]},
        "message": gettext_noop("unknown sex or age group."),
    },
    _required("participants.{n}.full_name", "item.full_name", "participants"),
    _length("participants.{n}.full_name", NAME_MAX, "item.full_name", "participants"),
    {
        "field": "participants.{n}.sex",
        "code": "invalid_choice",
        "each": "participants",
        "fail": _not_in("item.sex", "sexes"),
        "message": gettext_noop("must be Nam or Nữ."),
    },
    _required("participants.{n}.ethnic_group", "item.ethnic_group", "participants"),
    {
        "field": "participants.{n}.birth_year",
        "code": "year",
        "each": "participants",
        "if": _given("item.birth_year"),
        "fail": {
            "or": [
                {"<": [_var("item.birth_year"), EARLIEST_BIRTH_YEAR]},
                {">": [_var("item.birth_year"), _LATEST_BIRTH]},
            ]
        },
        "message": gettext_noop("%(year)s is not possible (from %(earliest)s to %(latest)s)."),
        "params": {
            "year": _var("item.birth_year"),
            "earliest": EARLIEST_BIRTH_YEAR,
            "latest": _LATEST_BIRTH,
        },
    },
    {
        "field": "participants",
        "code": "required",
        "if": {"!=": [_var("kind"), Event.Kind.BROADCAST.value]},
        "fail": {
            "and": [
                {"blank": _var("participants")},
                {"!": {">": [{"sum": [_var("counts"), "count"]}, 0]}},
            ]
        },
        "message": gettext_noop("give the number of participants or their list."),
    },
]


def event_refs() -> dict[str, list[Any]]:
    """The lists the rules read (``{"ref": name}``): the same on the server and offline."""
    return {
        "event_kinds": list(Event.Kind.values),
        "sexes": list(Sex.values),
        "age_groups": list(AgeGroup.values),
    }


def _text(value: str | None) -> str | None:
    """A choice as plain text (a ``TextChoices`` member is its value); None stays None."""
    return None if value is None else str(value)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def event_values(data: EventInput) -> dict[str, Any]:
    """The event as POST /api/v1/events/ takes it (plain JSON), and the plan's year."""
    return {
        "plan": data.plan.pk,
        "plan_year": data.plan.year,
        "org_unit": data.org_unit.pk,
        "activity": data.activity.code,
        "kind": _text(data.kind),
        "title": data.title,
        "held_on": data.held_on.isoformat(),
        "ended_on": data.ended_on.isoformat() if data.ended_on else None,
        "place": data.place,
        "organiser": data.organiser,
        "group": data.group.pk if data.group is not None else None,
        "cost": _number(Decimal(data.cost)),
        "notes": data.notes,
        "counts": [
            {
                "sex": _text(c.sex),
                "minority": c.minority,
                "age_group": _text(c.age_group),
                "count": c.count,
            }
            for c in data.counts
        ],
        "participants": [
            {
                "full_name": p.full_name,
                "sex": _text(p.sex),
                "ethnic_group": p.ethnic_group.code if p.ethnic_group is not None else None,
                "birth_year": p.birth_year,
                "position": p.position,
                "workplace": p.workplace,
            }
            for p in data.participants
        ],
    }
