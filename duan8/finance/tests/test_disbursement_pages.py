"""Disbursement and settlement pages: who sees what, the chart beside the tables, the files, the
settlement's draft and approval through the pages; bounded queries."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from duan8.accounts.models import User
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.finance.models import Settlement
from duan8.finance.services.settlement import settlement_locked
from duan8.finance.tests.frep_records import accountant, allocate, pay
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = datetime.date


@pytest.fixture
def money(ba_trang: OrgUnit, ba_kham: OrgUnit, ba_trang_plan: Plan) -> User:
    allocate(ba_trang, 100_000_000)
    pay(ba_trang, ba_trang_plan, 1_200_000, D(2023, 5, 1))
    allocate(ba_kham, 50_000_000)
    pay(ba_kham, ba_trang_plan, 25_000_000, D(2023, 9, 1))
    return accountant(ba_trang)


def _page(client: Client, user: User, unit: OrgUnit, **query: str) -> object:
    client.force_login(user)
    return client.get(reverse("finance:disbursement", args=[unit.pk]), {"year": "2023", **query})


def test_the_commune_page_with_its_chart(client: Client, ba_trang: OrgUnit, money: User) -> None:
    response = _page(client, money, ba_trang)
    assert response.status_code == 200
    html = response.content.decode()
    assert "1.200.000" in html and "100.000.000" in html
    assert 'id="disbursement-percent">1%' in html
    assert "31/12/2023" in html and "domain.md 4.3" in html
    # the chart is an image: the page's only script is base.html's sign-out helper (issue 17)
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/offline/signout.js" defer>']
    assert "style=" not in html
    chart = client.get(response.context["chart"])
    assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"
    assert b"<svg" in chart.content


def test_the_district_reviewer_sees_one_row_per_commune(
    client: Client, ba_to: OrgUnit, money: User, district_reviewer: User
) -> None:
    response = _page(client, district_reviewer, ba_to)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ba Trang" in html and "Ba Khâm" in html
    assert "50%" in html  # Ba Khâm: 25 of 50 million
    assert client.get(response.context["chart"]).status_code == 200


def test_the_new_province_reviewer_sees_ba_trang_under_dang_thuy_tram(
    client: Client, money: User, ba_trang_merger: OrgUnit, new_quang_ngai: OrgUnit
) -> None:
    reviewer = UserFactory.create(username="hlhpn.qn")
    membership(reviewer, new_quang_ngai, "province_reviewer")
    response = _page(client, reviewer, new_quang_ngai, as_of="2027-01-01")
    assert response.status_code == 200
    rows = {row.unit.name: row.figures.disbursed for row in response.context["data"].units}
    assert rows == {"Đặng Thùy Trâm": 26_200_000}


def test_must_not_see_another_commune(
    client: Client, ba_trang: OrgUnit, money: User, other_commune_officer: User
) -> None:
    client.force_login(other_commune_officer)
    for name, args in [
        ("finance:disbursement", [ba_trang.pk]),
        ("finance:disbursement_chart", [ba_trang.pk]),
        ("finance:disbursement_file", [ba_trang.pk, 2023, "xlsx"]),
        ("finance:settlement", [ba_trang.pk, 2023]),
        ("finance:settlement_file", [ba_trang.pk, 2023, "docx"]),
    ]:
        assert client.get(reverse(name, args=args), {"year": "2023"}).status_code == 404
    for name in ("finance:settlement_draft", "finance:settlement_approve"):
        assert client.post(reverse(name, args=[ba_trang.pk, 2023])).status_code == 404


def test_the_settlement_through_the_pages(
    client: Client,
    ba_trang: OrgUnit,
    ba_trang_plan: Plan,
    money: User,
    commune_leader: User,
    commune_officer: User,
) -> None:
    client.force_login(money)
    page = reverse("finance:settlement", args=[ba_trang.pk, 2023])
    draft = client.post(reverse("finance:settlement_draft", args=[ba_trang.pk, 2023]))
    assert draft.status_code == 302
    settlement = Settlement.objects.get(holder=ba_trang, year=2023)
    assert "98.800.000" in client.get(page).content.decode()

    approve = reverse("finance:settlement_approve", args=[ba_trang.pk, 2023])
    client.force_login(commune_officer)  # a reader
    assert not client.get(page).context["may_approve"]
    assert client.post(approve, {"version": settlement.version}).status_code == 403
    assert not settlement_locked(ba_trang, 2023)

    client.force_login(commune_leader)
    assert client.post(approve, {"version": settlement.version}).status_code == 302
    assert settlement_locked(ba_trang, 2023)
    shown = client.get(page).context
    assert shown["settlement"].status == Settlement.Status.APPROVED
    assert not shown["may_draft"] and not shown["may_approve"]
    response = client.get(reverse("finance:settlement_file", args=[ba_trang.pk, 2023, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('quyet-toan-ba-trang-2023.xlsx"')


def test_a_year_out_of_range_is_a_bad_request(
    client: Client, ba_trang: OrgUnit, money: User
) -> None:
    assert _page(client, money, ba_trang, year="1800").status_code == 400


def test_the_province_page_reads_a_bounded_number_of_queries(
    client: Client,
    ba_to: OrgUnit,
    money: User,
    district_reviewer: User,
    django_assert_max_num_queries: object,
) -> None:
    client.force_login(district_reviewer)
    url = reverse("finance:disbursement", args=[ba_to.pk])
    client.get(url, {"year": "2023"})
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        assert client.get(url, {"year": "2023"}).status_code == 200
