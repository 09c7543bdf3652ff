"""The rules of a proposed case as data (issue 17): the server's reader and the browser's
(rules.js, under Node.js) find the same problems in the same cases, and the proposal service
refuses each bad case with its message on its field and nothing saved."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest
from django.utils import timezone, translation

from duan8.core.problems import Invalid
from duan8.core.rules_engine import check, for_client
from duan8.core.tests.js_rules import js_check_many, node
from duan8.mothers.entry_rules import CASE_RULES, case_refs, case_values
from duan8.mothers.models import AntenatalVisit, Child, Mother, Pregnancy
from duan8.mothers.services.checks import CaseContext, case_problems
from duan8.mothers.services.inputs import ChildInput, VisitInput
from duan8.mothers.services.registry import mother_propose
from duan8.mothers.tests.conftest import DELIVERED, case_input

pytestmark = pytest.mark.django_db

D = datetime.date
FUTURE = D(2100, 1, 10)  # in the future whatever day the tests run
NO_DELIVERY: dict[str, Any] = {"delivered_on": None, "children": [], "place": "", "babies": None}

# name → (changes to the valid sample case, the (field, code) the rules must find)
CASES: dict[str, tuple[dict[str, Any], set[tuple[str, str]]]] = {
    "valid": ({}, set()),
    "valid, expected only": (
        {**NO_DELIVERY, "expected_on": D(2025, 3, 15), "days_at_facility": None},
        set(),
    ),
    "valid, no ID, old card": ({"id_number": "211 234 567"}, set()),
    "no name": ({"full_name": "   "}, {("full_name", "required")}),
    "unknown ethnic code": ({"ethnic_code": "99"}, {("ethnic_code", "invalid_choice")}),
    "no ethnic code": ({"ethnic_code": ""}, {("ethnic_code", "invalid_choice")}),
    "ID of 5 digits": ({"id_number": "12345"}, {("id_number", "id_form")}),
    "ID of 13 digits": ({"id_number": "0511980012345"}, {("id_number", "id_form")}),
    "ID of letters": ({"id_number": "abc"}, {("id_number", "id_form")}),
    "household not in the list": ({"household": "rich"}, {("household", "invalid_choice")}),
    "no birth year": ({"birth_year": None}, {("birth_year", "required")}),
    "mother of 8": ({"birth_year": 2017}, {("birth_year", "range")}),
    "mother of 70": ({"birth_year": 1955}, {("birth_year", "range")}),
    "mother of 61 at the expected date": (
        {**NO_DELIVERY, "birth_year": 1964, "days_at_facility": None},
        {("birth_year", "range")},
    ),
    "date of birth in another year": (
        {"birth_date": D(1997, 5, 4)},
        {("birth_date", "mismatch")},
    ),
    "no date at all": (
        {**NO_DELIVERY, "expected_on": None, "days_at_facility": None},
        {("delivered_on", "required")},
    ),
    "delivery in the future": (
        {
            "delivered_on": FUTURE,
            "expected_on": FUTURE,
            "children": [ChildInput(sex="F", born_on=FUTURE)],
            "visits": [],
            "birth_year": 2070,
        },
        {("delivered_on", "future")},
    ),
    "delivery 20 weeks before the expected date": (
        {"expected_on": DELIVERED + datetime.timedelta(weeks=20, days=1)},
        {("delivered_on", "before_pregnancy")},
    ),
    "visit without a date": (
        {"visits": [VisitInput(visited_on=D(2024, 10, 1)), VisitInput(visited_on=None)]},
        {("visits.2.visited_on", "required")},
    ),
    "visit in the future": (
        {**NO_DELIVERY, "expected_on": FUTURE, "days_at_facility": None, "birth_year": 2070}
        | {"visits": [VisitInput(visited_on=D(2099, 12, 1))]},
        {("visits.1.visited_on", "future")},
    ),
    "visit after the delivery": (
        {"visits": [VisitInput(visited_on=D(2025, 3, 20))]},
        {("visits.1.visited_on", "after_delivery")},
    ),
    "visit 301 days before the delivery": (
        {"visits": [VisitInput(visited_on=DELIVERED - datetime.timedelta(days=301))]},
        {("visits.1.visited_on", "before_pregnancy")},
    ),
    "place not in the list": (
        {"place": "hospital"},
        {("place", "invalid_choice"), ("days_at_facility", "not_facility")},
    ),
    "mode not in the list": ({"mode": "forceps"}, {("mode", "invalid_choice")}),
    "delivered, no place": (
        {"place": "", "days_at_facility": None},
        {("place", "required")},
    ),
    "delivered, no babies": (
        {"babies": None, "children": []},
        {("babies", "required")},
    ),
    "no babies": ({"babies": 0, "children": []}, {("babies", "range")}),
    "six babies": ({"babies": 6}, {("babies", "range")}),
    "carer without a name": ({"carer_name": " "}, {("carer_name", "required")}),
    "negative days": ({"days_at_facility": -1}, {("days_at_facility", "range")}),
    "days at home": (
        {"place": "home", "days_at_facility": 2},
        {("days_at_facility", "not_facility")},
    ),
    "two children for one baby": (
        {"children": [ChildInput(sex="F"), ChildInput(sex="M")]},
        {("children", "too_many")},
    ),
    "children without a delivery": (
        {**NO_DELIVERY, "children": [ChildInput(sex="F")], "days_at_facility": None},
        {("children", "no_delivery")},
    ),
    "child of no sex": (
        {"babies": 2, "children": [ChildInput(sex="F"), ChildInput(sex="X")]},
        {("children.2.sex", "invalid_choice")},
    ),
    "child born 2 days after the delivery": (
        {"children": [ChildInput(sex="M", born_on=DELIVERED + datetime.timedelta(days=2))]},
        {("children.1.born_on", "mismatch")},
    ),
    "child born the day before": (
        {"children": [ChildInput(sex="M", born_on=DELIVERED - datetime.timedelta(days=1))]},
        set(),
    ),
}


def _python(values: dict[str, Any], refs: dict[str, Any], today: D) -> list[dict[str, str]]:
    problems = check(CASE_RULES, values, refs=refs, today=today)
    return [{"field": p.field, "code": p.code, "message": p.message} for p in problems]


def test_node_is_there():
    assert node()


def test_the_browser_finds_the_server_problems_in_every_case(mothers_world):
    context = CaseContext.load()
    refs = case_refs(context)
    today = timezone.localdate()
    inputs = {name: case_values(case_input(**dict(change))) for name, (change, _) in CASES.items()}
    found: dict[str, set[tuple[str, str]]] = {}
    answers = js_check_many(
        [
            {
                "rules": for_client(CASE_RULES),
                "data": values,
                "refs": refs,
                "today": today.isoformat(),
            }
            for values in inputs.values()
        ]
    )
    for name, values, answer in zip(CASES, inputs.values(), answers, strict=True):
        server = _python(values, refs, today)
        assert answer == {"problems": server}, name
        found[name] = {(p["field"], p["code"]) for p in server}
    assert found == {name: expected for name, (_change, expected) in CASES.items()}


def test_the_rules_read_the_day_they_are_given(mothers_world):
    """A delivery of 10/03/2025 is in the future on 09/03/2025, for both readers."""
    refs = case_refs(CaseContext.load())
    values = case_values(case_input())
    day_before = D(2025, 3, 9)
    server = _python(values, refs, day_before)
    (answer,) = js_check_many(
        [{"rules": for_client(CASE_RULES), "data": values, "refs": refs, "today": "2025-03-09"}]
    )

    assert answer == {"problems": server}
    assert ("delivered_on", "future") in {(p["field"], p["code"]) for p in server}


@pytest.mark.parametrize("name", [name for name, (_, found) in CASES.items() if found])
def test_the_service_refuses_each_bad_case_and_saves_nothing(mothers_world, name):
    change, expected = CASES[name]
    data = case_input(**dict(change))
    with pytest.raises(Invalid) as caught:
        mother_propose(actor=mothers_world.health_station, data=data)

    rules = check(CASE_RULES, case_values(data), refs=case_refs(CaseContext.load()))
    refused = [(p.field, p.code, p.message) for p in caught.value.problems]
    # besides, a date after 30/06/2025 finds xã Ba Trang merged (a check of the database)
    assert [p for p in refused if p[0] != "commune"] == [
        (p.field, p.code, p.message) for p in rules
    ]
    assert expected <= {(field, code) for field, code, _ in refused}
    assert not Mother.objects.exists()
    assert not Pregnancy.objects.exists()
    assert not AntenatalVisit.objects.exists()
    assert not Child.objects.exists()


@pytest.mark.parametrize("name", [name for name, (_, found) in CASES.items() if not found])
def test_the_service_saves_each_good_case(mothers_world, name):
    case = mother_propose(
        actor=mothers_world.health_station, data=case_input(**dict(CASES[name][0]))
    )

    assert Pregnancy.objects.get().pk == case.pk


def test_messages_stay_in_the_words_users_had(mothers_world):
    """The messages once composed of two pieces read as before, in Vietnamese."""
    data = case_input(
        **{**NO_DELIVERY, "expected_on": FUTURE, "days_at_facility": None, "birth_year": 2070},
        visits=[VisitInput(visited_on=D(2099, 12, 1))],
    )
    future_delivery = dataclasses.replace(
        case_input(),
        delivered_on=FUTURE,
        expected_on=FUTURE,
        children=[],
        visits=[],
        birth_year=2070,
    )
    with translation.override("vi"):
        visit = case_problems(data, CaseContext.load())
        delivery = case_problems(future_delivery, CaseContext.load())

    # (and xã Ba Trang, merged on 01/07/2025, is refused on those dates)
    assert [(p.field, p.message) for p in visit if p.field != "commune"] == [
        ("visits.1.visited_on", "Lần khám thai 01/12/2099 là ngày trong tương lai.")
    ]
    assert [(p.field, p.message) for p in delivery if p.field != "commune"] == [
        ("delivered_on", "Ngày sinh con 10/01/2100 là ngày trong tương lai.")
    ]


def test_problems_keep_their_order_mother_place_dates_delivery_children(mothers_world):
    data = case_input(
        children=[ChildInput(sex="X")],
        days_at_facility=-2,
        village=mothers_world.other_village,
        full_name="",
        visits=[VisitInput(visited_on=None)],
    )

    fields = [p.field for p in case_problems(data, CaseContext.load())]

    assert fields == [
        "full_name",
        "village",
        "visits.1.visited_on",
        "days_at_facility",
        "children.1.sex",
    ]


def test_an_id_number_with_digits_of_another_script_is_refused(mothers_world):
    """Arabic-Indic digits are digits to Python but not to the rules: the service refuses."""
    with pytest.raises(Invalid) as caught:
        mother_propose(
            actor=mothers_world.health_station, data=case_input(id_number="051198001234٣")
        )

    assert [(p.field, p.code) for p in caught.value.problems] == [("id_number", "id_form")]
    assert not Mother.objects.exists()
