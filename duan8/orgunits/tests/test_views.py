import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute, OrgUnitSuccession
from duan8.programs.tests import builders

REFORM = datetime.date(2025, 7, 1)
DBKK = OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids, whatever the Vietnamese catalogue says."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def merger(ba_trang, ba_kham, dang_thuy_tram):
    for old in (ba_trang, ba_kham):
        OrgUnitSuccession.objects.create(
            predecessor=old,
            successor=dang_thuy_tram,
            kind=OrgUnitSuccession.Kind.MERGED,
            effective_on=REFORM,
            legal_act="NQ 1677/NQ-UBTVQH15",
        )


@pytest.fixture
def qd_612(db):
    return LegalDocument.objects.create(
        kind=LegalDocument.Kind.DECISION,
        number="612",
        symbol="QĐ-UBDT",
        issued_on=datetime.date(2021, 9, 16),
        issuer="Ủy ban Dân tộc",
        title="Phê duyệt danh sách thôn đặc biệt khó khăn",
    )


def unit_url(unit, name="unit_detail"):
    return reverse(f"orgunits:{name}", args=[unit.pk])


def test_unit_page_names_the_unit_with_its_parents_and_code(client, commune_officer, ba_trang):
    client.force_login(commune_officer)

    response = client.get(unit_url(ba_trang))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Xã Ba Trang, Huyện Ba Tơ, Tỉnh Quảng Ngãi" in html
    assert "21520" in html
    assert "QĐ 124/2004/QĐ-TTg" in html
    assert "until 30/06/2025" in html


def test_unit_page_tells_ba_trang_is_part_of_dang_thuy_tram(
    client, commune_officer, ba_trang, merger
):
    client.force_login(commune_officer)

    html = client.get(unit_url(ba_trang)).content.decode()

    assert (
        "From 01/07/2025 it is part of Xã Đặng Thùy Trâm, Tỉnh Quảng Ngãi,"
        " together with Xã Ba Khâm." in html
    )
    assert "NQ 1677/NQ-UBTVQH15" in html


def test_unit_page_of_the_new_commune_links_both_old_ones(
    client, dang_thuy_tram, ba_trang, ba_kham, merger
):
    admin = UserFactory(username="quantri", is_superuser=True)  # sees the whole map
    client.force_login(admin)

    html = client.get(unit_url(dang_thuy_tram)).content.decode()

    for old in (ba_kham, ba_trang):
        link = f'<a href="{unit_url(old)}">{old.full_name}, Huyện Ba Tơ, Tỉnh Quảng Ngãi</a>'
        assert f"From 01/07/2025, {link} merged into this unit." in html


def test_unit_page_lists_villages_attributes_and_plans(
    client, commune_officer, ba_trang, villages, qd_612
):
    nuoc_dang = villages["Nước Đang"]
    OrgUnitAttribute.objects.create(
        org_unit=nuoc_dang, key=DBKK, valid_from=datetime.date(2021, 9, 16), decision=qd_612
    )
    plan = builders.plan(ba_trang, list(villages.values()))
    client.force_login(commune_officer)

    commune_html = client.get(unit_url(ba_trang)).content.decode()
    village_html = client.get(unit_url(nuoc_dang)).content.decode()

    assert f'<a href="{unit_url(nuoc_dang)}">Thôn Nước Đang</a>' in commune_html
    assert "especially difficult" in commune_html
    assert reverse("programs:plan_detail", args=[plan.pk]) in commune_html
    assert "Especially difficult village (thôn ĐBKK)" in village_html
    assert "from 16/09/2021" in village_html
    assert "612/QĐ-UBDT" in village_html


@pytest.mark.parametrize("persona", ["other_commune_officer", "village_head"])
def test_ba_trang_page_is_not_found_for_users_outside_it(client, request, ba_trang, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(unit_url(ba_trang))

    assert response.status_code == 404
    assert "21520" not in response.content.decode()


def test_village_head_sees_the_village_without_forms(client, village_head, villages):
    client.force_login(village_head)

    response = client.get(unit_url(villages["Nước Đang"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert unit_url(villages["Nước Đang"], "village_mark_difficult") not in html


def test_unit_page_runs_the_same_queries_for_3_or_30_villages(
    client, commune_officer, ba_trang, villages, ba_kham, merger, settings
):
    settings.PAGE_SIZE = 20
    client.force_login(commune_officer)
    with CaptureQueriesContext(connection) as few:
        client.get(unit_url(ba_trang))
    builders.extra_villages(ba_trang, 30)

    with CaptureQueriesContext(connection) as many:
        response = client.get(unit_url(ba_trang))

    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.context["children"].paginator.count == 33


# Add a village


def test_commune_officer_sees_the_add_village_form(client, commune_officer, ba_trang):
    client.force_login(commune_officer)

    html = client.get(unit_url(ba_trang)).content.decode()

    assert unit_url(ba_trang, "village_create") in html


def test_commune_leader_does_not_see_the_add_village_form(client, commune_leader, ba_trang):
    client.force_login(commune_leader)

    response = client.get(unit_url(ba_trang))

    html = response.content.decode()
    assert response.status_code == 200 and "Xã Ba Trang, Huyện Ba Tơ" in html
    assert unit_url(ba_trang, "village_create") not in html


def test_commune_officer_adds_a_village(client, commune_officer, ba_trang, villages):
    client.force_login(commune_officer)

    response = client.post(unit_url(ba_trang, "village_create"), {"name": "Làng Tốt"}, follow=True)

    village = OrgUnit.objects.get(parent=ba_trang, name="Làng Tốt")
    assert village.level == OrgUnit.Level.VILLAGE
    assert "Thôn Làng Tốt was added." in response.content.decode()


def test_adding_a_village_twice_is_refused_by_name(client, commune_officer, ba_trang, villages):
    client.force_login(commune_officer)

    response = client.post(unit_url(ba_trang, "village_create"), {"name": "bùi hui"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Xã Ba Trang already has a village named bùi hui." in html
    assert response.context["village_form"].errors == {
        "name": ["Xã Ba Trang already has a village named bùi hui."]
    }  # beside the name, not at the top of the form
    assert f'name="next" value="{unit_url(ba_trang)}"' in html  # the language switch
    assert OrgUnit.objects.filter(parent=ba_trang).count() == 3


def test_a_village_cannot_be_added_under_a_village(client, commune_officer, villages):
    nuoc_dang = villages["Nước Đang"]
    client.force_login(commune_officer)

    response = client.post(unit_url(nuoc_dang, "village_create"), {"name": "Thôn Con"})

    assert response.status_code == 200
    assert "A village must be placed under a commune" in response.content.decode()
    assert not OrgUnit.objects.filter(parent=nuoc_dang).exists()


def test_adding_a_village_forged_by_the_commune_leader_is_forbidden(
    client, commune_leader, ba_trang, villages
):
    client.force_login(commune_leader)

    response = client.post(unit_url(ba_trang, "village_create"), {"name": "Làng Giả"})

    assert response.status_code == 403
    assert not OrgUnit.objects.filter(name="Làng Giả").exists()


def test_adding_a_village_from_another_commune_finds_no_unit(
    client, other_commune_officer, ba_trang
):
    client.force_login(other_commune_officer)

    response = client.post(unit_url(ba_trang, "village_create"), {"name": "Làng Giả"})

    assert response.status_code == 404
    assert not OrgUnit.objects.filter(name="Làng Giả").exists()


# Mark a village as especially difficult


def test_commune_officer_marks_a_village_especially_difficult(
    client, commune_officer, villages, qd_612
):
    kon_rieng = villages["Kon Riêng"]
    client.force_login(commune_officer)

    response = client.post(
        unit_url(kon_rieng, "village_mark_difficult"),
        {"valid_from": "2021-09-16", "decision": qd_612.pk},
        follow=True,
    )

    attribute = OrgUnitAttribute.objects.get(org_unit=kon_rieng, key=DBKK)
    assert attribute.valid_from == datetime.date(2021, 9, 16)
    assert attribute.decision == qd_612
    assert "from 16/09/2021" in response.content.decode()


def test_marking_a_village_needs_an_end_after_its_start(client, commune_officer, villages):
    kon_rieng = villages["Kon Riêng"]
    client.force_login(commune_officer)

    response = client.post(
        unit_url(kon_rieng, "village_mark_difficult"),
        {"valid_from": "16/09/2021", "valid_to": "01/01/2020"},
    )

    assert response.status_code == 200
    assert "The end date must not be before the start date." in response.content.decode()
    assert not OrgUnitAttribute.objects.filter(org_unit=kon_rieng).exists()


def test_only_a_village_can_be_marked_especially_difficult(client, commune_officer, ba_trang):
    client.force_login(commune_officer)

    response = client.post(
        unit_url(ba_trang, "village_mark_difficult"), {"valid_from": "2021-09-16"}
    )

    assert response.status_code == 200
    assert "Only a village can be an especially difficult village." in response.content.decode()
    assert not OrgUnitAttribute.objects.exists()


def test_marking_forged_by_the_village_head_is_forbidden(client, village_head, villages):
    nuoc_dang = villages["Nước Đang"]
    client.force_login(village_head)

    response = client.post(
        unit_url(nuoc_dang, "village_mark_difficult"), {"valid_from": "2021-09-16"}
    )

    assert response.status_code == 403
    assert not OrgUnitAttribute.objects.exists()
