"""Payment cycles: the list of approved cases, its approval, final payments and reversals."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duan8.core.concurrency import EditConflict
from duan8.core.models import AuditEvent
from duan8.mothers.models import Payment, PaymentList, Pregnancy
from duan8.mothers.selectors_payments import paid_by_village, payment_list_table
from duan8.mothers.services.payments import (
    payment_list_approve,
    payment_list_create,
    payment_record,
    payment_reverse,
)
from duan8.mothers.tests.payments_setup import *  # noqa: F403
from duan8.mothers.tests.payments_setup import NORMAL_BIRTH, make_list

pytestmark = pytest.mark.usefixtures("english")  # asserts on the English msgids

PAID_ON = datetime.date.today()


def _entry(payment_list, case):
    return payment_list.entries.get(pregnancy=case)


def _fields(error: ValidationError) -> set[str]:
    return set(error.message_dict)


def test_a_list_gathers_the_approved_cases_of_the_year_not_yet_listed(pay_list, pay_cases):
    table = payment_list_table(pay_list)

    assert pay_list.status == PaymentList.Status.DRAFT
    assert sorted(r.name for r in table.rows) == ["Hồ Thị Mai", "Phạm Thị Lan", "Đinh Thị Hoa"]
    assert all(r.due == NORMAL_BIRTH for r in table.rows)
    assert table.due == 3 * NORMAL_BIRTH
    assert [c.code for c in table.columns] == ["travel", "supplies", "meals", "nutrition"]
    event = AuditEvent.objects.get(action="mothers.payment_list.created")
    assert event.after["entries"] == 3
    assert "Hoa" not in str(event.after)


def test_a_second_list_finds_nothing_left_and_says_so(pay_list, pay_accountant, ba_trang):
    with pytest.raises(ValidationError) as refused:
        make_list(pay_accountant, ba_trang)

    assert "No approved case of 2023" in " ".join(refused.value.messages)
    assert PaymentList.objects.count() == 1


def test_the_list_of_2022_holds_the_2022_case_only(pay_cases, pay_accountant, ba_trang):
    payment_list = make_list(pay_accountant, ba_trang, year=2022)

    assert [r.name for r in payment_list_table(payment_list).rows] == ["Phạm Thị Cũ"]


def test_a_list_needs_a_title(pay_cases, pay_accountant, ba_trang):
    with pytest.raises(ValidationError) as refused:
        payment_list_create(actor=pay_accountant, commune=ba_trang, year=2023, title=" ")

    assert _fields(refused.value) == {"title"}
    assert not PaymentList.objects.exists()


def test_the_health_station_and_another_communes_accountant_may_not_make_a_list(
    pay_cases, pay_health_station, pay_other_accountant, ba_trang
):
    for actor in (pay_health_station, pay_other_accountant):
        with pytest.raises(PermissionDenied):
            make_list(actor, ba_trang)
    assert not PaymentList.objects.exists()


def test_the_leader_approves_and_a_stale_copy_is_refused(pay_list, commune_leader):
    stale = pay_list.version
    payment_list_approve(actor=commune_leader, payment_list=pay_list, expected_version=stale)

    pay_list.refresh_from_db()
    assert pay_list.status == PaymentList.Status.APPROVED
    assert pay_list.approved_by == commune_leader
    with pytest.raises(ValidationError):
        payment_list_approve(actor=commune_leader, payment_list=pay_list, expected_version=stale)


def test_approval_checks_the_version(pay_list, commune_leader):
    with pytest.raises(EditConflict):
        payment_list_approve(
            actor=commune_leader, payment_list=pay_list, expected_version=pay_list.version + 5
        )


def test_the_accountant_and_the_wu_officer_may_not_approve(
    pay_list, pay_accountant, commune_officer
):
    for actor in (pay_accountant, commune_officer):
        with pytest.raises(PermissionDenied):
            payment_list_approve(actor=actor, payment_list=pay_list, expected_version=1)


def test_the_accountant_pays_in_two_parts_up_to_the_amount_due(
    pay_approved_list, pay_cases, pay_accountant
):
    entry = _entry(pay_approved_list, pay_cases["hoa"])

    payment_record(actor=pay_accountant, entry=entry, paid_on=PAID_ON, amount=2_000_000)
    payment_record(
        actor=pay_accountant, entry=entry, paid_on=PAID_ON, amount=200_000, receipt="PC-02"
    )

    assert sum(p.amount for p in Payment.objects.filter(entry=entry)) == NORMAL_BIRTH
    with pytest.raises(ValidationError) as refused:
        payment_record(actor=pay_accountant, entry=entry, paid_on=PAID_ON, amount=1)
    assert _fields(refused.value) == {"amount"}
    assert Payment.objects.filter(entry=entry).count() == 2
    events = AuditEvent.objects.filter(action="mothers.payment.recorded")
    assert events.count() == 2
    assert sorted(e.after["amount"] for e in events) == [200_000, 2_000_000]


def test_a_payment_above_the_amount_due_is_refused_and_nothing_saved(
    pay_approved_list, pay_cases, pay_accountant
):
    entry = _entry(pay_approved_list, pay_cases["hoa"])

    with pytest.raises(ValidationError) as refused:
        payment_record(actor=pay_accountant, entry=entry, paid_on=PAID_ON, amount=2_200_001)

    assert refused.value.message_dict["amount"] == [
        "2.200.001 VND is more than the 2.200.000 VND still due to her."
    ]
    assert not Payment.objects.exists()
    assert not AuditEvent.objects.filter(action="mothers.payment.recorded").exists()


def test_nothing_is_paid_on_a_draft_list(pay_list, pay_cases, pay_accountant):
    with pytest.raises(ValidationError) as refused:
        payment_record(
            actor=pay_accountant,
            entry=_entry(pay_list, pay_cases["hoa"]),
            paid_on=PAID_ON,
            amount=100_000,
        )

    assert "not approved" in " ".join(refused.value.messages)
    assert not Payment.objects.exists()


@pytest.mark.parametrize("status", [Pregnancy.Status.DUPLICATE, Pregnancy.Status.REJECTED])
def test_a_case_found_duplicate_or_rejected_after_listing_is_not_paid(
    pay_approved_list, pay_cases, pay_accountant, status
):
    case = pay_cases["lan"]
    Pregnancy.objects.filter(pk=case.pk).update(status=status)

    with pytest.raises(ValidationError) as refused:
        payment_record(
            actor=pay_accountant,
            entry=_entry(pay_approved_list, case),
            paid_on=PAID_ON,
            amount=100_000,
        )

    assert "may not be paid" in " ".join(refused.value.messages)
    assert not Payment.objects.exists()


def test_a_date_in_the_future_and_a_zero_amount_are_refused_by_field(
    pay_approved_list, pay_cases, pay_accountant
):
    with pytest.raises(ValidationError) as refused:
        payment_record(
            actor=pay_accountant,
            entry=_entry(pay_approved_list, pay_cases["hoa"]),
            paid_on=PAID_ON + datetime.timedelta(days=2),
            amount=0,
        )

    assert _fields(refused.value) == {"paid_on", "amount"}


def test_only_the_communes_accountant_pays(
    pay_approved_list,
    pay_cases,
    pay_health_station,
    commune_officer,
    commune_leader,
    pay_other_accountant,
    pay_province_reviewer,
):
    entry = _entry(pay_approved_list, pay_cases["hoa"])
    for actor in (
        pay_health_station,
        commune_officer,
        commune_leader,
        pay_other_accountant,
        pay_province_reviewer,
    ):
        with pytest.raises(PermissionDenied):
            payment_record(actor=actor, entry=entry, paid_on=PAID_ON, amount=100_000)
    assert not Payment.objects.exists()


def test_payments_are_never_changed_or_deleted(pay_approved_list, pay_cases, pay_accountant):
    payment = payment_record(
        actor=pay_accountant,
        entry=_entry(pay_approved_list, pay_cases["hoa"]),
        paid_on=PAID_ON,
        amount=NORMAL_BIRTH,
    )

    payment.amount = Decimal(1)
    with pytest.raises(PermissionError):
        payment.save()
    with pytest.raises(PermissionError):
        Payment.objects.filter(pk=payment.pk).update(amount=1)
    with pytest.raises(PermissionError):
        Payment.objects.filter(pk=payment.pk).delete()


def test_a_reversal_cancels_a_payment_once_and_it_may_be_paid_again(
    pay_approved_list, pay_cases, pay_accountant
):
    entry = _entry(pay_approved_list, pay_cases["hoa"])
    payment = payment_record(
        actor=pay_accountant, entry=entry, paid_on=PAID_ON, amount=NORMAL_BIRTH, receipt="PC-01"
    )

    reversal = payment_reverse(actor=pay_accountant, payment=payment, reason="Nhầm người nhận")

    assert reversal.amount == -NORMAL_BIRTH
    assert reversal.reverses == payment
    with pytest.raises(ValidationError) as twice:
        payment_reverse(actor=pay_accountant, payment=payment, reason="Lần nữa")
    assert "already reversed" in " ".join(twice.value.messages)
    with pytest.raises(ValidationError):
        payment_reverse(actor=pay_accountant, payment=reversal, reason="Hủy bút toán hủy")
    payment_record(actor=pay_accountant, entry=entry, paid_on=PAID_ON, amount=NORMAL_BIRTH)
    assert sum(p.amount for p in Payment.objects.filter(entry=entry)) == NORMAL_BIRTH
    assert AuditEvent.objects.filter(action="mothers.payment.reversed").count() == 1


def test_a_reversal_needs_a_reason_and_the_accountant(
    pay_approved_list, pay_cases, pay_accountant, commune_leader
):
    payment = payment_record(
        actor=pay_accountant,
        entry=_entry(pay_approved_list, pay_cases["hoa"]),
        paid_on=PAID_ON,
        amount=NORMAL_BIRTH,
    )

    with pytest.raises(ValidationError) as refused:
        payment_reverse(actor=pay_accountant, payment=payment, reason="")
    assert _fields(refused.value) == {"reason"}
    with pytest.raises(PermissionDenied):
        payment_reverse(actor=commune_leader, payment=payment, reason="Sai")
    assert Payment.objects.count() == 1


def test_paid_by_village_counts_mothers_and_amounts_net_of_reversals(
    pay_approved_list, pay_cases, pay_accountant, villages
):
    hoa = payment_record(
        actor=pay_accountant,
        entry=_entry(pay_approved_list, pay_cases["hoa"]),
        paid_on=PAID_ON,
        amount=NORMAL_BIRTH,
    )
    payment_record(
        actor=pay_accountant,
        entry=_entry(pay_approved_list, pay_cases["lan"]),
        paid_on=PAID_ON,
        amount=NORMAL_BIRTH,
    )
    payment_reverse(actor=pay_accountant, payment=hoa, reason="Nhầm người nhận")

    rows = {
        r.village.name if r.village else "total": r
        for r in paid_by_village(villages["Nước Đang"].parent, 2023)
    }

    assert rows["Bùi Hui"].mothers == 1
    assert rows["Bùi Hui"].amount == NORMAL_BIRTH
    assert rows["Nước Đang"].mothers == 0
    assert rows["Nước Đang"].amount == 0
    assert "Kon Riêng" not in rows
    assert (rows["total"].mothers, rows["total"].amount) == (1, NORMAL_BIRTH)
