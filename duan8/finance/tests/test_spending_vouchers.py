"""Vouchers: what the accountant records, the bad input refused with nothing saved, the
remaining allocation, an event's cost entered once, reversals, and who may do it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from duan8.activities.models import DataLock
from duan8.core.models import AuditEvent
from duan8.finance.models import Source, Voucher
from duan8.finance.services.vouchers import voucher_record, voucher_reverse
from duan8.finance.spent import remaining, spent
from duan8.finance.tests.budget_fixtures import allocate
from duan8.finance.tests.spending_fixtures import (  # noqa: F401 (fixture)
    SpendingWorld,
    plan_of,
    spending_fixture,
)
from duan8.programs.models import ProgramElement
from duan8.testing import SAMPLE_PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _refused(spending: SpendingWorld, **changes: object) -> dict[str, list[str]]:
    before = Voucher.objects.count()
    with pytest.raises(ValidationError) as refused:
        voucher_record(actor=spending.accountant, data=spending.voucher(**changes))
    assert Voucher.objects.count() == before
    return refused.value.message_dict


def test_accountant_records_a_voucher_and_spending_moves(spending: SpendingWorld) -> None:
    voucher = voucher_record(actor=spending.accountant, data=spending.voucher())

    assert voucher.amount == Decimal(1_200_000)
    assert voucher.year == 2023
    assert spent(holder=spending.commune, year=2023) == Decimal(1_200_000)
    assert remaining(holder=spending.commune, year=2023, source=Source.CENTRAL) == Decimal(
        8_800_000
    )
    event = AuditEvent.objects.get(action="finance.voucher.recorded")
    assert event.after["amount"] == 1_200_000


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"amount": Decimal(-5)}, "amount", "above zero"),
        ({"amount": Decimal(0)}, "amount", "above zero"),
        ({"amount": Decimal("1200000.5")}, "amount", "whole đồng"),
        ({"amount": "abc"}, "amount", "Enter an amount"),
        ({"number": ""}, "number", "required"),
        ({"payee": ""}, "payee", "required"),
        ({"paid_on": datetime.date(2022, 12, 31)}, "paid_on", "outside the budget year"),
        ({"source": "xx"}, "source", "Choose the source"),
        ({"source": Source.LOCAL}, "source", "no allocation"),
        ({"amount": Decimal(10_000_001)}, "amount", "left of the allocation"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_saved(
    spending: SpendingWorld, changes: dict, field: str, words: str
) -> None:
    problems = _refused(spending, **changes)

    assert field in problems
    assert words in " ".join(problems[field])
    assert Voucher.objects.count() == 0


def test_an_activity_not_in_the_plan_is_refused(spending: SpendingWorld) -> None:
    other_project = (
        ProgramElement.objects.filter(kind="activity")
        .exclude(code__startswith="1719.GD1.DA8.")
        .first()
    )
    content = ProgramElement.objects.get(code="1719.GD1.DA8.ND1")

    for wrong in [other_project, content]:
        if wrong is None:
            continue
        problems = _refused(spending, activity=wrong)
        assert "not an activity of the plan" in problems["activity"][0]


def test_a_date_in_a_locked_period_is_refused(spending: SpendingWorld) -> None:
    DataLock.objects.create(
        org_unit=spending.commune,
        period_start=datetime.date(2023, 7, 1),
        period_end=datetime.date(2023, 12, 31),
        reason="Báo cáo năm 2023 đã duyệt",
    )

    problems = _refused(spending)

    assert "locked" in problems["paid_on"][0]


def test_the_number_is_unique_per_holder_and_year(spending: SpendingWorld) -> None:
    voucher_record(actor=spending.accountant, data=spending.voucher())

    problems = _refused(spending, amount=Decimal(1000))

    assert "already used" in problems["number"][0]
    assert Voucher.objects.count() == 1


def test_spending_above_the_allocation_left_is_refused(spending: SpendingWorld) -> None:
    voucher_record(actor=spending.accountant, data=spending.voucher(amount=Decimal(9_000_000)))

    problems = _refused(spending, number="02/2023", amount=Decimal(1_000_001))

    assert "1.000.001 đ is more than the 1.000.000 đ left" in problems["amount"][0]
    voucher_record(
        actor=spending.accountant,
        data=spending.voucher(number="02/2023", amount=Decimal(1_000_000)),
    )
    assert remaining(holder=spending.commune, year=2023) == 0


def test_an_allocation_by_content_bounds_that_content(spending: SpendingWorld) -> None:
    content = ProgramElement.objects.get(code="1719.GD1.DA8.ND3")
    allocate(spending.commune, 500_000, element=content, source=Source.LOCAL)
    activity = ProgramElement.objects.filter(
        code__startswith="1719.GD1.DA8.ND3.", kind="activity"
    ).first()
    assert activity is not None

    problems = _refused(spending, activity=activity, source=Source.LOCAL, amount=Decimal(600_000))

    assert "left of the allocation" in problems["amount"][0]
    problems = _refused(spending, source=Source.LOCAL, amount=Decimal(100_000))
    assert "no allocation" in problems["source"][0]


def test_an_event_is_paid_up_to_its_cost(spending: SpendingWorld) -> None:
    event = spending.event(cost=1_500_000)
    voucher_record(actor=spending.accountant, data=spending.voucher(event=event))

    problems = _refused(spending, number="02/2023", event=event, amount=Decimal(400_000))

    assert "cost still unpaid (300.000 đ of 1.500.000 đ)" in problems["amount"][0]
    other = ProgramElement.objects.get(code="1719.GD1.DA8.ND1.HD2")
    problems = _refused(spending, number="02/2023", event=event, activity=other, amount=1)
    assert "held under activity" in problems["activity"][0]


def test_a_receipt_is_checked_before_it_is_stored(spending: SpendingWorld, settings) -> None:
    fake = SimpleUploadedFile("bien-lai.pdf", b"MZ not a pdf", content_type="application/pdf")
    problems = _refused(spending, receipt=fake)
    assert "not accepted" in problems["receipt"][0]

    settings.ATTACHMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("bien-lai.pdf", SAMPLE_PDF, content_type="application/pdf")
    problems = _refused(spending, receipt=big)
    assert "the limit is" in problems["receipt"][0]

    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    ok = SimpleUploadedFile("bien-lai.pdf", SAMPLE_PDF, content_type="application/pdf")
    voucher = voucher_record(actor=spending.accountant, data=spending.voucher(receipt=ok))
    assert voucher.receipt_name == "bien-lai.pdf"
    assert voucher.receipt.read() == SAMPLE_PDF


def test_a_voucher_is_reversed_once_and_the_money_returns(spending: SpendingWorld) -> None:
    voucher = voucher_record(actor=spending.accountant, data=spending.voucher())

    reversal = voucher_reverse(actor=spending.accountant, voucher=voucher, reason="Sai số tiền")

    assert reversal.amount == -voucher.amount
    assert reversal.reverses == voucher
    assert spent(holder=spending.commune, year=2023) == 0
    with pytest.raises(ValidationError, match="already reversed"):
        voucher_reverse(actor=spending.accountant, voucher=voucher, reason="Lần nữa")
    with pytest.raises(ValidationError, match="cannot be reversed"):
        voucher_reverse(actor=spending.accountant, voucher=reversal, reason="Lần nữa")
    with pytest.raises(ValidationError, match="Say why"):
        voucher_reverse(actor=spending.accountant, voucher=voucher, reason=" ")
    assert AuditEvent.objects.filter(action="finance.voucher.reversed").count() == 1


def test_a_voucher_is_never_changed(spending: SpendingWorld) -> None:
    voucher = voucher_record(actor=spending.accountant, data=spending.voucher())

    voucher.amount = Decimal(1)
    with pytest.raises(PermissionError):
        voucher.save()


def test_must_not_do_others_may_not_record_or_reverse(spending: SpendingWorld) -> None:
    for actor in [
        spending.officer,
        spending.leader,
        spending.other_accountant,
        spending.province_reviewer,
    ]:
        with pytest.raises(PermissionDenied):
            voucher_record(actor=actor, data=spending.voucher())
    voucher = voucher_record(actor=spending.accountant, data=spending.voucher())
    for actor in [spending.officer, spending.other_accountant, spending.province_reviewer]:
        with pytest.raises(PermissionDenied):
            voucher_reverse(actor=actor, voucher=voucher, reason="x")
    assert Voucher.objects.count() == 1


def test_another_communes_plan_is_refused(spending: SpendingWorld) -> None:
    other_plan = plan_of(spending.other_commune)

    problems = _refused(spending, plan=other_plan)

    assert "not a plan in force" in problems["plan"][0]
