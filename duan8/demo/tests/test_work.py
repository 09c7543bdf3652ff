"""The demo year of Ba Trang's work (data/ba_trang_2023_work.json), through the services."""

import datetime
import json
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    Difficulty,
    Event,
    Participant,
    ParticipantCount,
    WomanCadre,
)
from duan8.activities.selectors.progress import plan_progress
from duan8.activities.values import SYSTEM
from duan8.core.models import AuditEvent
from duan8.demo.work import DEMO_WORK_FILE, demo_work_load

D = datetime.date


@pytest.fixture
def actors(commune_officer, village_head, commune_leader):
    return {
        "commune_wu_officer": commune_officer,
        "village_head": village_head,
        "commune_leader": commune_leader,
    }


@pytest.fixture
def load(ba_trang_plan, villages, actors, ethnic_groups, indicator_rules):
    def run(**kwargs):
        arguments = {"plan": ba_trang_plan, "villages": villages, "actors": actors, **kwargs}
        return demo_work_load(**arguments)

    return run


def totals() -> dict[str, int]:
    return {
        "groups": CommunityGroup.objects.count(),
        "members": CommunityGroupMember.objects.count(),
        "statuses": CommunityGroupStatus.objects.count(),
        "events": Event.objects.count(),
        "counts": ParticipantCount.objects.count(),
        "participants": Participant.objects.count(),
        "cadres": WomanCadre.objects.count(),
        "difficulties": Difficulty.objects.count(),
        "audit": AuditEvent.objects.filter(action__startswith="activities.").count(),
    }


def test_demo_work_records_a_year_of_ba_trang(load, villages):
    tally = load()

    team = CommunityGroup.objects.get()
    assert (team.kind, team.org_unit, team.channel) == (
        "communication_team",
        villages["Nước Đang"],
        "zalo",
    )
    assert "loa kéo" in team.equipment
    members = list(team.members.all())
    assert len(members) == 12
    assert Counter(m.sex for m in members) == {"F": 6, "M": 6}
    assert Counter(m.ethnic_group.code for m in members) == {"19": 10, "01": 1, "30": 1}
    assert [m.full_name for m in members if m.role == "leader"] == ["Đinh Văn Lành"]
    assert [s.status for s in team.statuses.all()] == ["founded", "maintained"]
    assert Counter(Event.objects.values_list("kind", flat=True)) == {
        "communication": 5,
        "nomination": 3,
        "campaign": 1,
        "forum": 1,
        "dialogue": 1,
        "broadcast": 1,
        "review": 1,
    }
    assert team.events.count() == 3
    assert Participant.objects.count() == 11
    assert Counter(WomanCadre.objects.values_list("status", flat=True)) == {
        "in_position": 2,
        "planned": 1,
        "nominated": 1,
    }
    difficulty = Difficulty.objects.get()
    assert difficulty.org_unit == villages["Nước Đang"]
    assert difficulty.status == Difficulty.Status.ANSWERED
    assert difficulty.escalated_on == D(2023, 11, 22)
    assert "Chủ tịch UBND xã" in difficulty.answered_by
    assert tally.created == 1 + 12 + 1 + 13 + 4 + 1
    assert {key: (row.created, row.existing) for key, row in tally.rows.items()} == {
        "group:communication_team": (1, 0),
        "members": (12, 0),
        "statuses": (1, 0),
        "event:communication": (5, 0),
        "event:campaign": (1, 0),
        "event:forum": (1, 0),
        "event:nomination": (3, 0),
        "event:dialogue": (1, 0),
        "event:broadcast": (1, 0),
        "event:review": (1, 0),
        "cadres": (4, 0),
        "difficulties": (1, 0),
    }
    assert len(tally.lines()) == 12


def test_demo_work_is_recorded_through_the_services_by_the_right_users(
    load, villages, commune_officer, village_head, commune_leader
):
    load()

    actions = Counter(
        AuditEvent.objects.filter(action__startswith="activities.").values_list("action", flat=True)
    )
    assert actions == {
        "activities.group.created": 1,
        "activities.group.members_added": 1,
        "activities.group.status_set": 1,
        "activities.event.created": 13,
        "activities.cadre.created": 4,
        "activities.difficulty.raised": 1,
        "activities.difficulty.escalated": 1,
        "activities.difficulty.answered": 1,
    }
    assert set(
        AuditEvent.objects.filter(action="activities.difficulty.answered").values_list(
            "actor", flat=True
        )
    ) == {commune_leader.pk}
    for event in Event.objects.select_related("org_unit"):
        assert D(2023, 9, 25) <= event.held_on <= D(2023, 12, 31)
        assert event.ended_on is None or event.ended_on.year == 2023
        expected = village_head if event.org_unit == villages["Nước Đang"] else commune_officer
        assert event.recorded_by == expected
        if event.kind != Event.Kind.BROADCAST:
            assert event.counts.exists()
    nominees = Participant.objects.filter(event__kind="nomination")
    assert all(p.ethnic_group and p.birth_year and p.position for p in nominees)


def test_demo_work_loaded_twice_creates_nothing_the_second_time(load):
    load()
    after_first = totals()

    tally = load()

    assert totals() == after_first
    assert tally.created == 0
    assert (tally.rows["event:communication"].created, tally.rows["members"].existing) == (0, 12)


def test_progress_shows_the_team_of_nuoc_dang_and_the_sessions(load, ba_trang_plan):
    load()

    by_code = {
        line.element.code: line for line in plan_progress(actor=SYSTEM, plan=ba_trang_plan).lines
    }

    teams = by_code["1719.GD1.DA8.ND1.HD1.1"]
    assert {v.unit.name: (v.actual, v.percent) for v in teams.villages} == {
        "Bùi Hui": (0, None),
        "Kon Riêng": (0, None),
        "Nước Đang": (1, 100),
    }
    sessions = by_code["1719.GD1.DA8.ND1.HD2.2"]
    assert sessions.actual == 5
    assert {v.unit.name: v.actual for v in sessions.villages} == {
        "Bùi Hui": 1,
        "Kon Riêng": 1,
        "Nước Đang": 3,
    }
    assert len(sessions.records) == 5
    assert by_code["1719.GD1.DA8.ND1.HD1.2"].actual == 1  # the team's Zalo group
    assert by_code["1719.GD1.DA8.ND1.HD2.1"].percent == 100
    for code in ("ND1.HD1.3", "ND1.HD4.2", "ND3.HD1.2", "ND3.HD1.3", "ND3.HD3.1", "ND3.HD4.1"):
        assert by_code[f"1719.GD1.DA8.{code}"].actual == 1, code


def test_demo_work_with_an_event_outside_the_plan_year_saves_nothing(load, tmp_path):
    data = json.loads(DEMO_WORK_FILE.read_text(encoding="utf-8"))
    data["events"][-1]["held_on"] = "2024-01-10"
    path = tmp_path / "work.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(ValidationError) as exc:
        load(path=path)

    assert any("10/01/2024" in m and "2023" in m for m in exc.value.messages)
    assert set(totals().values()) == {0}


def test_demo_work_refused_to_an_officer_of_another_commune(load, actors, other_commune_officer):
    with pytest.raises(PermissionDenied):
        load(actors={**actors, "commune_wu_officer": other_commune_officer})

    assert set(totals().values()) == {0}


def test_demo_work_names_an_unknown_village_of_the_file(load, villages):
    with pytest.raises(ValidationError) as exc:
        load(villages={k: v for k, v in villages.items() if k != "Nước Đang"})

    assert "Nước Đang" in " ".join(exc.value.messages)
    assert set(totals().values()) == {0}


def test_a_malformed_file_is_refused_with_every_problem_located(load, tmp_path):
    data = json.loads(DEMO_WORK_FILE.read_text(encoding="utf-8"))
    data["events"][0]["held_on"] = "10/01/2023"
    data["groups"][0]["colour"] = "red"
    del data["women_cadres"][0]["position"]
    path = tmp_path / "work.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    with translation.override("en"), pytest.raises(ValidationError) as exc:
        load(path=path)

    group = data["groups"][0]["name"]
    assert exc.value.messages == [
        f"work.json: groups.1.colour ({group}): unknown field",
        "work.json: events.1.held_on: must be a date written YYYY-MM-DD",
        "work.json: women_cadres.1.position: required",
    ]
    assert set(totals().values()) == {0}
