"""Cases written straight to the database for the privacy part's tests (test_privacy_*.py): many
mothers in given villages, with or without payments, without going through the registry's
checks (which the registry's own tests cover)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from duan8.accounts.models import User
from duan8.mothers import crypto
from duan8.mothers.models import (
    AntenatalVisit,
    Child,
    Mother,
    Payment,
    PaymentList,
    PaymentListEntry,
    Pregnancy,
)
from duan8.mothers.names import name_key, normalise_id
from duan8.orgunits.models import OrgUnit

ID_NUMBER = "051198001234"
FACILITY = "Trạm y tế xã Ba Trang"


def case_make(
    *,
    village: OrgUnit,
    ethnic_group: Any,
    name: str = "Đinh Thị Lan",
    id_number: str = "",
    delivered_on: datetime.date = datetime.date(2025, 3, 10),
    status: str = Pregnancy.Status.PROPOSED,
    mode: str = Pregnancy.Mode.CAESAREAN,
    facility: str = FACILITY,
) -> Pregnancy:
    commune = village.parent
    assert commune is not None
    number = normalise_id(id_number)
    mother = Mother.objects.create(
        commune=commune,
        village=village,
        full_name=name,
        name_key=name_key(name),
        birth_date=datetime.date(1998, 5, 17),
        birth_year=1998,
        ethnic_group=ethnic_group,
        phone="0905123456",
        id_number=number,
        id_number_index=crypto.blind_index(number) if number else "",
        household=Mother.Household.POOR,
    )
    pregnancy = Pregnancy.objects.create(
        mother=mother,
        village=village,
        commune=commune,
        expected_on=delivered_on - datetime.timedelta(days=5),
        delivered_on=delivered_on,
        place=Pregnancy.Place.FACILITY,
        facility=facility,
        mode=mode,
        babies=1,
        days_at_facility=5,
        has_carer=True,
        carer_name="Đinh Văn Lũy",
        status=status,
    )
    AntenatalVisit.objects.create(
        pregnancy=pregnancy,
        visited_on=delivered_on - datetime.timedelta(days=60),
        facility=facility,
    )
    Child.objects.create(pregnancy=pregnancy, sex="F", born_on=delivered_on)
    return pregnancy


def case_pay(
    pregnancy: Pregnancy, *, by: User, amount: int = 2_400_000, on: datetime.date | None = None
) -> Payment:
    """A payment list of one entry for the case, approved, and its payment."""
    payment_list = PaymentList.objects.create(
        commune=pregnancy.commune,
        year=(on or pregnancy.delivered_on or datetime.date(2025, 1, 1)).year,
        title="Danh sách chi trả",
        status=PaymentList.Status.APPROVED,
    )
    entry = PaymentListEntry.objects.create(
        payment_list=payment_list, pregnancy=pregnancy, amount_due=Decimal(amount)
    )
    return Payment.objects.create(
        entry=entry,
        paid_on=on or pregnancy.delivered_on or datetime.date(2025, 4, 1),
        amount=Decimal(amount),
        paid_by=by,
        payer_unit=pregnancy.commune,
        receipt="PC-01",
    )
