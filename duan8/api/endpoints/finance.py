"""The money (issue 14) over the API: allocations received with what is left of them, vouchers
and their reversals, payment requests (proposed, refused, paid by a voucher), and the
disbursement roll-up of a unit.

Reading needs ``finance.view`` on the budget holder (``selectors_budget.holder_get``: 404
otherwise); lists are filtered through ``org_units_visible_to(actor, "finance.view")``. Writing
goes through the services the pages call (``voucher_record``, also to pay a payment request,
``voucher_reverse``, ``request_propose``, ``request_refuse``), which check ``finance.edit`` /
``finance.propose``. No request is "approved": the accountant pays it or refuses it.

Payees are often persons, and receipts carry their names and signatures: they are shown as the
pages decide (``views_spending.may_see_payees``: the commune's money roles and readers of
persons' names); the reviewers above and the Fatherland Front read the figures only (``payee``
and ``receipt`` are null). Each read of payees is written to the audit trail.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Case, DecimalField, F, OuterRef, QuerySet, Subquery, Sum, When
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.accounts.permissions import FINANCE_EDIT, FINANCE_PROPOSE, FINANCE_VIEW
from duan8.activities.models import Event
from duan8.api.base import ApiList, ApiView, query_date, query_int
from duan8.api.errors import BadRequest
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import expected_version, with_etag
from duan8.api.who import actor
from duan8.core import audit
from duan8.core.audit import NotVisible
from duan8.finance.disbursement import (
    Disbursement,
    Figures,
    Row,
    default_as_of,
    disbursement_compute,
    disbursement_unit_get,
)
from duan8.finance.forms_spending import holder_plans
from duan8.finance.models import Allocation, PaymentRequest, Source, Voucher
from duan8.finance.selectors_budget import holder_get
from duan8.finance.services.requests import RequestInput, request_propose, request_refuse
from duan8.finance.services.voucher_checks import ACTIVITY_KINDS
from duan8.finance.services.vouchers import VoucherInput, voucher_record, voucher_reverse
from duan8.finance.views_spending import may_see_payees
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.models import Plan, ProgramElement

TAG = "Tài chính · Money"
MONEY: DecimalField = DecimalField(max_digits=18, decimal_places=0)
ZERO = Decimal(0)

ORG_UNIT = OpenApiParameter(
    "org_unit",
    int,
    description=doc(
        "Đơn vị dự toán (xã, huyện, tỉnh) và các đơn vị bên dưới.",
        "The budget holder (commune, district, province) and the units below it.",
    ),
)
YEAR = OpenApiParameter("year", int, description=doc("Năm ngân sách.", "Budget year."))
SOURCE = OpenApiParameter(
    "source", str, enum=list(Source.values), description=doc("Nguồn vốn.", "Funding source.")
)


def _amount(**kwargs: Any) -> serializers.IntegerField:
    """An amount in whole đồng, as a JSON integer (never a float)."""
    return serializers.IntegerField(**kwargs)


def _visible_under(
    request: Request, queryset: QuerySet[Any], *, year_field: str = "year"
) -> QuerySet[Any]:
    """Rows whose holder the caller may read (``finance.view``), filtered by ``org_unit``
    (that unit and those below; nothing for a unit the caller may not read), ``year``."""
    units = org_units_visible_to(actor(request), FINANCE_VIEW)
    queryset = queryset.filter(holder__in=units)
    unit_id = query_int(request, "org_unit")
    if unit_id is not None:
        unit = units.filter(pk=unit_id).values_list("path", flat=True).first()
        if unit is None:
            return queryset.none()
        queryset = queryset.filter(holder__path__startswith=unit)
    year = query_int(request, "year", low=2000, high=2100)
    if year is not None:
        queryset = queryset.filter(**{year_field: year})
    source = request.query_params.get("source")
    if source:
        if source not in Source.values:
            raise BadRequest("source", _("Choose the source."), "invalid_choice")
        queryset = queryset.filter(source=source)
    return queryset


class _Payees:
    """Who may read the payees of which holder, asked once per holder (the memberships are read
    once per request); each read of a non-empty list of payees is audited."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.known: dict[int, bool] = {}

    def may_see(self, holder: OrgUnit) -> bool:
        if holder.pk not in self.known:
            self.known[holder.pk] = may_see_payees(self.user, holder)
        return self.known[holder.pk]

    def audit(self, rows: list[Any], *, message: str) -> None:
        shown = [row for row in rows if self.may_see(row.holder)]
        if not shown:
            return
        audit.record(
            actor=self.user,
            action="activities.personal.viewed",
            target=shown[0] if len(shown) == 1 else None,
            org_unit=shown[0].holder if len({r.holder_id for r in shown}) == 1 else None,
            message=message % {"count": len(shown)},
        )


# --- allocations ------------------------------------------------------------------------------


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

    def select(self, actor: Any) -> QuerySet[Allocation]:
        return _visible_under(self.request, Allocation.objects.all()).select_related(
            "holder", "allocator", "element", "decision"
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        context = {**self.get_serializer_context(), **allocation_balances(page)}
        return self.get_paginated_response(AllocationOut(page, many=True, context=context).data)


# --- vouchers ---------------------------------------------------------------------------------


class VoucherOut(serializers.ModelSerializer):
    activity_code = serializers.CharField(source="activity.code")
    amount = _amount(help_text=doc("Âm khi là chứng từ huỷ.", "Negative for a reversal."))
    payee = serializers.SerializerMethodField(
        help_text=doc(
            "Người nhận tiền: chỉ cho kế toán, cán bộ, lãnh đạo xã và người được đọc tên.",
            "Only for the commune's money roles and readers of persons' names; null otherwise.",
        )
    )
    receipt = serializers.SerializerMethodField(
        help_text=doc(
            "Đường dẫn tải biên lai (như payee).", "The receipt's download link (as payee)."
        )
    )
    reversed_by = serializers.SerializerMethodField()

    class Meta:
        model = Voucher
        fields = [
            "id",
            "holder",
            "year",
            "number",
            "paid_on",
            "payee",
            "amount",
            "content",
            "plan",
            "activity",
            "activity_code",
            "source",
            "event",
            "request",
            "package_entry",
            "receipt",
            "reverses",
            "reversed_by",
            "reason",
            "created_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_payee(self, voucher: Voucher) -> str | None:
        return voucher.payee if self.context["payees"].may_see(voucher.holder) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_receipt(self, voucher: Voucher) -> str | None:
        if not voucher.receipt or not self.context["payees"].may_see(voucher.holder):
            return None
        url = reverse("finance:voucher_receipt", args=[voucher.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_reversed_by(self, voucher: Voucher) -> int | None:
        return getattr(voucher, "reversal_id", None)


def _vouchers() -> QuerySet[Voucher]:
    reversal = Voucher.objects.filter(reverses=OuterRef("pk")).values("pk")[:1]
    return Voucher.objects.select_related("holder", "activity").annotate(
        reversal_id=Subquery(reversal)
    )


class VoucherIn(serializers.Serializer):
    holder = serializers.IntegerField(
        help_text=doc("Đơn vị dự toán (xã).", "The budget holder (the commune).")
    )
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.none())
    activity = serializers.PrimaryKeyRelatedField(
        queryset=ProgramElement.objects.filter(kind__in=ACTIVITY_KINDS),
        help_text=doc("Hoạt động của kế hoạch.", "The plan's activity (or indicator)."),
    )
    number = serializers.CharField(max_length=40)
    paid_on = serializers.DateField()
    payee = serializers.CharField(max_length=255)
    amount = serializers.IntegerField(help_text=doc("Đồng.", "Whole đồng."))
    content = serializers.CharField(max_length=255)
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]
    event = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.none(), required=False, allow_null=True
    )
    request = serializers.PrimaryKeyRelatedField(
        queryset=PaymentRequest.objects.none(),
        required=False,
        allow_null=True,
        help_text=doc(
            "Đề nghị thanh toán được chi bằng chứng từ này.",
            "The payment request this voucher pays (it becomes paid).",
        ),
    )
    request_version = serializers.IntegerField(required=False, allow_null=True, min_value=0)

    def __init__(self, *args: Any, holder: OrgUnit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if holder is not None:
            fields: Any = self.fields
            fields["plan"].queryset = holder_plans(holder)
            fields["event"].queryset = Event.objects.filter(plan__issuing_unit=holder)
            fields["request"].queryset = PaymentRequest.objects.filter(holder=holder)


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


def _holder_from_body(request: Request, permission: str) -> OrgUnit:
    """The body's ``holder``, read first: 404 when the caller may not read its money, 403 when
    they may not do this there; only then is the rest of the body checked."""
    data: Any = request.data
    raw = data.get("holder") if isinstance(data, dict) else None
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not _is_id(str(raw)):
        raise BadRequest("holder", _("Give the budget holder's id."), "required")
    holder = holder_get(actor=actor(request), unit_id=int(raw))
    require_permission(actor(request), permission, holder)
    return holder


def _created(request: Request, data: Any, url: str) -> Response:
    response = Response(data, status=201)
    response["Location"] = request.build_absolute_uri(url)
    return response


class VoucherListApi(ApiList):
    serializer_class = VoucherOut
    updated_field = "created_at"  # vouchers are never changed: a correction is a new reversal

    @extend_schema(
        tags=[TAG],
        summary="Chứng từ chi · Vouchers",
        description=doc(
            "Chứng từ chi (và chứng từ huỷ, số tiền âm) của các đơn vị mà người gọi được xem tài"
            " chính. Người nhận tiền và biên lai chỉ hiện cho kế toán, cán bộ Hội, lãnh đạo xã và"
            " người được đọc tên; cấp trên và MTTQ chỉ xem số liệu. `updated_since` theo thời"
            " điểm ghi (chứng từ không bao giờ sửa).",
            "Vouchers (and reversals, negative) of the holders whose money the caller may read."
            " Payees and receipts only for the commune's money roles and readers of persons'"
            " names; reviewers above and the Fatherland Front read figures. `updated_since` is"
            " the time recorded (vouchers are never changed).",
        ),
        parameters=[ORG_UNIT, YEAR, SOURCE, UPDATED_SINCE],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[Voucher]:
        return _visible_under(self.request, _vouchers())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        payees = _Payees(actor(request))
        data = VoucherOut(page, many=True, context={"request": request, "payees": payees}).data
        payees.audit(page, message=_("API: the payees of %(count)s vouchers"))
        return self.get_paginated_response(data)

    @extend_schema(
        tags=[TAG],
        summary="Ghi chứng từ chi · Record a voucher",
        description=doc(
            "Kế toán xã ghi chứng từ chi (như trang “Ghi chứng từ”): bị từ chối, không lưu gì,"
            " khi vượt số còn lại của phân bổ, sai năm, trùng số, kỳ đã khoá. Với `request`: chi"
            " đề nghị thanh toán đó (gửi `request_version`). Biên lai: tải lên trên trang web.",
            "The commune's accountant records a voucher (as the page does): refused, nothing"
            " saved, above what is left of the allocation, outside the year, a number used, a"
            " locked period. With `request`: pays that payment request (send"
            " `request_version`). Receipts are uploaded on the web page.",
        ),
        request=VoucherIn,
        responses={201: VoucherOut},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        holder = _holder_from_body(request, FINANCE_EDIT)
        body = VoucherIn(data=request.data, holder=holder)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        voucher = voucher_record(
            actor=actor(request),
            data=VoucherInput(
                holder=holder,
                plan=data["plan"],
                number=data["number"].strip(),
                paid_on=data["paid_on"],
                payee=data["payee"].strip(),
                amount=data["amount"],
                content=data["content"].strip(),
                activity=data["activity"],
                source=data["source"],
                event=data.get("event"),
                request=data.get("request"),
                request_version=data.get("request_version"),
            ),
        )
        voucher = _vouchers().get(pk=voucher.pk)
        out = VoucherOut(voucher, context={"request": request, "payees": _Payees(actor(request))})
        return _created(request, out.data, reverse("api:finance_voucher_detail", args=[voucher.pk]))


def _voucher_get(request: Request, pk: int) -> Voucher:
    voucher = _vouchers().filter(pk=pk).first()
    if voucher is None:
        raise NotVisible
    holder_get(actor=actor(request), unit_id=voucher.holder_id)
    return voucher


class VoucherDetailApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Một chứng từ · One voucher",
        description=doc(
            "Chứng từ; người nhận và biên lai như trong danh sách.",
            "The voucher; payee and receipt as in the list.",
        ),
        responses=VoucherOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        voucher = _voucher_get(request, pk)
        payees = _Payees(actor(request))
        data = VoucherOut(voucher, context={"request": request, "payees": payees}).data
        payees.audit([voucher], message=_("API: the payees of %(count)s vouchers"))
        return Response(data)


class VoucherReverseApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Huỷ chứng từ · Reverse a voucher",
        description=doc(
            "Kế toán huỷ chứng từ bằng một chứng từ âm cùng số tiền, ghi hôm nay, có lý do; một"
            " lần; không huỷ chứng từ huỷ.",
            "The accountant cancels a voucher by a negative voucher of the same amount, dated"
            " today, with the reason; once; a reversal is never reversed.",
        ),
        request=ReasonIn,
        responses={201: VoucherOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        voucher = _voucher_get(request, pk)
        require_permission(actor(request), FINANCE_EDIT, voucher.holder)
        body = ReasonIn(data=request.data)
        body.is_valid(raise_exception=True)
        reversal = voucher_reverse(
            actor=actor(request), voucher=voucher, reason=body.validated_data["reason"]
        )
        reversal = _vouchers().get(pk=reversal.pk)
        out = VoucherOut(reversal, context={"request": request, "payees": _Payees(actor(request))})
        url = reverse("api:finance_voucher_detail", args=[reversal.pk])
        return _created(request, out.data, url)


# --- payment requests -------------------------------------------------------------------------


class PaymentRequestOut(serializers.ModelSerializer):
    activity_code = serializers.CharField(source="activity.code")
    amount = _amount()
    payee = serializers.SerializerMethodField(
        help_text=doc("Như ở chứng từ.", "As on vouchers: null for figures-only readers.")
    )
    vouchers = serializers.SerializerMethodField(
        help_text=doc("Chứng từ đã chi đề nghị.", "The vouchers that paid it.")
    )

    class Meta:
        model = PaymentRequest
        fields = [
            "id",
            "holder",
            "plan",
            "activity",
            "activity_code",
            "event",
            "payee",
            "content",
            "amount",
            "source",
            "status",
            "status_reason",
            "vouchers",
            "version",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_payee(self, row: PaymentRequest) -> str | None:
        return row.payee if self.context["payees"].may_see(row.holder) else None

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_vouchers(self, row: PaymentRequest) -> list[int]:
        return sorted(voucher.pk for voucher in row.vouchers.all())


class PaymentRequestIn(serializers.Serializer):
    holder = serializers.IntegerField(help_text=doc("Đơn vị dự toán.", "The budget holder."))
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.none())
    activity = serializers.PrimaryKeyRelatedField(
        queryset=ProgramElement.objects.filter(kind__in=ACTIVITY_KINDS)
    )
    payee = serializers.CharField(max_length=255)
    content = serializers.CharField(max_length=255)
    amount = serializers.IntegerField(help_text=doc("Đồng.", "Whole đồng."))
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]
    event = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.none(), required=False, allow_null=True
    )

    def __init__(self, *args: Any, holder: OrgUnit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if holder is not None:
            fields: Any = self.fields
            fields["plan"].queryset = holder_plans(holder)
            fields["event"].queryset = Event.objects.filter(plan__issuing_unit=holder)


def _requests() -> QuerySet[PaymentRequest]:
    return PaymentRequest.objects.select_related("holder", "activity").prefetch_related("vouchers")


def _request_get(request: Request, pk: int) -> PaymentRequest:
    found = _requests().filter(pk=pk).first()
    if found is None:
        raise NotVisible
    holder_get(actor=actor(request), unit_id=found.holder_id)
    return found


class PaymentRequestListApi(ApiList):
    serializer_class = PaymentRequestOut

    @extend_schema(
        tags=[TAG],
        summary="Đề nghị thanh toán · Payment requests",
        description=doc(
            "Đề nghị thanh toán của các đơn vị mà người gọi được xem tài chính; người nhận như"
            " ở chứng từ.",
            "Payment requests of the holders whose money the caller may read; payees as on"
            " vouchers.",
        ),
        parameters=[
            ORG_UNIT,
            YEAR,
            OpenApiParameter(
                "status",
                str,
                enum=list(PaymentRequest.Status.values),
                description=doc("Trạng thái.", "Status."),
            ),
            SOURCE,
            UPDATED_SINCE,
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[PaymentRequest]:
        rows = _visible_under(self.request, _requests(), year_field="plan__year")
        status = self.request.query_params.get("status")
        if status:
            if status not in PaymentRequest.Status.values:
                raise BadRequest("status", _("Choose the status."), "invalid_choice")
            rows = rows.filter(status=status)
        return rows

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        payees = _Payees(actor(request))
        data = PaymentRequestOut(page, many=True, context={"payees": payees}).data
        payees.audit(page, message=_("API: the payees of %(count)s payment requests"))
        return self.get_paginated_response(data)

    @extend_schema(
        tags=[TAG],
        summary="Đề nghị thanh toán mới · Propose a payment",
        description=doc(
            "Cán bộ Hội đề nghị kế toán chi cho một hoạt động hoặc sự kiện của kế hoạch (như"
            " trang “Đề nghị thanh toán”); chưa chi gì cho đến khi kế toán chi.",
            "The Women's Union officer asks the accountant to pay for a plan activity or an"
            " event (as the page does); nothing is spent until the accountant pays it.",
        ),
        request=PaymentRequestIn,
        responses={201: PaymentRequestOut},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        holder = _holder_from_body(request, FINANCE_PROPOSE)
        body = PaymentRequestIn(data=request.data, holder=holder)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        made = request_propose(
            actor=actor(request),
            data=RequestInput(
                holder=holder,
                plan=data["plan"],
                activity=data["activity"],
                payee=data["payee"].strip(),
                content=data["content"].strip(),
                amount=data["amount"],
                source=data["source"],
                event=data.get("event"),
            ),
        )
        made = _requests().get(pk=made.pk)
        out = PaymentRequestOut(made, context={"payees": _Payees(actor(request))})
        url = reverse("api:finance_payment_request_detail", args=[made.pk])
        return with_etag(_created(request, out.data, url), made.version)


class PaymentRequestDetailApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Một đề nghị thanh toán · One payment request",
        description=doc(
            "Đề nghị, trạng thái và các chứng từ đã chi nó; ETag là phiên bản.",
            "The request, its status and the vouchers that paid it; the ETag is its version.",
        ),
        responses=PaymentRequestOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        found = _request_get(request, pk)
        payees = _Payees(actor(request))
        data = PaymentRequestOut(found, context={"payees": payees}).data
        payees.audit([found], message=_("API: the payees of %(count)s payment requests"))
        return with_etag(Response(data), found.version)


class PaymentRequestRefuseApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Từ chối đề nghị · Refuse a payment request",
        description=doc(
            "Kế toán từ chối đề nghị đang chờ, nêu lý do; gửi phiên bản (If-Match hoặc"
            " `version`). Chi một đề nghị: `.../pay/`.",
            "The accountant refuses a proposed payment, saying why; send the version (If-Match"
            " or `version`). To pay one: `.../pay/`.",
        ),
        request=ReasonIn,
        responses=PaymentRequestOut,
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        found = _request_get(request, pk)
        require_permission(actor(request), FINANCE_EDIT, found.holder)
        body = ReasonIn(data=request.data)
        body.is_valid(raise_exception=True)
        refused = request_refuse(
            actor=actor(request),
            request=found,
            reason=body.validated_data["reason"],
            expected_version=expected_version(request),
        )
        refused = _requests().get(pk=refused.pk)
        out = PaymentRequestOut(refused, context={"payees": _Payees(actor(request))})
        return with_etag(Response(out.data), refused.version)


class PayIn(serializers.Serializer):
    number = serializers.CharField(max_length=40, help_text=doc("Số chứng từ.", "Voucher number."))
    paid_on = serializers.DateField(help_text=doc("Ngày chi.", "Date paid."))
    amount = serializers.IntegerField(
        required=False,
        help_text=doc("Mặc định: số tiền đề nghị.", "Default: the amount requested."),
    )


class PaymentRequestPayApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Chi đề nghị thanh toán · Pay a payment request",
        description=doc(
            "Kế toán chi đề nghị bằng một chứng từ chi mang người nhận, nội dung, hoạt động và"
            " nguồn của đề nghị (như trang “Ghi chứng từ” mở từ đề nghị); đề nghị thành “đã"
            " chi”. Gửi phiên bản của đề nghị (If-Match hoặc `version`).",
            "The accountant pays the request by a voucher carrying its payee, content, activity"
            " and source (as the voucher page opened from the request); the request becomes"
            " paid. Send the request's version (If-Match or `version`).",
        ),
        request=PayIn,
        responses={201: VoucherOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        found = _request_get(request, pk)
        require_permission(actor(request), FINANCE_EDIT, found.holder)
        body = PayIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        voucher = voucher_record(
            actor=actor(request),
            data=VoucherInput(
                holder=found.holder,
                plan=found.plan,
                number=data["number"].strip(),
                paid_on=data["paid_on"],
                payee=found.payee,
                amount=data.get("amount", found.amount),
                content=found.content,
                activity=found.activity,
                source=found.source,
                event=found.event,
                request=found,
                request_version=expected_version(request),
            ),
        )
        voucher = _vouchers().get(pk=voucher.pk)
        out = VoucherOut(voucher, context={"request": request, "payees": _Payees(actor(request))})
        return _created(request, out.data, reverse("api:finance_voucher_detail", args=[voucher.pk]))


# --- disbursement -----------------------------------------------------------------------------


class FiguresOut(serializers.Serializer):
    allocated = _amount()
    disbursed = _amount()
    remaining = _amount()
    percent = serializers.IntegerField(
        allow_null=True, help_text=doc("Null khi chưa phân bổ.", "Null without an allocation.")
    )


class RowOut(serializers.Serializer):
    key = serializers.CharField(
        help_text=doc(
            "Tháng, quý, nguồn, id nội dung (“project”: cả dự án), id đơn vị.",
            "Month, quarter, source, content id (“project”: the whole project), unit id.",
        )
    )
    label = serializers.CharField()  # type: ignore[assignment]
    figures = FiguresOut()
    cumulative = FiguresOut(allow_null=True, required=False)


class DisbursementOut(serializers.Serializer):
    org_unit = serializers.IntegerField()
    org_unit_name = serializers.CharField()
    year = serializers.IntegerField()
    as_of = serializers.DateField()
    deadline = serializers.DateField()
    total = FiguresOut()
    months = RowOut(many=True)
    quarters = RowOut(many=True)
    sources = RowOut(many=True)
    contents = RowOut(many=True)
    units = RowOut(many=True)


def _figures(figures: Figures) -> dict[str, Any]:
    return {
        "allocated": int(figures.allocated),
        "disbursed": int(figures.disbursed),
        "remaining": int(figures.remaining),
        "percent": figures.percent,
    }


def _row(row: Row) -> dict[str, Any]:
    return {
        "key": str(row.key),
        "label": str(row.label),
        "figures": _figures(row.figures),
        "cumulative": _figures(row.cumulative) if row.cumulative is not None else None,
    }


def _disbursement(unit: OrgUnit, data: Disbursement) -> dict[str, Any]:
    return {
        "org_unit": unit.pk,
        "org_unit_name": unit.full_name,
        "year": data.year,
        "as_of": data.as_of,
        "deadline": data.deadline,
        "total": _figures(data.total),
        **{
            name: [_row(row) for row in getattr(data, name)]
            for name in ("months", "quarters", "sources", "contents", "units")
        },
    }


def _year_as_of(unit: OrgUnit, year: int) -> datetime.date:
    """As the page: the end of the year, or today when it is not over; within the unit's life."""
    day = min(datetime.date(year, 12, 31), timezone.localdate())
    if unit.valid_to and day > unit.valid_to:
        return unit.valid_to
    if unit.valid_from and day < unit.valid_from:
        return unit.valid_from
    return day


class DisbursementApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Giải ngân · Disbursement",
        description=doc(
            "Như trang giải ngân: phân bổ và đã chi của đơn vị trong năm, theo tháng, quý, nguồn,"
            " nội dung và các đơn vị bên dưới, trên bản đồ hành chính ngày `as_of` (mặc định:"
            " cuối năm, hoặc hôm nay).",
            "As the disbursement page: the unit's allocation and payments of the year, by month,"
            " quarter, source, content and the units below, on the map of `as_of` (default: the"
            " year's end, or today).",
        ),
        parameters=[
            YEAR,
            OpenApiParameter(
                "as_of",
                datetime.date,
                description=doc("Bản đồ hành chính tại ngày này.", "The map as of this date."),
            ),
        ],
        responses=DisbursementOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        unit = disbursement_unit_get(actor=actor(request), unit_id=pk)
        year = query_int(request, "year", low=2000, high=2100) or default_as_of(unit).year
        day = query_date(request, "as_of") or _year_as_of(unit, year)
        return Response(_disbursement(unit, disbursement_compute(unit=unit, year=year, as_of=day)))


urlpatterns = [
    path("finance/allocations/", AllocationListApi.as_view(), name="finance_allocation_list"),
    path("finance/vouchers/", VoucherListApi.as_view(), name="finance_voucher_list"),
    path("finance/vouchers/<int:pk>/", VoucherDetailApi.as_view(), name="finance_voucher_detail"),
    path(
        "finance/vouchers/<int:pk>/reverse/",
        VoucherReverseApi.as_view(),
        name="finance_voucher_reverse",
    ),
    path(
        "finance/payment-requests/",
        PaymentRequestListApi.as_view(),
        name="finance_payment_request_list",
    ),
    path(
        "finance/payment-requests/<int:pk>/",
        PaymentRequestDetailApi.as_view(),
        name="finance_payment_request_detail",
    ),
    path(
        "finance/payment-requests/<int:pk>/refuse/",
        PaymentRequestRefuseApi.as_view(),
        name="finance_payment_request_refuse",
    ),
    path(
        "finance/payment-requests/<int:pk>/pay/",
        PaymentRequestPayApi.as_view(),
        name="finance_payment_request_pay",
    ),
    path("finance/disbursement/<int:pk>/", DisbursementApi.as_view(), name="finance_disbursement"),
]


def _is_id(text: str) -> bool:
    """An id: ASCII digits ("²" is a digit to Python, not to int()), within a bigint."""
    return text.isascii() and text.isdigit() and len(text) <= 18
