"""Two accountants recording vouchers of the same money at the same moment cannot together
spend more than was allocated: the holder's allocation rows of the year and source are locked
while a voucher is checked and written (PostgreSQL: the second waits for the first to commit,
then sees its spending and is refused)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from duan8.core.problems import Invalid
from duan8.finance.models import Voucher
from duan8.finance.services.vouchers import voucher_record
from duan8.finance.tests.spending_fixtures import spending_world_make
from duan8.testing import default_roles_load, program_structure_ensure

pytestmark = pytest.mark.usefixtures("english")  # asserts on the English msgids


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_two_concurrent_vouchers_cannot_exceed_the_allocation(ba_trang, ba_kham) -> None:
    default_roles_load()
    program_structure_ensure()
    world = spending_world_make()  # 10.000.000 đ allocated
    first_has_written = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                voucher_record(
                    actor=world.accountant,
                    data=world.voucher(number="01", amount=Decimal(7_000_000)),
                )
                first_has_written.set()
                threading.Event().wait(0.5)  # hold the lock while the second tries
            outcome["first"] = "recorded"
        finally:
            first_has_written.set()
            connection.close()

    def second() -> None:
        first_has_written.wait(5)
        try:
            voucher_record(
                actor=world.second_accountant,
                data=world.voucher(number="02", amount=Decimal(7_000_000)),
            )
            outcome["second"] = "recorded"
        except Invalid as refused:
            outcome["second"] = refused
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert outcome["first"] == "recorded"
    assert isinstance(outcome["second"], Invalid)
    # the refusal names the amount (its words follow the thread's language)
    (problem,) = outcome["second"].problems
    assert (problem.field, problem.code) == ("amount", "above_allocation")
    assert sum(v.amount for v in Voucher.objects.all()) == Decimal(7_000_000)
