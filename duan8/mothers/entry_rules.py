"""The checks of a proposed case that need no database, as data (issue 17): one table that the
server (``services.checks.case_problems``) and the offline entry page (``rules.js``) both read.

``CASE_RULES`` is read by ``core.rules_engine.check`` against ``case_values(data)``, the case as
the plain JSON that POST /api/v1/mothers/cases/ takes (ids, ISO dates, numbers, text), with the
lists ``case_refs(context)`` gives (the 54 ethnic codes, the choices of household, place, mode
and sex). A field keeps its first problem, so the order of the rules matters: "required" before
"range", the delivery's date before the visits that depend on it.

What needs the database stays in ``services.checks``: the commune on the event's date, the
village of that commune on that date, and the most days at the facility the rule in force pays.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_noop

from duan8.activities.models import Sex
from duan8.mothers.models import Mother, Pregnancy
from duan8.mothers.services.inputs import CaseInput

if TYPE_CHECKING:
    from duan8.mothers.services.checks import CaseContext

# the delivery may come this long before the expected date (a birth at 20 weeks is a miscarriage)
EARLIEST_BEFORE_EXPECTED_DAYS = 20 * 7
# an antenatal visit belongs to this pregnancy when it is at most this long before the delivery
PREGNANCY_DAYS = 300
MOST_BABIES = 5
AGE_AT_DELIVERY = (10, 60)
# a child's date of birth may differ from the delivery's by a day (a birth around midnight)
CHILD_BORN_WITHIN_DAYS = 1


def _var(name: str) -> dict[str, Any]:
    return {"var": name}


def _given(name: str) -> dict[str, Any]:
    return {"!": {"blank": _var(name)}}


def _not_in(name: str, ref: str) -> dict[str, Any]:
    return {"!": {"in": [_var(name), {"ref": ref}]}}


def _days_between(later: Any, earlier: Any) -> dict[str, Any]:
    return {"-": [{"days": later}, {"days": earlier}]}


# the date the case is about: the delivery, or the expected date before it
EVENT = {"if": [_var("delivered_on"), _var("delivered_on"), _var("expected_on")]}
_AGE = {
    "-": [{"year": {"if": [EVENT, EVENT, {"today": []}]}}, _var("birth_year")]
}  # at the event, or today when there is no date yet
_AGE_IN_RANGE = {"and": [{">=": [_AGE, AGE_AT_DELIVERY[0]]}, {"<=": [_AGE, AGE_AT_DELIVERY[1]]}]}
_VISIT = "item.visited_on"
_DAYS = _var("days_at_facility")

_MOTHER_RULES: list[dict[str, Any]] = [
    {
        "field": "full_name",
        "code": "required",
        "fail": {"blank": _var("full_name")},
        "message": gettext_noop("Enter the mother's full name."),
    },
    {
        "field": "ethnic_code",
        "code": "invalid_choice",
        "fail": _not_in("ethnic_code", "ethnic_codes"),
        "message": gettext_noop(
            "Ethnicity “%(code)s” is not one of the 54 ethnic groups; choose it from the list."
        ),
        "params": {"code": _var("ethnic_code")},
    },
    {
        "field": "id_number",
        "code": "id_form",
        "if": _given("id_number"),
        "fail": {"!": {"in": [{"len": {"digits": _var("id_number")}}, [12, 9]]}},
        "message": gettext_noop(
            "ID number “%(value)s” has %(count)s digits: a personal ID (CCCD) has 12 digits, "
            "an old identity card (CMND) 9."
        ),
        "params": {"value": _var("id_number"), "count": {"len": {"digits": _var("id_number")}}},
    },
    {
        "field": "household",
        "code": "invalid_choice",
        "fail": _not_in("household", "households"),
        "message": gettext_noop("Household status is not one of the list."),
    },
    {
        "field": "birth_year",
        "code": "required",
        "fail": {"blank": _var("birth_year")},
        "message": gettext_noop("Enter the mother's year of birth."),
    },
    {
        "field": "birth_year",
        "code": "range",
        "fail": {"!": _AGE_IN_RANGE},
        "message": gettext_noop(
            "Year of birth %(year)s would make the mother %(age)s years old at the delivery; "
            "it must be between %(young)s and %(old)s."
        ),
        "params": {
            "year": _var("birth_year"),
            "age": _AGE,
            "young": AGE_AT_DELIVERY[0],
            "old": AGE_AT_DELIVERY[1],
        },
    },
    {
        "field": "birth_date",
        "code": "mismatch",
        "if": {"and": [_given("birth_date"), _AGE_IN_RANGE]},
        "fail": {"!=": [{"year": _var("birth_date")}, _var("birth_year")]},
        "message": gettext_noop("The date of birth is not in the year of birth."),
    },
]

_DATES_RULES: list[dict[str, Any]] = [
    {
        "field": "delivered_on",
        "code": "required",
        "fail": {"!": EVENT},
        "message": gettext_noop("Enter the expected delivery date or the delivery date."),
    },
    {
        "field": "delivered_on",
        "code": "future",
        "fail": {">": [_var("delivered_on"), {"today": []}]},
        "message": gettext_noop("Delivery date %(date)s is in the future."),
        "params": {"date": {"dmy": _var("delivered_on")}},
    },
    {
        "field": "delivered_on",
        "code": "before_pregnancy",
        "if": {"and": [_given("delivered_on"), _given("expected_on")]},
        "fail": {
            "<": [
                _days_between(_var("delivered_on"), _var("expected_on")),
                -EARLIEST_BEFORE_EXPECTED_DAYS,
            ]
        },
        "message": gettext_noop(
            "Delivery date %(date)s is more than 20 weeks before the expected date %(expected)s: "
            "before the pregnancy."
        ),
        "params": {"date": {"dmy": _var("delivered_on")}, "expected": {"dmy": _var("expected_on")}},
    },
    # the visits are read against the event's date: none when it is missing
    {
        "field": "visits.{n}.visited_on",
        "each": "visits",
        "code": "required",
        "if": EVENT,
        "fail": {"blank": _var(_VISIT)},
        "message": gettext_noop("Enter the date of the visit."),
    },
    {
        "field": "visits.{n}.visited_on",
        "each": "visits",
        "code": "future",
        "if": EVENT,
        "fail": {">": [_var(_VISIT), {"today": []}]},
        "message": gettext_noop("Antenatal visit %(date)s is in the future."),
        "params": {"date": {"dmy": _var(_VISIT)}},
    },
    {
        "field": "visits.{n}.visited_on",
        "each": "visits",
        "code": "after_delivery",
        "if": {"and": [EVENT, _given("delivered_on")]},
        "fail": {">": [_var(_VISIT), _var("delivered_on")]},
        "message": gettext_noop(
            "Antenatal visit of %(date)s is after the delivery (%(delivered)s)."
        ),
        "params": {"date": {"dmy": _var(_VISIT)}, "delivered": {"dmy": _var("delivered_on")}},
    },
    {
        "field": "visits.{n}.visited_on",
        "each": "visits",
        "code": "before_pregnancy",
        "if": EVENT,
        "fail": {"<": [_days_between(_var(_VISIT), EVENT), -PREGNANCY_DAYS]},
        "message": gettext_noop("Antenatal visit of %(date)s is before the pregnancy began."),
        "params": {"date": {"dmy": _var(_VISIT)}},
    },
]

_DELIVERY_RULES: list[dict[str, Any]] = [
    {
        "field": "place",
        "code": "invalid_choice",
        "if": _var("place"),
        "fail": _not_in("place", "places"),
        "message": gettext_noop("Choose facility or home."),
    },
    {
        "field": "mode",
        "code": "invalid_choice",
        "if": _var("mode"),
        "fail": _not_in("mode", "modes"),
        "message": gettext_noop("Choose normal or caesarean."),
    },
    {
        "field": "place",
        "code": "required",
        "if": _given("delivered_on"),
        "fail": {"!": _var("place")},
        "message": gettext_noop("Enter where she gave birth."),
    },
    {
        "field": "babies",
        "code": "required",
        "if": _given("delivered_on"),
        "fail": {"blank": _var("babies")},
        "message": gettext_noop("Enter the number of babies."),
    },
    {
        "field": "babies",
        "code": "range",
        "if": _given("babies"),
        "fail": {"or": [{"<": [_var("babies"), 1]}, {">": [_var("babies"), MOST_BABIES]}]},
        "message": gettext_noop("Number of babies %(count)s: it must be from 1 to %(most)s."),
        "params": {"count": _var("babies"), "most": MOST_BABIES},
    },
    {
        "field": "carer_name",
        "code": "required",
        "if": _var("has_carer"),
        "fail": {"blank": _var("carer_name")},
        "message": gettext_noop("Enter the name of the family carer who went with her."),
    },
    {
        "field": "days_at_facility",
        "code": "range",
        "fail": {"<": [_DAYS, 0]},
        "message": gettext_noop("Days at the facility cannot be negative."),
    },
    {
        "field": "days_at_facility",
        "code": "not_facility",
        "if": {"and": [_var("place"), _DAYS]},
        "fail": {"!=": [_var("place"), Pregnancy.Place.FACILITY.value]},
        "message": gettext_noop(
            "Days at the facility are recorded only for a delivery at a facility."
        ),
    },
]

_CHILDREN_RULES: list[dict[str, Any]] = [
    {
        "field": "children",
        "code": "too_many",
        "if": {"and": [_given("children"), _given("babies")]},
        "fail": {">": [{"len": _var("children")}, _var("babies")]},
        "message": gettext_noop("%(count)s children recorded for %(babies)s babies born."),
        "params": {"count": {"len": _var("children")}, "babies": _var("babies")},
    },
    {
        "field": "children",
        "code": "no_delivery",
        "fail": {"and": [_given("children"), {"blank": _var("delivered_on")}]},
        "message": gettext_noop("Children are recorded with the delivery: enter its date."),
    },
    {
        "field": "children.{n}.sex",
        "each": "children",
        "code": "invalid_choice",
        "fail": _not_in("item.sex", "sexes"),
        "message": gettext_noop("Choose the child's sex."),
    },
    {
        "field": "children.{n}.born_on",
        "each": "children",
        "code": "mismatch",
        "if": {"and": [_var("item.born_on"), _var("delivered_on")]},
        "fail": {
            "or": [
                {">": [_days_between(_var("item.born_on"), _var("delivered_on")), 1]},
                {"<": [_days_between(_var("item.born_on"), _var("delivered_on")), -1]},
            ]
        },
        "message": gettext_noop("The child's date of birth %(date)s is not the delivery date."),
        "params": {"date": {"dmy": _var("item.born_on")}},
    },
]

# In the order the problems are shown: the mother, the dates, the delivery, the children.
CASE_RULES: list[dict[str, Any]] = [
    *_MOTHER_RULES,
    *_DATES_RULES,
    *_DELIVERY_RULES,
    *_CHILDREN_RULES,
]


def _iso(day: datetime.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _code(value: str | None) -> str:
    """A code or number as the service reads it, its spaces around trimmed (as the API does)."""
    return (value or "").strip()


def case_values(data: CaseInput) -> dict[str, Any]:
    """``data`` as the JSON body of POST /api/v1/mothers/cases/ (api/endpoints/mothers/
    proposal.py, ``CaseIn``): ids, ISO dates, numbers and text as given (the ethnic code and
    the ID number trimmed, as the service reads them)."""
    return {
        "commune": data.commune.pk if data.commune is not None else None,
        "village": data.village.pk if data.village is not None else None,
        "full_name": data.full_name,
        "birth_year": data.birth_year,
        "birth_date": _iso(data.birth_date),
        "ethnic_code": _code(data.ethnic_code),
        "id_number": _code(data.id_number),
        "phone": data.phone,
        "household": data.household,
        "expected_on": _iso(data.expected_on),
        "delivered_on": _iso(data.delivered_on),
        "place": data.place,
        "facility": data.facility,
        "mode": data.mode,
        "babies": data.babies,
        "days_at_facility": data.days_at_facility,
        "has_carer": bool(data.has_carer),
        "carer_name": data.carer_name,
        "visits": [
            {"visited_on": _iso(visit.visited_on), "facility": visit.facility}
            for visit in data.visits
        ],
        "children": [{"sex": child.sex, "born_on": _iso(child.born_on)} for child in data.children],
    }


def case_refs(context: CaseContext) -> dict[str, list[str]]:
    """The lists the rules read (``{"ref": name}``): the 54 ethnic codes and the choices."""
    return {
        "ethnic_codes": sorted(context.ethnic),
        "households": list(Mother.Household.values),
        "places": list(Pregnancy.Place.values),
        "modes": list(Pregnancy.Mode.values),
        "sexes": list(Sex.values),
    }
