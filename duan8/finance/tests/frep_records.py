"""Allocations and vouchers written directly for the disbursement and settlement tests (the
services that record them are tested in their own files)."""

import datetime
import itertools
from decimal import Decimal

from duan8.accounts.models import User
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.finance.models import Allocation, Source, Voucher
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement

_numbers = itertools.count(1)


def decision() -> LegalDocument:
    doc, _ = LegalDocument.objects.get_or_create(
        kind=LegalDocument.Kind.DECISION,
        number="73",
        symbol="QĐ-UBND",
        issued_on=datetime.date(2023, 4, 28),
        issuer="Ủy ban nhân dân huyện Ba Tơ",
    )
    return doc


def element(code: str) -> ProgramElement:
    return ProgramElement.objects.get(code=code)


def allocate(
    holder: OrgUnit,
    amount: int,
    *,
    code: str = "1719.GD1.DA8",
    year: int = 2023,
    source: str = Source.CENTRAL,
    kind: str = Allocation.Kind.INITIAL,
) -> Allocation:
    return Allocation.objects.create(
        decision=decision(),
        allocator=holder.parent or holder,
        holder=holder,
        year=year,
        element=element(code),
        source=source,
        kind=kind,
        amount=Decimal(amount),
        demo=True,
    )


def pay(
    holder: OrgUnit,
    plan: Plan,
    amount: int,
    paid_on: datetime.date,
    *,
    activity: str = "1719.GD1.DA8.ND1.HD2",
    source: str = Source.CENTRAL,
    reverses: Voucher | None = None,
    actor: User | None = None,
) -> Voucher:
    return Voucher.objects.create(
        holder=holder,
        year=paid_on.year,
        number=f"PC{next(_numbers):05d}",
        paid_on=paid_on,
        payee="Đinh Thị Hoa",
        amount=Decimal(amount),
        content="Chi tổ chức truyền thông",
        plan=plan,
        activity=element(activity),
        source=source,
        reverses=reverses,
        recorded_by=actor or accountant_any(),
    )


def accountant_any() -> User:
    user = User.objects.filter(username="kt.any").first()
    return user or UserFactory.create(username="kt.any", full_name="Kế toán")


def accountant(unit: OrgUnit, username: str = "kt.batrang") -> User:
    user: User = UserFactory.create(username=username, full_name="Phạm Thị Kế")
    membership(user, unit, "commune_accountant")
    return user
