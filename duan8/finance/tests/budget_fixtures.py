"""Personas and rows the budget tests share (imported by the test modules)."""

import datetime
from decimal import Decimal

import pytest

from duan8.accounts.models import User
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.finance.models import Allocation, Source
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import ProgramElement


def persona(username: str, unit: OrgUnit, role: str) -> User:
    user: User = UserFactory.create(username=username, full_name=username)
    membership(user, unit, role)
    return user


@pytest.fixture
def accountant(ba_trang: OrgUnit) -> User:
    return persona("kt.batrang", ba_trang, "commune_accountant")


@pytest.fixture
def other_accountant(ba_kham: OrgUnit) -> User:
    return persona("kt.bakham", ba_kham, "commune_accountant")


@pytest.fixture
def administrator(quang_ngai: OrgUnit) -> User:
    return persona("admin.qn", quang_ngai, "system_admin")


def qd73() -> LegalDocument:
    doc, _ = LegalDocument.objects.get_or_create(
        kind=LegalDocument.Kind.DECISION,
        number="73",
        symbol="QĐ-UBND",
        issued_on=datetime.date(2023, 4, 28),
        issuer="Ủy ban nhân dân huyện Ba Tơ",
    )
    return doc


def allocate(
    holder: OrgUnit,
    amount: int,
    *,
    element: ProgramElement | None = None,
    source: str = Source.CENTRAL,
    year: int = 2023,
    kind: str = Allocation.Kind.INITIAL,
) -> Allocation:
    return Allocation.objects.create(
        decision=qd73(),
        allocator=holder.parent,
        holder=holder,
        year=year,
        element=element or ProgramElement.objects.get(code="1719.GD1.DA8"),
        source=source,
        kind=kind,
        amount=Decimal(amount),
    )
