"""xã Ba Trang's money for the access matrix (tests/test_access_matrix.py): an allocation from
QĐ 73 on the 2023 plan's project, an estimate line, a voucher with its receipt, a payment
request and a norm, written straight to the models."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from duan8.finance.models import (
    Estimate,
    EstimateLine,
    PaymentRequest,
    Settlement,
    Source,
    SpendingNorm,
    Voucher,
)
from duan8.finance.tests.budget_fixtures import allocate
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement

ACTIVITY = "1719.GD1.DA8.ND1.HD1"  # communication sessions


def finance_samples(ba_trang: OrgUnit, plan: Plan, personas: dict[str, Any]) -> dict[str, Any]:
    activity = ProgramElement.objects.get(code=ACTIVITY)
    allocate(ba_trang, 10_000_000, year=plan.year)
    estimate = Estimate.objects.create(plan=plan)
    line = EstimateLine.objects.create(
        estimate=estimate,
        activity=activity,
        description="Sinh hoạt truyền thông thôn Nước Đang",
        quantity=2,
        unit_amount=Decimal(500_000),
        amount=Decimal(1_000_000),
        source=Source.CENTRAL,
    )
    voucher = Voucher(
        holder=ba_trang,
        year=plan.year,
        number="01/2023",
        paid_on=datetime.date(plan.year, 10, 5),
        payee="Đinh Thị Hoa",
        amount=Decimal(1_200_000),
        content="Chi sinh hoạt truyền thông",
        plan=plan,
        activity=activity,
        source=Source.CENTRAL,
        recorded_by=personas["accountant"],
        receipt_name="bien-lai.pdf",
    )
    voucher.receipt.save("bien-lai.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    voucher.save()
    request = PaymentRequest.objects.create(
        holder=ba_trang,
        plan=plan,
        activity=activity,
        payee="Đinh Thị Hoa",
        content="Đề nghị thanh toán sinh hoạt truyền thông",
        amount=Decimal(800_000),
        source=Source.CENTRAL,
        proposed_by=personas["commune_officer"],
    )
    norm = SpendingNorm.objects.order_by("pk").first() or SpendingNorm.objects.create(
        code="communication",
        cost_line=SpendingNorm.CostLine.COMMUNICATION,
        name="Buổi truyền thông",
        unit="cuộc",
        amount=Decimal(0),
        valid_from=datetime.date(2022, 3, 4),
    )
    Settlement.objects.create(holder=ba_trang, year=plan.year)  # a draft, for its files
    return {"voucher": voucher, "request": request, "norm": norm, "line": line}
