"""An event's checks as data (``entry_rules.EVENT_RULES``): the server's ``event_check`` and the
offline page's rules.js find the same problems in the same input, and the service refuses a bad
event with them, saving nothing."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import translation

from duan8.activities.entry_rules import EVENT_RULES, event_refs, event_values
from duan8.activities.models import Event, Participant, ParticipantCount
from duan8.activities.services.events import (
    CountInput,
    EventInput,
    PersonInput,
    event_check,
    event_create,
)
from duan8.core.models import AuditEvent
from duan8.core.problems import Invalid
from duan8.core.rules_engine import for_client
from duan8.core.tests.js_rules import js_check
from duan8.programs.models import ProgramElement

D = datetime.date
TODAY = D(2023, 11, 25)
SESSIONS = "1719.GD1.DA8.ND1.HD2.2"
COUNTS = [CountInput("F", True, "adult", 20), CountInput("M", True, "adult", 8)]

Change = Callable[[EventInput, dict[str, Any]], None]


def _set(**values: Any) -> Change:
    def change(data: EventInput, _groups: dict[str, Any]) -> None:
        for name, value in values.items():
            setattr(data, name, value)

    return change


def _people(*people: tuple[str, str, str | None, int | None]) -> Change:
    def change(data: EventInput, groups: dict[str, Any]) -> None:
        data.counts = []
        data.participants = [
            PersonInput(name, sex, groups[code] if code else None, year)
            for name, sex, code, year in people
        ]

    return change


HOA = ("Phạm Thị Hoa", "F", "19", 1990)

# (name, change, the problems expected: (field, code))
CASES: list[tuple[str, Change, list[tuple[str, str]]]] = [
    ("valid with counts", _set(), []),
    ("valid with a list", _people(HOA, ("Đinh Văn Nước", "M", "19", None)), []),
    ("a broadcast needs no people", _set(kind="broadcast", counts=[]), []),
    ("unknown kind", _set(kind="party"), [("kind", "invalid_choice")]),
    ("blank title", _set(title="  "), [("title", "required")]),
    ("title too long", _set(title="Truyền thông " * 25), [("title", "max_length")]),
    ("held in another year", _set(held_on=D(2022, 12, 30)), [("held_on", "year")]),
    ("held in the future", _set(held_on=D(2023, 12, 1)), [("held_on", "future")]),
    (
        "ended before it began",
        _set(held_on=D(2023, 11, 20), ended_on=D(2023, 11, 2)),
        [("ended_on", "order")],
    ),
    ("ended in another year", _set(ended_on=D(2024, 1, 2)), [("ended_on", "year")]),
    ("negative cost", _set(cost=Decimal(-5000)), [("cost", "min_value")]),
    ("notes too long", _set(notes="ghi chú " * 300), [("notes", "max_length")]),
    (
        "a negative count",
        _set(counts=[CountInput("F", True, "adult", -2)]),
        [("counts", "min_value"), ("participants", "required")],
    ),
    (
        "an unknown cell",
        _set(counts=[CountInput("X", False, "adult", 3)]),
        [("counts", "invalid_choice")],
    ),
    ("nobody", _set(counts=[]), [("participants", "required")]),
    (
        "bad people",
        _people(HOA, (" ", "X", None, 1800), ("Nguye\u0302\u0303n " * 30, "F", "01", 2024)),
        [
            ("participants.2.full_name", "required"),
            ("participants.2.sex", "invalid_choice"),
            ("participants.2.ethnic_group", "required"),
            ("participants.2.birth_year", "year"),
            ("participants.3.full_name", "max_length"),
            ("participants.3.birth_year", "year"),
        ],
    ),
    (
        "many at once, each field its first problem",
        _set(
            kind="party",
            title="",
            held_on=D(2024, 1, 5),
            ended_on=D(2023, 1, 1),
            cost=Decimal(-1),
            counts=[],
        ),
        [
            ("kind", "invalid_choice"),
            ("title", "required"),
            ("held_on", "year"),
            ("ended_on", "order"),
            ("cost", "min_value"),
            ("participants", "required"),
        ],
    ),
]


@pytest.fixture
def make(ba_trang_plan, villages, ethnic_groups) -> Callable[[Change], EventInput]:
    def make(change: Change) -> EventInput:
        data = EventInput(
            plan=ba_trang_plan,
            activity=ProgramElement.objects.get(code=SESSIONS),
            kind="communication",
            title="Truyền thông xóa bỏ tảo hôn",
            held_on=D(2023, 11, 5),
            org_unit=villages["Nước Đang"],
            counts=list(COUNTS),
        )
        change(data, ethnic_groups)
        return data

    return make


def _triples(problems: list[Any]) -> list[tuple[str, str, str]]:
    return sorted(
        (p["field"], p["code"], p["message"])
        if isinstance(p, dict)
        else (p.field, p.code, p.message)
        for p in problems
    )


@time_machine.travel(datetime.datetime(2023, 11, 25, 9, 0, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(("name", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_server_and_the_offline_page_find_the_same_problems(make, name, change, expected):
    data = make(change)

    with translation.override("vi"):
        server = event_check(data)
        offline = js_check(
            for_client(EVENT_RULES), event_values(data), event_refs(), TODAY.isoformat()
        )

    assert [(p.field, p.code) for p in server] == expected
    assert _triples(offline) == _triples(server)


@time_machine.travel(datetime.datetime(2023, 11, 25, 9, 0, tzinfo=datetime.UTC), tick=False)
@pytest.mark.parametrize(("name", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_service_refuses_a_bad_event_and_saves_nothing(
    make, commune_officer, name, change, expected
):
    data = make(change)

    if not expected:
        event = event_create(actor=commune_officer, data=data)
        assert Event.objects.filter(pk=event.pk).exists()
        return
    with pytest.raises(Invalid) as refused:
        event_create(actor=commune_officer, data=data)

    assert [(p.field, p.code) for p in refused.value.problems] == expected
    assert not Event.objects.exists()
    assert not Participant.objects.exists()
    assert not ParticipantCount.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="activities.event").exists()


def test_messages_stay_in_the_words_users_had(make):
    data = make(_people(HOA, (" ", "X", None, 1800)))
    data.held_on = D(2022, 5, 4)

    with translation.override("vi"):
        shown = [(p.field, p.message) for p in event_check(data)]

    assert shown == [
        ("held_on", "ngày 04/05/2022 nằm ngoài năm 2023 của kế hoạch."),
        ("participants.2.full_name", "bắt buộc."),
        ("participants.2.sex", "phải là Nam hoặc Nữ."),
        ("participants.2.ethnic_group", "bắt buộc."),
        ("participants.2.birth_year", "1800 không hợp lệ (từ 1900 đến 2022)."),
    ]


def test_what_needs_the_plan_is_checked_on_the_server_only(make, ba_kham):
    data = make(_set())
    data.org_unit = ba_kham

    offline = js_check(for_client(EVENT_RULES), event_values(data), event_refs())

    assert offline == []
    assert [(p.field, p.code) for p in event_check(data)] == [("org_unit", "outside")]


def test_the_values_are_the_api_input_as_json(make):
    data = make(_people(HOA))

    values = event_values(data)

    assert json.loads(json.dumps(values)) == values
    assert values["plan_year"] == 2023
    assert values["activity"] == SESSIONS
    assert values["held_on"] == "2023-11-05"
    assert values["participants"][0]["ethnic_group"] == "19"
    assert set(values) == {
        "plan",
        "plan_year",
        "org_unit",
        "activity",
        "kind",
        "title",
        "held_on",
        "ended_on",
        "place",
        "organiser",
        "group",
        "cost",
        "notes",
        "counts",
        "participants",
    }
