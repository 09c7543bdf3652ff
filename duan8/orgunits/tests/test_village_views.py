"""The pages that rename, merge and split villages (issue 12, point 7)."""

import datetime

import pytest
from django.urls import reverse

from duan8.core.audit import AuditEvent
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit, OrgUnitSuccession

D = datetime.date
KEY = "k" * 24


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


def url(name, unit):
    return reverse(f"orgunits:{name}", args=[unit.pk])


def test_the_communes_page_links_each_change(client, commune_officer, ba_trang, villages):
    client.force_login(commune_officer)

    html = client.get(url("unit_detail", ba_trang)).content.decode()

    assert url("village_rename", villages["Kon Riêng"]) in html
    assert url("village_split", villages["Kon Riêng"]) in html
    assert url("villages_merge", ba_trang) in html


def test_rename_with_a_new_act_once_even_if_sent_twice(client, commune_officer, villages):
    client.force_login(commune_officer)
    data = {
        "once": KEY,
        "name": "Kon Riêng Thượng",
        "effective_on": "2024-01-01",
        "act_kind": "nghi_quyet",
        "act_number": "15",
        "act_symbol": "NQ-HĐND",
        "act_issued_on": "2023-12-10",
        "act_issuer": "Hội đồng nhân dân tỉnh Quảng Ngãi",
        "act_title": "Đặt tên thôn",
    }

    first = client.post(url("village_rename", villages["Kon Riêng"]), data)
    again = client.post(url("village_rename", villages["Kon Riêng"]), data)

    assert first.status_code == 302 and again.status_code == 302
    new = OrgUnit.objects.get(name="Kon Riêng Thượng")
    edge = OrgUnitSuccession.objects.get(successor=new)
    assert edge.predecessor == villages["Kon Riêng"] and edge.effective_on == D(2024, 1, 1)
    assert "15/NQ-HĐND" in edge.legal_act
    assert LegalDocument.objects.filter(number="15", symbol="NQ-HĐND").count() == 1
    assert AuditEvent.objects.filter(action="orgunits.village.renamed").count() == 1
    page = client.get(url("unit_detail", new)).content.decode()
    assert "this unit was" in page and "Kon Riêng" in page


def test_a_refused_change_saves_nothing_not_even_the_new_act(client, commune_officer, villages):
    client.force_login(commune_officer)

    response = client.post(
        url("village_rename", villages["Kon Riêng"]),
        {
            "once": KEY,
            "name": "Bùi Hui",
            "effective_on": "2024-01-01",
            "act_kind": "quyet_dinh",
            "act_number": "9",
            "act_symbol": "QĐ-UBND",
            "act_issued_on": "2023-12-10",
            "act_issuer": "UBND tỉnh",
        },
    )

    assert response.status_code == 400
    assert "already has a village named Bùi Hui" in response.content.decode()
    assert not LegalDocument.objects.filter(number="9").exists()
    assert not OrgUnitSuccession.objects.exists()


def test_merge_page_merges_the_checked_villages(client, commune_officer, ba_trang, villages):
    client.force_login(commune_officer)

    response = client.post(
        url("villages_merge", ba_trang),
        {
            "once": KEY,
            "villages": [villages["Nước Đang"].pk, villages["Kon Riêng"].pk],
            "name": "Nước Đang",
            "effective_on": "2024-03-01",
        },
    )

    assert response.status_code == 302
    merged = OrgUnit.objects.get(name="Nước Đang", valid_from=D(2024, 3, 1))
    assert merged.successions_in.count() == 2


def test_split_page_refuses_a_date_after_the_commune_ended(client, commune_officer, villages):
    client.force_login(commune_officer)

    response = client.post(
        url("village_split", villages["Bùi Hui"]),
        {"once": KEY, "names": "Bùi Hui\nBùi Hui Hạ", "effective_on": "2025-09-01"},
    )

    assert response.status_code == 400
    assert "no longer existed on 01/09/2025" in response.content.decode()
    assert not OrgUnit.objects.filter(name="Bùi Hui Hạ").exists()


def test_a_read_only_role_cannot_change_villages(client, fatherland_front, villages):
    client.force_login(fatherland_front)

    response = client.post(
        url("village_rename", villages["Kon Riêng"]),
        {"once": KEY, "name": "Tên mới", "effective_on": "2024-01-01"},
    )

    assert response.status_code == 403
    assert not OrgUnit.objects.filter(name="Tên mới").exists()


def test_another_communes_officer_gets_not_found(client, other_commune_officer, ba_trang):
    client.force_login(other_commune_officer)

    assert client.get(url("villages_merge", ba_trang)).status_code == 404
