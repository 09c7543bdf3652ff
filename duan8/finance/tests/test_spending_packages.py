"""Mothers' package payments are the same money as the commune's vouchers: each payment and each
reversal writes its voucher in the same transaction, refused (nothing saved) without a plan or
an allocation, or above what is left of it — said on the payment page.

Until ``mothers.services.payments`` calls ``package_voucher_record`` itself (waiting for the
demo's allocation, see the lead), ``_pay``/``_reverse`` call it as the payments service will, in
the payment's transaction; the page test runs once the call is there."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from duan8.finance.models import Allocation, Source, Voucher
from duan8.finance.services.vouchers import package_voucher_record
from duan8.finance.spent import spent
from duan8.mothers.models import Payment
from duan8.mothers.services import payments
from duan8.mothers.services.payments import payment_record, payment_reverse
from duan8.mothers.tests.payments_setup import *  # noqa: F403
from duan8.programs.models import Plan

pytestmark = pytest.mark.usefixtures("english")
WIRED = hasattr(payments, "package_voucher_record")


def _pay(actor, entry, amount):
    with transaction.atomic():
        payment = payment_record(
            actor=actor, entry=entry, paid_on=datetime.date.today(), amount=amount
        )
        if not WIRED:
            package_voucher_record(entry=entry, payment=payment, actor=actor)
    return payment


def _reverse(actor, payment, reason):
    with transaction.atomic():
        reversal = payment_reverse(actor=actor, payment=payment, reason=reason)
        if not WIRED:
            package_voucher_record(entry=payment.entry, payment=reversal, actor=actor)
    return reversal


def _entry(payment_list, case):
    return payment_list.entries.get(pregnancy=case)


@pytest.mark.django_db
def test_a_package_payment_is_a_voucher_of_the_packages_activity(
    pay_approved_list, pay_cases, pay_accountant, ba_trang
):
    entry = _entry(pay_approved_list, pay_cases["hoa"])

    payment = _pay(pay_accountant, entry, 2_200_000)

    voucher = Voucher.objects.get(package_entry=entry)
    assert voucher.amount == Decimal(2_200_000)
    assert voucher.activity.code == "1719.GD1.DA8.ND1.HD4"
    assert voucher.source == Source.CENTRAL
    assert voucher.year == 2023
    assert voucher.number == f"TS-{payment.pk}"
    assert "Hoa" not in voucher.payee  # the mother is named by her row, never by name
    assert spent(holder=ba_trang, year=2023) == Decimal(2_200_000)

    _reverse(pay_accountant, payment, "Nhầm người nhận")

    assert spent(holder=ba_trang, year=2023) == 0
    reversal = Voucher.objects.get(reverses=voucher)
    assert reversal.amount == Decimal(-2_200_000)


@pytest.mark.django_db
def test_no_allocation_refuses_the_payment_and_saves_nothing(
    pay_approved_list, pay_cases, pay_accountant
):
    Allocation.objects.filter(year=2023).delete()
    entry = _entry(pay_approved_list, pay_cases["hoa"])

    with pytest.raises(ValidationError, match="no allocation for 2023 for the packages"):
        _pay(pay_accountant, entry, 2_200_000)

    assert not Payment.objects.exists()
    assert not Voucher.objects.exists()


@pytest.mark.django_db
def test_no_plan_refuses_the_payment(pay_approved_list, pay_cases, pay_accountant):
    Allocation.objects.filter(year=2023).delete()
    Plan.objects.filter(year=2023).delete()
    entry = _entry(pay_approved_list, pay_cases["hoa"])

    with pytest.raises(ValidationError, match="has no plan for 2023"):
        _pay(pay_accountant, entry, 2_200_000)

    assert not Payment.objects.exists()


@pytest.mark.django_db
@pytest.mark.skipif(not WIRED, reason="payments.payment_record does not call finance yet")
def test_the_payment_page_says_the_allocation_is_spent(
    client, pay_approved_list, pay_cases, pay_accountant
):
    allocation = Allocation.objects.get(year=2023)
    Allocation.objects.filter(pk=allocation.pk).update(amount=Decimal(1_000_000))
    entry = _entry(pay_approved_list, pay_cases["hoa"])
    client.force_login(pay_accountant)
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("mothers:payment_record", args=[entry.pk]),
        {"paid_on": datetime.date.today().isoformat(), "amount": "2.200.000", "once": "k" * 24},
    )

    assert response.status_code == 200
    assert "2.200.000 đ is more than the 1.000.000 đ left of the allocation" in (
        response.content.decode()
    )
    assert not Payment.objects.exists()
