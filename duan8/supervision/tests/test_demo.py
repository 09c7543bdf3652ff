"""The demo's supervision (issue 15, point 5), loaded after the demo's year of work (recorded by
``demo.work`` as ``seed_demo`` does, on the shared fixtures' xã Ba Trang and its users)."""

import datetime

import pytest
from django.utils import translation

from duan8.demo.work import demo_work_load
from duan8.supervision.demo import demo_supervision_load
from duan8.supervision.models import Recommendation, Session
from duan8.supervision.selectors import overdue_recommendations


@pytest.fixture
def load(
    ba_trang,
    ba_trang_plan,
    villages,
    commune_officer,
    village_head,
    commune_leader,
    fatherland_front,
    ethnic_groups,
    indicator_rules,
):
    demo_work_load(
        plan=ba_trang_plan,
        villages=villages,
        actors={
            "commune_wu_officer": commune_officer,
            "village_head": village_head,
            "commune_leader": commune_leader,
        },
    )
    actors = {
        "fatherland_front": fatherland_front,
        "commune_wu_officer": commune_officer,
        "commune_leader": commune_leader,
    }
    return lambda: demo_supervision_load(commune=ba_trang, villages=villages, actors=actors)


def test_the_mttq_supervises_the_nuoc_dang_team_and_the_nominee_lists(load, commune_leader):
    tally = load()

    session = tally.session
    assert session.body == Session.Body.FATHERLAND_FRONT
    assert session.status == Session.Status.HELD
    assert session.minutes_name.endswith(".pdf")
    team_finding, list_finding = session.findings.order_by("id")
    assert team_finding.groups.get().name == "Tổ truyền thông cộng đồng thôn Nước Đang"
    assert team_finding.events.count() == 1
    assert list_finding.events.count() >= 2
    assert {e.kind for e in list_finding.events.all()} == {"nomination"}
    statuses = sorted(session.recommendations.values_list("status", flat=True))
    assert statuses == [Recommendation.Status.ACCEPTED, Recommendation.Status.OPEN]
    overdue = overdue_recommendations(actor=commune_leader, today=datetime.date(2024, 4, 1))
    assert [r.addressee_body for r in overdue] == ["UBND xã"]
    with translation.override("en"):
        assert tally.lines()[0].endswith("2 recommendations, 1 overdue")


def test_a_second_load_adds_nothing(load):
    load()

    again = load()

    assert not again.created
    assert Session.objects.count() == 1
    assert Recommendation.objects.count() == 2
