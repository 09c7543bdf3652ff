"""A case after the 2025 reform: recorded in the new commune (xã Đặng Thùy Trâm, new code) in a
village it inherited from xã Ba Trang, read by the new commune's staff and not the old one's."""

import datetime

import pytest
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.core.problems import Invalid
from duan8.mothers.services.inputs import ChildInput
from duan8.mothers.services.registry import mother_propose
from duan8.mothers.tests.conftest import case_input

AFTER = datetime.date(2025, 9, 1)


@pytest.fixture
def new_station(ba_trang_merger):
    user = UserFactory.create(username="tyt.dangthuytram", full_name="Trạm y tế Đặng Thùy Trâm")
    membership(user, ba_trang_merger, "commune_health_station")
    return user


def _after(**changes):
    return {
        "delivered_on": AFTER,
        "expected_on": AFTER,
        "visits": [],
        "children": [ChildInput(sex="M", born_on=AFTER)],
        **changes,
    }


def test_new_commune_records_a_case_in_an_inherited_village(
    client, mothers_world, ba_trang_merger, new_station
):
    case = mother_propose(actor=new_station, data=case_input(**_after(commune=ba_trang_merger)))

    assert case.commune == ba_trang_merger
    assert case.village == mothers_world.village
    client.force_login(new_station)
    assert client.get(reverse("mothers:case_detail", args=[case.pk])).status_code == 200
    listing = client.get(reverse("mothers:case_list", args=[ba_trang_merger.pk]))
    assert "Đinh Thị Lan" in listing.content.decode()


def test_old_communes_staff_must_not_see_the_new_communes_case(
    client, mothers_world, ba_trang_merger, new_station
):
    case = mother_propose(actor=new_station, data=case_input(**_after(commune=ba_trang_merger)))

    client.force_login(mothers_world.health_station)

    assert client.get(reverse("mothers:case_detail", args=[case.pk])).status_code == 404


def test_the_old_commune_is_refused_after_it_ended(mothers_world, ba_trang_merger):
    with pytest.raises(Invalid) as caught:
        mother_propose(actor=mothers_world.health_station, data=case_input(**_after()))

    assert caught.value.problems[0].field == "commune"


def test_the_new_commune_is_refused_before_it_existed(mothers_world, ba_trang_merger, new_station):
    with pytest.raises(Invalid) as caught:
        mother_propose(actor=new_station, data=case_input(commune=ba_trang_merger))

    assert {p.field for p in caught.value.problems} == {"commune"}
