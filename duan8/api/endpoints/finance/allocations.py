"""Allocations received, each with what is allocated, spent and left of its holder, year and
source."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Case, F, QuerySet, Sum, When
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.permissions import FINANCE_EDIT
from duan8.api.base import ApiList
from duan8.api.endpoints.finance.allocation_record import (
    AllocationIn,
    allocation_input,
    valid_body,
)
from duan8.api.endpoints.finance.shared import (
    MONEY,
    ORG_UNIT,
    SOURCE,
    TAG,
    YEAR,
    ZERO,
    _amount,
    _created,
    _holder_from_body,
    _visible_under,
)
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.who import actor
from duan8.finance.models import Allocation, Voucher
from duan8.finance.services.allocations import allocation_record


class BalanceOut(serializers.Serializer):
    allocated = _amount(help_text=doc("Đã phân bổ (trừ giảm).", "Allocated, net of reductions."))
    spent = _amount(help_text=doc("Đã chi (trừ chứng từ huỷ).", "Spent, net of reversals."))
    left = _amount(help_text=doc("Còn lại.", "Left to spend."))


class AllocationOut(serializers.ModelSerializer):
    holder_name = serializers.CharField(source="holder.name")
    allocator_name = serializers.CharField(source="allocator.name")
    element_code = serializers.CharField(source="element.code")
    element_title = serializers.CharField(source="element.title")
    decision_label = serializers.CharField(source="decision.__str__")
    decision_issued_on = serializers.DateField(source="decision.issued_on")
    amount = _amount()
    signed_amount = _amount(help_text=doc("Âm khi giảm.", "Negative for a reduction."))
    balance = serializers.SerializerMethodField(
        help_text=doc(
            "Của đơn vị, năm và nguồn vốn này, như trang chứng từ tính: phân bổ, đã chi, còn lại.",
            "Of this holder, year and source, as the vouchers' check computes it: allocated,"
            " spent, left.",
        )
    )

    class Meta:
        model = Allocation
        fields = [
            "id",
            "holder",
            "holder_name",
            "year",
            "allocator",
            "allocator_name",
            "decision",
            "decision_label",
            "decision_issued_on",
            "element",
            "element_code",
            "element_title",
            "source",
            "kind",
            "amount",
            "signed_amount",
            "carried_from",
            "note",
            "demo",
            "version",
            "balance",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(BalanceOut)
    def get_balance(self, row: Allocation) -> dict[str, int]:
        key = (row.holder_id, row.year, row.source)
        given = self.context["allocated"].get(key, ZERO)
        paid = self.context["spent"].get(key, ZERO)
        return {"allocated": int(given), "spent": int(paid), "left": int(given - paid)}


def _signed() -> Case:
    return Case(
        When(kind=Allocation.Kind.REDUCTION, then=-F("amount")),
        default=F("amount"),
        output_field=MONEY,
    )


def allocation_balances(rows: list[Allocation]) -> dict[str, dict[tuple, Decimal]]:
    """Per (holder, year, source) of the rows: the signed sum of the allocations and the sum of
    the vouchers net of reversals (``spent.remaining`` for the source): two queries."""
    holders = {row.holder_id for row in rows}
    years = {row.year for row in rows}
    found: dict[str, dict[tuple, Decimal]] = {"allocated": {}, "spent": {}}
    if not rows:
        return found
    given = (
        Allocation.objects.filter(holder_id__in=holders, year__in=years)
        .order_by()
        .values("holder_id", "year", "source")
        .annotate(total=Sum(_signed()))
        .values_list("holder_id", "year", "source", "total")
    )
    paid = (
        Voucher.objects.filter(holder_id__in=holders, year__in=years)
        .order_by()
        .values("holder_id", "year", "source")
        .annotate(total=Sum("amount"))
        .values_list("holder_id", "year", "source", "total")
    )
    for name, query in (("allocated", given), ("spent", paid)):
        sums: dict[tuple, Decimal] = defaultdict(Decimal)
        for holder, year, source, total in query:
            sums[(holder, year, source)] += Decimal(total or 0)
        found[name] = dict(sums)
    return found


class AllocationListApi(ApiList):
    serializer_class = AllocationOut

    @extend_schema(
        tags=[TAG],
        summary="Phân bổ vốn · Allocations received",
        description=doc(
            "Các quyết định phân bổ, bổ sung, giảm, chuyển nguồn của các đơn vị mà người gọi được"
            " xem tài chính; mỗi dòng kèm số đã phân bổ, đã chi và còn lại của đơn vị, năm và"
            " nguồn vốn.",
            "The allocations, supplements, reductions and carry-overs of the holders whose money"
            " the caller may read; each row with the allocated, spent and left of its holder,"
            " year and source.",
        ),
        parameters=[ORG_UNIT, YEAR, SOURCE, UPDATED_SINCE],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=[TAG],
        summary="Ghi nhận phân bổ · Record an allocation",
        description=doc(
            "Ghi một quyết định phân bổ, bổ sung, giảm hoặc chuyển nguồn mà đơn vị nhận được"
            " (kế toán xã); cùng kiểm tra như trang: giảm không dưới số đã lập dự toán hoặc đã"
            " chi, chuyển nguồn không quá số còn lại năm trước.",
            "Record an allocation, supplement, reduction or carry-over the holder received (the"
            " commune's accountant); the page's checks: a reduction stays at or above what is"
            " estimated or spent, a carry-over carries no more than the year before left.",
        ),
        request=AllocationIn,
        responses={201: AllocationOut},
    )
    @idempotent
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        holder = _holder_from_body(request, FINANCE_EDIT)  # 404 / 403 before the body
        row = allocation_record(
            actor=actor(request), data=allocation_input(holder, valid_body(request))
        )
        context = {**self.get_serializer_context(), **allocation_balances([row])}
        data = AllocationOut(row, context=context).data
        return _created(request, data, reverse("api:finance_allocation_list"))

    def select(self, actor: Any) -> QuerySet[Allocation]:
        return _visible_under(self.request, Allocation.objects.all()).select_related(
            "holder", "allocator", "element", "decision"
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        context = {**self.get_serializer_context(), **allocation_balances(page)}
        return self.get_paginated_response(AllocationOut(page, many=True, context=context).data)
