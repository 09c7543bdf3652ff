"""Two accountants paying the same mother at the same moment cannot together pay more than is
due: the entry's row is locked while a payment is checked and written (PostgreSQL: the second
waits for the first to commit, then sees its payment and is refused)."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from duan8.core.problems import Invalid
from duan8.mothers.models import Payment, PaymentList
from duan8.mothers.services.payments import payment_record
from duan8.mothers.tests.payments_setup import *  # noqa: F403
from duan8.mothers.tests.payments_setup import NORMAL_BIRTH, approved_case, person, roles_again

pytestmark = pytest.mark.usefixtures("english")  # asserts on the English msgids


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_two_concurrent_payments_on_one_entry_cannot_exceed_the_amount_due(ba_trang, villages):
    roles_again()
    accountant = person("kt.batrang", ba_trang, "commune_accountant")
    second_accountant = person("kt2.batrang", ba_trang, "commune_accountant")
    case = approved_case(name="Đinh Thị Hoa", village=villages["Nước Đang"])
    payment_list = PaymentList.objects.create(
        commune=ba_trang,
        year=2023,
        title="Chi trả năm 2023",
        status=PaymentList.Status.APPROVED,
        approved_at=timezone.now() - datetime.timedelta(days=1),
    )
    entry = payment_list.entries.create(pregnancy=case, amount_due=NORMAL_BIRTH, order=1)
    first_has_written = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                payment_record(
                    actor=accountant, entry=entry, paid_on=datetime.date.today(), amount=2_000_000
                )
                first_has_written.set()
                threading.Event().wait(0.5)  # hold the lock while the second tries
            outcome["first"] = "paid"
        finally:
            first_has_written.set()
            connection.close()

    def second() -> None:
        first_has_written.wait(5)
        try:
            payment_record(
                actor=second_accountant,
                entry=entry,
                paid_on=datetime.date.today(),
                amount=2_000_000,
            )
            outcome["second"] = "paid"
        except Invalid as refused:
            outcome["second"] = refused
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert outcome["first"] == "paid"
    assert isinstance(outcome["second"], Invalid)
    assert "amount" in outcome["second"].message_dict
    assert sum(p.amount for p in Payment.objects.filter(entry=entry)) == 2_000_000
