"""The payment lists over the API (issue 16): reading lists and a list's entries (names as the
page shows them, audited), making a list (accountant or leader), approving it (leader), paying
an entry and reversing a payment (accountant); through the pages' services, access before the
body, once per Idempotency-Key."""

import datetime

import pytest
from django.urls import reverse

from duan8.core.models import AuditEvent
from duan8.mothers.models import Payment, PaymentList
from duan8.mothers.services.payments import payment_record
from duan8.mothers.tests.payments_setup import *  # noqa: F403
from duan8.mothers.tests.payments_setup import NORMAL_BIRTH

LISTS = reverse("api:mothers_payment_lists")
TODAY = datetime.date.today().isoformat()


def _key(name: str) -> dict[str, str]:
    return {"Idempotency-Key": f"k-{name}-00001"}


def _detail(pl: PaymentList) -> str:
    return reverse("api:mothers_payment_list_detail", kwargs={"pk": pl.pk})


def _approve(pl: PaymentList) -> str:
    return reverse("api:mothers_payment_list_approve", kwargs={"pk": pl.pk})


def _pay(pl: PaymentList, entry_pk: int) -> str:
    return reverse("api:mothers_payment_entry_pay", kwargs={"pk": pl.pk, "entry_pk": entry_pk})


def _reverse(payment: Payment) -> str:
    return reverse("api:mothers_payment_reverse", kwargs={"pk": payment.pk})


def _body(ba_trang, **changes):
    return {"commune": ba_trang.pk, "year": 2023, "title": "Chi trả năm 2023", **changes}


def _fields(response) -> set[str]:
    return {problem["field"] for problem in response.json()["errors"]}


def test_the_accountant_makes_the_leader_approves_the_accountant_pays_and_reverses(
    api, pay_cases, pay_accountant, commune_leader, ba_trang
):
    accountant = api(pay_accountant, read_only=False)
    made = accountant.post(LISTS, _body(ba_trang), format="json", headers=_key("make"))
    assert made.status_code == 201, made.json()
    data = made.json()
    assert data["status"] == PaymentList.Status.DRAFT
    assert data["entry_count"] == 3 and data["due_total"] == 3 * NORMAL_BIRTH
    assert {e["full_name"] for e in data["entries"]} == {
        "Đinh Thị Hoa",
        "Phạm Thị Lan",
        "Hồ Thị Mai",
    }
    assert not any("ethnic" in key for e in data["entries"] for key in e)
    pl = PaymentList.objects.get(pk=data["id"])

    approved = api(commune_leader, read_only=False).post(
        _approve(pl), {"version": pl.version}, format="json", headers=_key("approve")
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == PaymentList.Status.APPROVED

    entry = pl.entries.get(pregnancy=pay_cases["hoa"])
    paid = accountant.post(
        _pay(pl, entry.pk),
        {"paid_on": TODAY, "amount": 2_000_000, "receipt": "PC-01"},
        format="json",
        headers=_key("pay"),
    )
    assert paid.status_code == 201, paid.json()
    assert paid.json()["remaining"] == 200_000
    payment = Payment.objects.get(pk=paid.json()["id"])

    undone = accountant.post(
        _reverse(payment), {"reason": "Ghi nhầm số tiền"}, format="json", headers=_key("rev")
    )
    assert undone.status_code == 201, undone.json()
    assert undone.json()["amount"] == -2_000_000 and undone.json()["reverses"] == payment.pk
    assert undone.json()["remaining"] == NORMAL_BIRTH


def test_a_retry_with_the_same_key_acts_once(
    api, pay_cases, pay_accountant, commune_leader, ba_trang
):
    accountant = api(pay_accountant, read_only=False)
    first = accountant.post(LISTS, _body(ba_trang), format="json", headers=_key("once"))
    again = accountant.post(LISTS, _body(ba_trang), format="json", headers=_key("once"))
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert PaymentList.objects.count() == 1
    pl = PaymentList.objects.get()
    api(commune_leader, read_only=False).post(
        _approve(pl), {"version": pl.version}, format="json", headers=_key("ok")
    )
    entry = pl.entries.first()
    body = {"paid_on": TODAY, "amount": 100_000}
    for _ in range(2):
        answer = accountant.post(_pay(pl, entry.pk), body, format="json", headers=_key("pay1"))
        assert answer.status_code == 201
    assert Payment.objects.count() == 1
    payment = Payment.objects.get()
    for _ in range(2):
        answer = accountant.post(
            _reverse(payment), {"reason": "Nhầm"}, format="json", headers=_key("rev1")
        )
        assert answer.status_code == 201
    assert Payment.objects.count() == 2


def test_a_bad_list_is_refused_by_field_and_nothing_is_saved(
    api, pay_cases, pay_accountant, ba_trang
):
    client = api(pay_accountant, read_only=False)
    answer = client.post(LISTS, _body(ba_trang, title=""), format="json", headers=_key("bad1"))
    assert answer.status_code == 400 and "title" in _fields(answer)
    answer = client.post(LISTS, _body(ba_trang, year=1990), format="json", headers=_key("bad2"))
    assert answer.status_code == 400 and "year" in _fields(answer)
    answer = client.post(LISTS, {"year": 2023}, format="json", headers=_key("bad3"))
    assert answer.status_code == 400 and "commune" in _fields(answer)
    # no approved case of 2021 waiting: the whole request is refused
    answer = client.post(LISTS, _body(ba_trang, year=2021), format="json", headers=_key("bad4"))
    assert answer.status_code == 400
    assert not PaymentList.objects.exists()


def test_a_bad_payment_is_refused_by_field_and_nothing_is_saved(
    api, pay_approved_list, pay_accountant, pay_cases
):
    client = api(pay_accountant, read_only=False)
    entry = pay_approved_list.entries.get(pregnancy=pay_cases["hoa"])
    too_much = {"paid_on": TODAY, "amount": 9_000_000}
    answer = client.post(
        _pay(pay_approved_list, entry.pk), too_much, format="json", headers=_key("b1")
    )
    assert answer.status_code == 400 and "amount" in _fields(answer)
    future = {"paid_on": "2099-01-01", "amount": 1000}
    answer = client.post(
        _pay(pay_approved_list, entry.pk), future, format="json", headers=_key("b2")
    )
    assert answer.status_code == 400 and "paid_on" in _fields(answer)
    answer = client.post(
        _pay(pay_approved_list, entry.pk), {"amount": 1000}, format="json", headers=_key("b3")
    )
    assert answer.status_code == 400 and "paid_on" in _fields(answer)
    assert not Payment.objects.exists()


def test_a_draft_list_is_not_paid_and_a_reversal_needs_a_reason(
    api, pay_list, pay_accountant, commune_leader, pay_cases
):
    client = api(pay_accountant, read_only=False)
    entry = pay_list.entries.first()
    body = {"paid_on": TODAY, "amount": 1000}
    answer = client.post(_pay(pay_list, entry.pk), body, format="json", headers=_key("d1"))
    assert answer.status_code == 400
    assert not Payment.objects.exists()
    from duan8.mothers.services.payments import payment_list_approve

    payment_list_approve(
        actor=commune_leader, payment_list=pay_list, expected_version=pay_list.version
    )
    payment = payment_record(
        actor=pay_accountant, entry=entry, paid_on=datetime.date.today(), amount=1000
    )
    answer = client.post(_reverse(payment), {"reason": ""}, format="json", headers=_key("d2"))
    assert answer.status_code == 400 and "reason" in _fields(answer)
    assert Payment.objects.count() == 1


def test_approval_needs_the_version_and_refuses_a_stale_one(api, pay_list, commune_leader):
    client = api(commune_leader, read_only=False)
    answer = client.post(_approve(pay_list), {}, format="json", headers=_key("v0"))
    assert answer.status_code == 428
    answer = client.post(
        _approve(pay_list), {"version": pay_list.version + 5}, format="json", headers=_key("v1")
    )
    assert answer.status_code == 409
    pay_list.refresh_from_db()
    assert pay_list.status == PaymentList.Status.DRAFT


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer", 403), ("health", 403), ("other", 404), ("reviewer", 404)],
)
def test_who_may_not_make_a_list_is_refused_before_the_body(
    api,
    pay_cases,
    ba_trang,
    commune_officer,
    pay_health_station,
    pay_other_accountant,
    district_reviewer,
    who,
    status,
):
    user = {
        "officer": commune_officer,
        "health": pay_health_station,
        "other": pay_other_accountant,
        "reviewer": district_reviewer,
    }[who]
    # an empty title: a 400 would confirm the commune; the refusal comes first
    answer = api(user, read_only=False).post(
        LISTS, _body(ba_trang, title=""), format="json", headers=_key("no")
    )
    assert answer.status_code == status
    assert not PaymentList.objects.exists()


def test_the_leader_makes_a_list_too(api, pay_cases, commune_leader, ba_trang):
    answer = api(commune_leader, read_only=False).post(
        LISTS, _body(ba_trang), format="json", headers=_key("leader")
    )
    assert answer.status_code == 201


@pytest.mark.parametrize(("who", "status"), [("accountant", 403), ("officer", 403), ("other", 404)])
def test_only_the_leader_approves(
    api, pay_list, pay_accountant, commune_officer, pay_other_accountant, who, status
):
    user = {"accountant": pay_accountant, "officer": commune_officer, "other": pay_other_accountant}
    answer = api(user[who], read_only=False).post(
        _approve(pay_list), {"version": pay_list.version}, format="json", headers=_key("ap")
    )
    assert answer.status_code == status
    pay_list.refresh_from_db()
    assert pay_list.status == PaymentList.Status.DRAFT


@pytest.mark.parametrize(("who", "status"), [("leader", 403), ("officer", 403), ("other", 404)])
def test_only_the_accountant_pays_and_reverses(
    api,
    pay_approved_list,
    pay_accountant,
    commune_leader,
    commune_officer,
    pay_other_accountant,
    who,
    status,
):
    user = {"leader": commune_leader, "officer": commune_officer, "other": pay_other_accountant}
    entry = pay_approved_list.entries.first()
    payment = payment_record(
        actor=pay_accountant, entry=entry, paid_on=datetime.date.today(), amount=1000
    )
    client = api(user[who], read_only=False)
    answer = client.post(_pay(pay_approved_list, entry.pk), {}, format="json", headers=_key("p"))
    assert answer.status_code == status
    answer = client.post(_reverse(payment), {}, format="json", headers=_key("r"))
    assert answer.status_code == status
    assert Payment.objects.count() == 1


def test_an_entry_of_another_list_is_a_404(api, pay_approved_list, pay_accountant, ba_trang):
    other = PaymentList.objects.create(commune=ba_trang, year=2022, title="Khác")
    entry = pay_approved_list.entries.first()
    answer = api(pay_accountant, read_only=False).post(
        _pay(other, entry.pk), {"paid_on": TODAY, "amount": 1000}, format="json", headers=_key("x")
    )
    assert answer.status_code == 404
    assert not Payment.objects.exists()


def test_the_readers_read_lists_and_entries_and_each_read_is_audited(
    api, pay_approved_list, pay_accountant, commune_officer, commune_leader
):
    for user in (pay_accountant, commune_officer, commune_leader):
        listed = api(user).get(LISTS)
        assert listed.status_code == 200
        (row,) = listed.json()["results"]
        assert row["id"] == pay_approved_list.pk and row["entry_count"] == 3
        assert "entries" not in row
    before = AuditEvent.objects.filter(action="mothers.payments.viewed").count()
    read = api(pay_accountant).get(_detail(pay_approved_list))
    assert read.status_code == 200
    entry = read.json()["entries"][0]
    assert set(entry) >= {"full_name", "birth_year", "village_name", "due", "paid", "remaining"}
    assert not {"ethnicity", "ethnic_group", "id_number", "health"} & set(entry)
    assert read.headers["ETag"] == f'"{pay_approved_list.version}"'
    events = AuditEvent.objects.filter(action="mothers.payments.viewed")
    assert events.count() == before + 1
    assert "Đinh Thị Hoa" not in str(events.latest("pk").after)


def test_outsiders_see_no_list(api, pay_approved_list, pay_other_accountant, district_reviewer):
    for user in (pay_other_accountant, district_reviewer):
        assert api(user).get(LISTS).json()["results"] == []
        assert api(user).get(_detail(pay_approved_list)).status_code == 404


def test_a_page_of_lists_costs_a_fixed_number_of_queries(
    api, pay_cases, pay_accountant, ba_trang, django_assert_num_queries
):
    from duan8.mothers.tests.payments_setup import make_list

    make_list(pay_accountant, ba_trang)
    make_list(pay_accountant, ba_trang, year=2022)
    client = api(pay_accountant)
    client.get(LISTS)  # warm the token's first-use caches
    with django_assert_num_queries(QUERIES):
        assert len(client.get(LISTS).json()["results"]) == 2
    PaymentList.objects.create(commune=ba_trang, year=2021, title="Trống")
    with django_assert_num_queries(QUERIES):
        assert len(client.get(LISTS).json()["results"]) == 3


QUERIES = 4


def test_a_payment_above_what_is_due_is_explained_in_english(
    api, pay_approved_list, pay_accountant
):
    entry = pay_approved_list.entries.first()
    answer = api(pay_accountant, read_only=False, language="en").post(
        _pay(pay_approved_list, entry.pk),
        {"paid_on": TODAY, "amount": 9_000_000},
        format="json",
        headers=_key("en"),
    )
    assert answer.status_code == 400
    (problem,) = [p for p in answer.json()["errors"] if p["field"] == "amount"]
    assert "still due to her" in problem["message"]
    assert not Payment.objects.exists()
