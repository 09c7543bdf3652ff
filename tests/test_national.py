"""Việt Nam above the provinces (issue 18, point 1): the country's figures are its provinces'
on either map, read in one computation; the central agencies' reviewer reads the country's
dashboard, data page and completeness, and nothing personal; nobody below reads the country."""

import datetime

import pytest
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.values import Breakdown, Measure, indicator_values
from duan8.activities.values.result import SYSTEM
from duan8.orgunits.models import OrgUnit
from duan8.testing import event_samples

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def viet_nam(quang_ngai):
    """Việt Nam, above every province (made with the first province)."""
    assert quang_ngai.parent is not None
    return quang_ngai.parent


@pytest.fixture
def national_reviewer(viet_nam):
    user = UserFactory(username="tw.hlhpn", full_name="Nguyễn Thị Trung Ương")
    membership(user, viet_nam, "national_reviewer")
    return user


@pytest.fixture
def recorded(ba_trang_plan, villages, commune_officer, ba_trang_merger, indicator_rules):
    """A dialogue in thôn Bùi Hui (12/10/2023) with two persons, on the map that changed on
    1/7/2025 (xã Ba Trang → xã Đặng Thùy Trâm, old → new tỉnh Quảng Ngãi)."""
    return event_samples(ba_trang_plan, villages, commune_officer)


def _totals(values, unit):
    return {
        key: value
        for key, value in values.values.items()
        if key[0] == unit.pk and key[2] != Measure.TARGET
    }


@pytest.mark.parametrize(
    ("as_of", "province"), [(D(2023, 12, 31), "quang_ngai"), (D(2026, 1, 1), "new_quang_ngai")]
)
def test_the_country_counts_what_its_provinces_count_on_either_map(
    recorded, viet_nam, as_of, province, request
):
    province = request.getfixturevalue(province)
    country = indicator_values(actor=SYSTEM, unit=viet_nam, period=2023, as_of=as_of)
    alone = indicator_values(
        actor=SYSTEM, unit=province, period=2023, as_of=as_of, breakdown=Breakdown.UNIT
    )

    assert [child.pk for child in country.children] == [province.pk]  # the map of that day
    counted = _totals(country, viet_nam)
    assert counted  # the dialogue is counted
    assert counted == {(viet_nam.pk, *key[1:]): v for key, v in _totals(alone, province).items()}
    assert {(province.pk, *key[1:]): v for key, v in counted.items()} == {
        key: value
        for key, value in country.values.items()
        if key[0] == province.pk and key[2] != Measure.TARGET
    }


def test_every_province_sits_under_viet_nam_on_both_maps(ba_trang_merger, viet_nam):
    provinces = OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE)

    assert provinces.count() == 2  # the old tỉnh Quảng Ngãi and the new one
    assert all(p.parent_id == viet_nam.pk and p.path.startswith(viet_nam.path) for p in provinces)
    assert viet_nam.full_name == "Việt Nam"
    assert viet_nam.is_valid_on(D(2023, 1, 1)) and viet_nam.is_valid_on(D(2026, 1, 1))


def test_the_national_reviewer_reads_the_country(client, recorded, national_reviewer, viet_nam):
    client.force_login(national_reviewer)

    home = client.get(reverse("reports:dashboard_home"), {"year": 2023})
    assert home.status_code == 200
    assert "Việt Nam" in home.content.decode()

    data = client.get(
        reverse("reports:data_rollup", args=["VN"]), {"year": 2023, "as_of": "2026-01-01"}
    )
    assert data.status_code == 200
    assert "Quảng Ngãi" in data.content.decode()  # the new province, a row of the country

    done = client.get(reverse("reports:completeness", args=[viet_nam.pk]))
    assert done.status_code == 200


def test_the_national_reviewer_reads_no_names(client, recorded, national_reviewer, ba_trang):
    client.force_login(national_reviewer)

    names = client.get(reverse("activities:event_participants", args=[recorded["event"].pk]))
    assert names.status_code in (403, 404)
    assert "Đinh Thị Bùi" not in names.content.decode()
    registry = client.get(reverse("mothers:case_list", args=[ba_trang.pk]))
    assert registry.status_code in (403, 404)


@pytest.mark.parametrize("who", ["province", "commune"])
def test_nobody_below_reads_the_country(client, recorded, viet_nam, new_quang_ngai, who, request):
    if who == "province":
        user = UserFactory(username="hlhpn.tinh")
        membership(user, new_quang_ngai, "province_reviewer")
    else:
        user = request.getfixturevalue("commune_officer")
    client.force_login(user)

    assert client.get(reverse("reports:dashboard", args=[viet_nam.pk])).status_code == 404
    data = client.get(reverse("reports:data_rollup", args=["VN"]), {"year": 2023})
    assert data.status_code == 404
    assert client.get(reverse("reports:completeness", args=[viet_nam.pk])).status_code in (
        403,
        404,
    )


def test_names_of_units_stop_below_viet_nam(ba_trang_merger, quang_ngai, ba_trang):
    """The country has no people's committee and is no part of a unit's name: a province is
    named alone, and nothing prints "quốc gia Việt Nam" above it."""
    from duan8.orgunits.selectors import org_unit_ancestors, org_unit_display_name
    from duan8.orgunits.users.forms import unit_label
    from duan8.programs.plan_new import _body_name

    assert unit_label(quang_ngai) == "Tỉnh Quảng Ngãi"
    assert _body_name(quang_ngai.parent) == ""
    assert org_unit_display_name(ba_trang, org_unit_ancestors(ba_trang)) == (
        "Xã Ba Trang, Huyện Ba Tơ, Tỉnh Quảng Ngãi"
    )
