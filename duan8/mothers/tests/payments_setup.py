"""Fixtures of the payments' tests: approved cases with their entitlement lines written directly
(as ``services.approval.cases_approve`` writes them at approval), and one persona per role that
the payment rules name. Fixture names start with ``pay_`` so they never shadow the registry's.
"""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from duan8.accounts.models import User
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.models import EthnicGroup
from duan8.mothers.models import (
    BenefitItem,
    Consent,
    ConsentText,
    EntitlementLine,
    Mother,
    Pregnancy,
)
from duan8.orgunits.models import OrgUnit

# TT 15/2022 Art. 38: a normal delivery with a carer for 3 days comes to 2,200,000 VND.
ITEMS = [
    ("travel", "Chi phí đi lại cho bà mẹ và 01 người nhà", 100_000, 2),
    ("supplies", "Gói vật tư chăm sóc khi sinh", 500_000, 1),
    ("meals", "Tiền ăn cho bà mẹ và 01 người nhà", 50_000, 6),
    ("nutrition", "Hỗ trợ lương thực, dinh dưỡng", 1_200_000, 1),
]
NORMAL_BIRTH = Decimal(2_200_000)


def roles_again() -> None:
    """The roles and the mothers' rights, again after a transactional test's flush."""
    import importlib

    import django.apps

    from duan8.testing import default_roles_load

    default_roles_load()
    grants = importlib.import_module("duan8.mothers.migrations.0002_roles")
    grants.forward(django.apps.apps, None)


def benefit_items() -> list[BenefitItem]:
    items = []
    for order, (code, name, amount, _quantity) in enumerate(ITEMS, start=1):
        item, _created = BenefitItem.objects.get_or_create(
            code=code,
            valid_from=datetime.date(2022, 3, 4),
            defaults={
                "name": name,
                "amount": Decimal(amount),
                "basis": BenefitItem.Basis.PER_PERSON,
                "order": order,
            },
        )
        items.append(item)
    return items


def approved_case(
    *,
    name: str,
    village: OrgUnit,
    delivered_on: datetime.date = datetime.date(2023, 10, 5),
    birth_year: int = 1998,
    status: str = Pregnancy.Status.APPROVED,
    lines: bool = True,
) -> Pregnancy:
    """A mother of thôn ``village`` whose case is approved, with the lines of a normal birth."""
    commune = village.parent
    hre = EthnicGroup.objects.filter(code="19").first() or EthnicGroup.objects.create(
        code="19", name="Hrê"
    )
    mother = Mother.objects.create(
        commune=commune,
        village=village,
        full_name=name,
        name_key=name.lower(),
        birth_year=birth_year,
        ethnic_group=hre,
    )
    case = Pregnancy.objects.create(
        mother=mother,
        village=village,
        commune=commune,
        delivered_on=delivered_on,
        place=Pregnancy.Place.FACILITY,
        mode=Pregnancy.Mode.NORMAL,
        status=status,
        approved_at=timezone.now() if status == Pregnancy.Status.APPROVED else None,
    )
    # her signed consent (a text is loaded at install, mothers 0004; a flushed DB gets one here)
    text = ConsentText.objects.order_by("valid_from").first() or ConsentText.objects.create(
        version="test",
        title="Phiếu đồng ý",
        body="…",
        legal_basis="NĐ 13/2023/NĐ-CP",
        valid_from=datetime.date(2023, 7, 1),
    )
    Consent.objects.create(
        mother=mother,
        text=text,
        given_on=min(delivered_on, timezone.localdate()),
        channel=Consent.Channel.PAPER,
        signer=Consent.Signer.MOTHER,
    )
    if lines:
        for item, (_code, _name, amount, quantity) in zip(benefit_items(), ITEMS, strict=True):
            EntitlementLine.objects.create(
                pregnancy=case, item=item, quantity=quantity, amount=Decimal(amount * quantity)
            )
    return case


def package_budget(commune: OrgUnit, year: int = 2023, amount: int = 1_000_000_000) -> Any:
    """The commune's approved plan of ``year`` and an allocation from the central budget on the
    project: a package payment is also a voucher of the commune's accounts (finance), refused
    without them. Returns the allocation."""
    from duan8.finance.models import Allocation, Source
    from duan8.legal.models import LegalDocument
    from duan8.programs.models import Plan
    from duan8.testing import program_structure_ensure

    project = program_structure_ensure()
    Plan.objects.get_or_create(
        issuing_unit=commune,
        year=year,
        number=87,
        defaults={"project": project, "title": "Kế hoạch", "status": Plan.Status.APPROVED},
    )
    decision, _created = LegalDocument.objects.get_or_create(
        kind=LegalDocument.Kind.DECISION,
        number="73",
        symbol="QĐ-UBND",
        issued_on=datetime.date(2023, 4, 28),
        issuer="Ủy ban nhân dân huyện Ba Tơ",
    )
    return Allocation.objects.create(
        decision=decision,
        allocator=commune.parent,
        holder=commune,
        year=year,
        element=project,
        source=Source.CENTRAL,
        amount=Decimal(amount),
    )


@pytest.fixture(autouse=True)
def pay_budget(ba_trang: OrgUnit) -> None:
    """Xã Ba Trang's plans and allocations of 2022 and 2023 (see ``package_budget``)."""
    for year in (2022, 2023):
        package_budget(ba_trang, year)


def person(username: str, unit: OrgUnit, role: str) -> User:
    user: User = UserFactory.create(username=username, full_name=username)
    membership(user, unit, role)
    return user


@pytest.fixture
def pay_accountant(ba_trang: OrgUnit) -> User:
    return person("kt.batrang", ba_trang, "commune_accountant")


@pytest.fixture
def pay_other_accountant(ba_kham: OrgUnit) -> User:
    return person("kt.bakham", ba_kham, "commune_accountant")


@pytest.fixture
def pay_health_station(ba_trang: OrgUnit) -> User:
    return person("tyt.batrang", ba_trang, "commune_health_station")


@pytest.fixture
def pay_province_reviewer(quang_ngai: OrgUnit) -> User:
    return person("hlhpn.quangngai", quang_ngai, "province_reviewer")


@pytest.fixture
def pay_cases(villages: dict[str, OrgUnit]) -> dict[str, Pregnancy]:
    """Three approved cases of 2023 (Nước Đang, Bùi Hui, Kon Riêng), one rejected, one marked a
    duplicate and one of 2022: only the first three go on the 2023 list."""
    return {
        "hoa": approved_case(name="Đinh Thị Hoa", village=villages["Nước Đang"]),
        "lan": approved_case(name="Phạm Thị Lan", village=villages["Bùi Hui"], birth_year=2001),
        "mai": approved_case(name="Hồ Thị Mai", village=villages["Kon Riêng"]),
        "rejected": approved_case(
            name="Đinh Thị Bị", village=villages["Nước Đang"], status=Pregnancy.Status.REJECTED
        ),
        "duplicate": approved_case(
            name="Đinh Thị Hoa Trùng",
            village=villages["Nước Đang"],
            status=Pregnancy.Status.DUPLICATE,
        ),
        "last_year": approved_case(
            name="Phạm Thị Cũ", village=villages["Bùi Hui"], delivered_on=datetime.date(2022, 6, 1)
        ),
    }


def make_list(actor: User, commune: OrgUnit, year: int = 2023) -> Any:
    from duan8.mothers.services.payments import payment_list_create

    return payment_list_create(
        actor=actor,
        commune=commune,
        year=year,
        title=f"Chi trả hỗ trợ phụ nữ dân tộc thiểu số sinh đẻ an toàn năm {year}",
        number="12/DS-UBND",
    )


@pytest.fixture
def pay_list(pay_cases: dict[str, Pregnancy], pay_accountant: User, ba_trang: OrgUnit) -> Any:
    """The 2023 list of xã Ba Trang, a draft."""
    return make_list(pay_accountant, ba_trang)


@pytest.fixture
def pay_approved_list(pay_list: Any, commune_leader: User) -> Any:
    from duan8.mothers.services.payments import payment_list_approve

    return payment_list_approve(
        actor=commune_leader, payment_list=pay_list, expected_version=pay_list.version
    )
