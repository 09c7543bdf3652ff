"""The demo's supervision (issue 15, point 5), loaded after the demo's year of work."""

import datetime

from django.utils import translation

from duan8.accounts.models import User
from duan8.demo.tests.test_seed_demo import seed
from duan8.orgunits.models import OrgUnit
from duan8.supervision.demo import demo_supervision_load
from duan8.supervision.models import Recommendation, Session
from duan8.supervision.selectors import overdue_recommendations

ACTORS = {
    "fatherland_front": "mttq.batrang",
    "commune_wu_officer": "hlhpn.batrang",
    "commune_leader": "ct.batrang",
}


def _load():
    commune = OrgUnit.objects.get(code="21520", level=OrgUnit.Level.COMMUNE, valid_to__isnull=False)
    villages = {v.name: v for v in OrgUnit.objects.filter(parent=commune)}
    actors = {key: User.objects.get(username=name) for key, name in ACTORS.items()}
    return demo_supervision_load(commune=commune, villages=villages, actors=actors)


def test_the_mttq_supervises_the_nuoc_dang_team_and_the_nominee_lists(db):
    seed()

    tally = _load()

    session = tally.session
    assert session.body == Session.Body.FATHERLAND_FRONT
    assert session.status == Session.Status.HELD
    assert session.minutes_name.endswith(".pdf")
    findings = list(session.findings.order_by("id"))
    assert [f.groups.get().name for f in findings[:1]] == [
        "Tổ truyền thông cộng đồng thôn Nước Đang"
    ]
    assert findings[1].events.count() >= 2
    assert all(e.kind == "nomination" for e in findings[1].events.all())
    statuses = sorted(session.recommendations.values_list("status", flat=True))
    assert statuses == [Recommendation.Status.ACCEPTED, Recommendation.Status.OPEN]
    leader = User.objects.get(username="ct.batrang")
    overdue = overdue_recommendations(actor=leader, today=datetime.date(2024, 4, 1))
    assert [r.addressee_body for r in overdue] == ["UBND xã"]
    with translation.override("en"):
        assert tally.lines()[0].endswith("2 recommendations, 1 overdue")


def test_a_second_load_adds_nothing(db):
    seed()
    _load()

    again = _load()

    assert not again.created
    assert Session.objects.count() == 1
    assert Recommendation.objects.count() == 2
