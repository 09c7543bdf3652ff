"""The payment pages: who sees and does what, clear refusals, nothing saved on a refusal."""

import datetime

import pytest
from django.urls import reverse

from duan8.mothers.models import Payment, PaymentList, Pregnancy
from duan8.mothers.services.payments import payment_record
from duan8.mothers.tests.payments_setup import *  # noqa: F403
from duan8.mothers.tests.payments_setup import NORMAL_BIRTH


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids, whatever the Vietnamese catalogue says."""
    client.cookies["django_language"] = "en"


ONCE = "k" * 24


def _entry(payment_list, case):
    return payment_list.entries.get(pregnancy=case)


def _pay(client, entry, amount="2.200.000", once=ONCE):
    return client.post(
        reverse("mothers:payment_record", args=[entry.pk]),
        {"paid_on": datetime.date.today().isoformat(), "amount": amount, "once": once},
    )


def test_the_accountant_makes_a_list_the_chairman_approves_and_the_accountant_pays(
    client, pay_cases, pay_accountant, commune_leader, ba_trang
):
    client.force_login(pay_accountant)
    page = client.get(reverse("mothers:payment_lists", args=[ba_trang.pk]))
    assert page.status_code == 200
    made = client.post(
        reverse("mothers:payment_list_create", args=[ba_trang.pk]),
        {"year": "2023", "number": "12/DS-UBND", "title": "Chi trả năm 2023", "once": ONCE},
    )
    again = client.post(
        reverse("mothers:payment_list_create", args=[ba_trang.pk]),
        {"year": "2023", "number": "12/DS-UBND", "title": "Chi trả năm 2023", "once": ONCE},
    )
    payment_list = PaymentList.objects.get()
    assert made.status_code == again.status_code == 302
    assert again.url == made.url  # the double tap made nothing more

    client.force_login(commune_leader)
    detail = client.get(made.url)
    assert "Phạm Thị Lan" in detail.content.decode()
    approved = client.post(
        reverse("mothers:payment_list_approve", args=[payment_list.pk]),
        {"version": payment_list.version},
    )
    assert approved.status_code == 302

    client.force_login(pay_accountant)
    entry = _entry(payment_list, pay_cases["hoa"])
    form = client.get(reverse("mothers:payment_record", args=[entry.pk]))
    assert "2.200.000" in form.content.decode()
    paid = _pay(client, entry, once="p" * 24)
    assert paid.status_code == 302
    assert _pay(client, entry, once="p" * 24).status_code == 302  # the same form, sent twice
    assert Payment.objects.get().amount == NORMAL_BIRTH
    page = client.get(reverse("mothers:payment_lists", args=[ba_trang.pk]) + "?nam=2023")
    body = page.content.decode()
    assert "Nước Đang" in body and "2.200.000" in body


def test_a_payment_above_due_is_refused_with_a_clear_message_and_nothing_saved(
    client, pay_approved_list, pay_cases, pay_accountant
):
    client.force_login(pay_accountant)

    response = _pay(client, _entry(pay_approved_list, pay_cases["hoa"]), amount="2.500.000")

    assert response.status_code == 200
    assert "2.500.000 VND is more than the 2.200.000 VND still due to her." in (
        response.content.decode()
    )
    assert not Payment.objects.exists()


def test_a_payment_on_a_duplicate_case_is_refused_with_a_clear_message(
    client, pay_approved_list, pay_cases, pay_accountant
):
    Pregnancy.objects.filter(pk=pay_cases["lan"].pk).update(status=Pregnancy.Status.DUPLICATE)
    client.force_login(pay_accountant)

    response = _pay(client, _entry(pay_approved_list, pay_cases["lan"]))

    assert response.status_code == 200
    assert "it may not be paid" in response.content.decode()
    assert not Payment.objects.exists()


def test_a_payment_on_an_unapproved_list_is_refused_with_a_clear_message(
    client, pay_list, pay_cases, pay_accountant
):
    client.force_login(pay_accountant)

    response = _pay(client, _entry(pay_list, pay_cases["hoa"]))

    assert response.status_code == 200
    assert "The payment list is not approved yet" in response.content.decode()
    assert not Payment.objects.exists()


@pytest.mark.parametrize("persona", ["pay_health_station", "commune_officer", "commune_leader"])
def test_readers_of_the_commune_may_not_pay(client, request, persona, pay_approved_list, pay_cases):
    client.force_login(request.getfixturevalue(persona))
    entry = _entry(pay_approved_list, pay_cases["hoa"])

    assert client.get(reverse("mothers:payment_record", args=[entry.pk])).status_code == 403
    assert _pay(client, entry).status_code == 403
    detail = client.get(reverse("mothers:payment_list_detail", args=[pay_approved_list.pk]))
    assert detail.status_code == 200
    assert "Record a payment" not in detail.content.decode()
    assert not Payment.objects.exists()


@pytest.mark.parametrize("persona", ["pay_other_accountant", "pay_province_reviewer"])
def test_another_communes_accountant_and_the_province_see_nothing(
    client, request, persona, pay_approved_list, pay_cases, pay_accountant, ba_trang
):
    payment = payment_record(
        actor=pay_accountant,
        entry=_entry(pay_approved_list, pay_cases["hoa"]),
        paid_on=datetime.date.today(),
        amount=NORMAL_BIRTH,
    )
    client.force_login(request.getfixturevalue(persona))
    entry = _entry(pay_approved_list, pay_cases["lan"])

    for url in (
        reverse("mothers:payment_lists", args=[ba_trang.pk]),
        reverse("mothers:payment_list_create", args=[ba_trang.pk]),
        reverse("mothers:payment_list_detail", args=[pay_approved_list.pk]),
        reverse("mothers:payment_list_download", args=[pay_approved_list.pk, "xlsx"]),
        reverse("mothers:payment_record", args=[entry.pk]),
        reverse("mothers:payment_reverse", args=[payment.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert _pay(client, entry).status_code == 404
    assert (
        client.post(
            reverse("mothers:payment_list_approve", args=[pay_approved_list.pk]), {"version": 1}
        ).status_code
        == 404
    )
    assert Payment.objects.count() == 1


def test_the_accountant_may_not_approve_and_the_chairman_may(
    client, pay_list, pay_accountant, commune_leader
):
    url = reverse("mothers:payment_list_approve", args=[pay_list.pk])
    client.force_login(pay_accountant)
    assert client.post(url, {"version": pay_list.version}).status_code == 403

    client.force_login(commune_leader)
    assert client.post(url, {"version": pay_list.version + 3}).status_code == 200  # stale copy
    pay_list.refresh_from_db()
    assert pay_list.status == PaymentList.Status.DRAFT


def test_the_accountant_reverses_a_payment_with_a_reason(
    client, pay_approved_list, pay_cases, pay_accountant
):
    payment = payment_record(
        actor=pay_accountant,
        entry=_entry(pay_approved_list, pay_cases["hoa"]),
        paid_on=datetime.date.today(),
        amount=NORMAL_BIRTH,
    )
    client.force_login(pay_accountant)
    url = reverse("mothers:payment_reverse", args=[payment.pk])

    empty = client.post(url, {"reason": "", "once": "r" * 24})
    assert empty.status_code == 200
    done = client.post(url, {"reason": "Nhầm người nhận", "once": "r" * 24})
    assert done.status_code == 302
    assert Payment.objects.filter(reverses=payment).get().amount == -NORMAL_BIRTH
    detail = client.get(done.url)
    assert "Nhầm người nhận" in detail.content.decode()


def test_the_accountants_pages_show_no_ethnicity(
    client, pay_approved_list, pay_cases, pay_accountant
):
    client.force_login(pay_accountant)

    detail = client.get(reverse("mothers:payment_list_detail", args=[pay_approved_list.pk]))
    pay = client.get(
        reverse("mothers:payment_record", args=[_entry(pay_approved_list, pay_cases["hoa"]).pk])
    )

    for response in (detail, pay):
        assert response.status_code == 200
        assert "Hrê" not in response.content.decode()


def test_the_download_is_a_workbook(client, pay_approved_list, pay_accountant):
    client.force_login(pay_accountant)

    response = client.get(
        reverse("mothers:payment_list_download", args=[pay_approved_list.pk, "xlsx"])
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_the_list_page_takes_a_fixed_number_of_queries(
    client, pay_approved_list, pay_accountant, villages, django_assert_max_num_queries
):
    from duan8.mothers.tests.payments_setup import approved_case, make_list

    for index in range(12):
        approved_case(name=f"Đinh Thị Số {index}", village=villages["Bùi Hui"])
    bigger = make_list(pay_accountant, villages["Bùi Hui"].parent)
    client.force_login(pay_accountant)

    with django_assert_max_num_queries(14):
        assert (
            client.get(
                reverse("mothers:payment_list_detail", args=[pay_approved_list.pk])
            ).status_code
            == 200
        )
    with django_assert_max_num_queries(14):
        assert (
            client.get(reverse("mothers:payment_list_detail", args=[bigger.pk])).status_code == 200
        )
    with django_assert_max_num_queries(14):
        assert (
            client.get(reverse("mothers:payment_lists", args=[bigger.commune_id])).status_code
            == 200
        )


def test_making_a_list_with_nothing_waiting_says_so_and_makes_nothing(
    client, pay_cases, pay_accountant, ba_trang
):
    client.force_login(pay_accountant)

    response = client.post(
        reverse("mothers:payment_list_create", args=[ba_trang.pk]),
        {"year": "2021", "title": "Chi trả năm 2021", "once": ONCE},
    )

    assert response.status_code == 200
    assert "No approved case of 2021 in" in response.content.decode()
    assert not PaymentList.objects.exists()


def test_the_health_station_reads_the_lists_but_may_not_make_one(
    client, pay_list, pay_health_station, ba_trang
):
    client.force_login(pay_health_station)

    page = client.get(reverse("mothers:payment_lists", args=[ba_trang.pk]))

    assert page.status_code == 200
    assert "Make a payment list" not in page.content.decode()
    url = reverse("mothers:payment_list_create", args=[ba_trang.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"year": "2023", "title": "X", "once": ONCE}).status_code == 403
    assert PaymentList.objects.count() == 1
