"""No payment to a mother who withdrew her consent: she is left off a new list, and a list made
before her withdrawal cannot pay her (Law 91/2025/QH15; NĐ 13/2023)."""

import datetime

import pytest
from django.utils import translation

from duan8.core.problems import Invalid
from duan8.mothers.models import Consent, Payment
from duan8.mothers.services.payments import payment_record
from duan8.mothers.tests.payments_setup import *  # noqa: F403
from duan8.mothers.tests.payments_setup import NORMAL_BIRTH, make_list


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (the catalogue translates them for users)."""
    with translation.override("en"):
        yield


def _withdraw(case) -> None:
    Consent.objects.filter(mother=case.mother).update(withdrawn_on=datetime.date(2023, 11, 1))


def test_a_mother_who_withdrew_is_left_off_a_new_list(pay_cases, pay_accountant, ba_trang):
    _withdraw(pay_cases["lan"])

    payment_list = make_list(pay_accountant, ba_trang)

    listed = {entry.pregnancy_id for entry in payment_list.entries.all()}
    assert pay_cases["lan"].pk not in listed
    assert {pay_cases["hoa"].pk, pay_cases["mai"].pk} <= listed


def test_a_mother_who_withdrew_after_the_list_is_not_paid(pay_approved_list, pay_accountant):
    entry = pay_approved_list.entries.first()
    _withdraw(entry.pregnancy)

    with pytest.raises(Invalid) as refused:
        payment_record(
            actor=pay_accountant,
            entry=entry,
            paid_on=datetime.date(2023, 12, 20),
            amount=NORMAL_BIRTH,
        )

    assert "withdrew" in " ".join(refused.value.messages)
    assert not Payment.objects.exists()
