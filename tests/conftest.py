"""The world both access matrices walk (tests/test_access_matrix.py for the pages,
tests/test_api_access_matrix.py for the API): Ba Trang's plan, records and one persona per role."""

import pytest

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.testing import community_samples, event_samples, report_samples


@pytest.fixture
def world(
    ba_trang_plan,
    indicator_rules,
    ba_trang,
    villages,
    ba_kham,
    commune_officer,
    commune_leader,
    village_head,
    other_commune_officer,
    district_reviewer,
):
    bui_hui_head = UserFactory(username="tt.buihui")
    membership(bui_hui_head, villages["Bùi Hui"], "village_head")
    front = UserFactory(username="mttq.batrang")
    membership(front, ba_trang, "fatherland_front")
    return {
        "plan": ba_trang_plan,
        "ba_trang": ba_trang,
        "villages": villages,
        "community": community_samples(ba_trang, villages),
        "events": event_samples(ba_trang_plan, villages, commune_officer),
        "reports": report_samples(ba_trang, commune_officer),
        "personas": {
            "commune_officer": commune_officer,
            "commune_leader": commune_leader,
            "village_head": village_head,
            "bui_hui_head": bui_hui_head,
            "fatherland_front": front,
            "district_reviewer": district_reviewer,
            "other_commune_officer": other_commune_officer,
            "health_station": _persona("tyt.batrang", ba_trang, "commune_health_station"),
            "accountant": _persona("kt.batrang", ba_trang, "commune_accountant"),
            "system_admin": _persona("qt.quangngai", ba_trang.parent.parent, "system_admin"),
        },
    }


def _persona(username: str, unit, role: str):
    user = UserFactory(username=username)
    membership(user, unit, role)
    return user
