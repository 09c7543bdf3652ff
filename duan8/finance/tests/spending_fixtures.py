"""The spending tests' world: xã Ba Trang's 2023 plan, an allocation from QĐ 73, the people
the spending rules name, and a valid voucher to change one field at a time."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import pytest

from duan8.accounts.models import User
from duan8.activities.models import Event
from duan8.finance.models import Source
from duan8.finance.services.vouchers import VoucherInput
from duan8.finance.tests.budget_fixtures import allocate, persona
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement

PROJECT = "1719.GD1.DA8"
ACTIVITY = "1719.GD1.DA8.ND1.HD1"  # communication sessions
PACKAGES = "1719.GD1.DA8.ND1.HD4"  # the safe-motherhood packages
PAID_ON = datetime.date(2023, 10, 5)


@dataclass
class SpendingWorld:
    commune: OrgUnit
    other_commune: OrgUnit
    plan: Plan
    activity: ProgramElement
    accountant: User
    second_accountant: User
    officer: User
    leader: User
    other_accountant: User
    province_reviewer: User

    def voucher(self, **changes: Any) -> VoucherInput:
        data = VoucherInput(
            holder=self.commune,
            plan=self.plan,
            number="01/2023",
            paid_on=PAID_ON,
            payee="Đinh Thị Hoa",
            amount=Decimal(1_200_000),
            content="Chi hội nghị truyền thông thôn Nước Đang",
            activity=self.activity,
            source=Source.CENTRAL,
        )
        return replace(data, **changes)

    def event(self, cost: int = 3_000_000, **changes: Any) -> Event:
        values: dict[str, Any] = {
            "plan": self.plan,
            "activity": self.activity,
            "kind": Event.Kind.COMMUNICATION,
            "title": "Truyền thông thôn Nước Đang",
            "held_on": datetime.date(2023, 10, 2),
            "org_unit": self.commune,
            "cost": Decimal(cost),
        }
        values.update(changes)
        return Event.objects.create(**values)


def plan_of(commune: OrgUnit, year: int = 2023) -> Plan:
    return Plan.objects.create(
        project=ProgramElement.objects.get(code=PROJECT),
        issuing_unit=commune,
        year=year,
        number=87,
        title=f"Kế hoạch thực hiện Dự án 8 năm {year}",
        status=Plan.Status.APPROVED,
    )


def spending_world_make() -> SpendingWorld:
    """Without fixtures (a transactional test builds it after loading the roles again)."""
    commune = OrgUnit.objects.get(level=OrgUnit.Level.COMMUNE, name="Ba Trang")
    other = OrgUnit.objects.get(level=OrgUnit.Level.COMMUNE, name="Ba Khâm")
    province = OrgUnit.objects.get(level=OrgUnit.Level.PROVINCE)
    plan = plan_of(commune)
    allocate(commune, 10_000_000)
    return SpendingWorld(
        commune=commune,
        other_commune=other,
        plan=plan,
        activity=ProgramElement.objects.get(code=ACTIVITY),
        accountant=persona("kt.batrang", commune, "commune_accountant"),
        second_accountant=persona("kt2.batrang", commune, "commune_accountant"),
        officer=persona("hlhpn.batrang", commune, "commune_wu_officer"),
        leader=persona("ct.batrang", commune, "commune_leader"),
        other_accountant=persona("kt.bakham", other, "commune_accountant"),
        province_reviewer=persona("hlhpn.quangngai", province, "province_reviewer"),
    )


@pytest.fixture(name="spending")
def spending_fixture(
    program_structure: ProgramElement, ba_trang: OrgUnit, ba_kham: OrgUnit
) -> SpendingWorld:
    """Xã Ba Trang's approved 2023 plan and 10.000.000 đ from the central budget on the project."""
    return spending_world_make()
