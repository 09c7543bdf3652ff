"""balance.allocated and estimate_total: signed sums, the project covering its contents."""

import datetime
from decimal import Decimal

import pytest

from duan8.finance.balance import allocated, estimate_total, estimated
from duan8.finance.models import Allocation, Estimate, EstimateLine, Source
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement

pytestmark = pytest.mark.django_db

K = Allocation.Kind


def _decision(number: str = "73") -> LegalDocument:
    doc, _ = LegalDocument.objects.get_or_create(
        kind=LegalDocument.Kind.DECISION,
        number=number,
        symbol="QĐ-UBND",
        issued_on=datetime.date(2023, 4, 28),
        issuer="Ủy ban nhân dân huyện Ba Tơ",
    )
    return doc


def _allocate(holder: OrgUnit, element: ProgramElement, amount: int, **kw: object) -> Allocation:
    return Allocation.objects.create(
        decision=_decision(),
        allocator=holder.parent,
        holder=holder,
        year=kw.pop("year", 2023),
        element=element,
        source=kw.pop("source", Source.CENTRAL),
        amount=Decimal(amount),
        **kw,
    )


def test_allocated_sums_signed_amounts_by_source(
    ba_trang: OrgUnit, program_structure: ProgramElement
) -> None:
    _allocate(ba_trang, program_structure, 100_000_000)
    _allocate(ba_trang, program_structure, 20_000_000, kind=K.SUPPLEMENT)
    _allocate(ba_trang, program_structure, 5_000_000, kind=K.REDUCTION)
    _allocate(ba_trang, program_structure, 7_000_000, source=Source.LOCAL)
    _allocate(ba_trang, program_structure, 1_000_000, year=2024)

    assert allocated(holder=ba_trang, year=2023) == Decimal(122_000_000)
    assert allocated(holder=ba_trang, year=2023, source=Source.CENTRAL) == Decimal(115_000_000)
    assert allocated(holder=ba_trang, year=2022) == Decimal(0)


def test_project_allocation_covers_its_contents(
    ba_trang: OrgUnit, ba_kham: OrgUnit, program_structure: ProgramElement
) -> None:
    content1 = ProgramElement.objects.get(code="1719.GD1.DA8.ND1")
    content2 = ProgramElement.objects.get(code="1719.GD1.DA8.ND2")
    _allocate(ba_trang, program_structure, 50_000_000)
    _allocate(ba_trang, content1, 10_000_000)
    _allocate(ba_kham, program_structure, 1_000)

    assert allocated(holder=ba_trang, year=2023, element=content1) == Decimal(60_000_000)
    assert allocated(holder=ba_trang, year=2023, element=content2) == Decimal(50_000_000)
    assert allocated(holder=ba_trang, year=2023, element=program_structure) == Decimal(60_000_000)


def test_estimate_total_sums_the_plan_lines(ba_trang_plan: Plan) -> None:
    assert estimate_total(ba_trang_plan) == Decimal(0)
    estimate = Estimate.objects.create(plan=ba_trang_plan)
    activity = ProgramElement.objects.get(code="1719.GD1.DA8.ND1.HD1")
    for amount, source in ((1_200_000, Source.CENTRAL), (300_000, Source.LOCAL)):
        EstimateLine.objects.create(
            estimate=estimate,
            activity=activity,
            description="x",
            quantity=1,
            unit_amount=Decimal(amount),
            amount=Decimal(amount),
            source=source,
        )

    assert estimate_total(ba_trang_plan) == Decimal(1_500_000)
    assert estimate_total(ba_trang_plan, source=Source.LOCAL) == Decimal(300_000)
    assert estimated(holder=ba_trang_plan.issuing_unit, year=ba_trang_plan.year) == Decimal(
        1_500_000
    )
