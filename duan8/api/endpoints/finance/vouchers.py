"""Vouchers: the list, recording one, one voucher, its reversal."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.permissions import FINANCE_EDIT
from duan8.activities.models import Event
from duan8.api.base import ApiList, ApiView
from duan8.api.endpoints.finance.shared import (
    ORG_UNIT,
    SOURCE,
    TAG,
    YEAR,
    ReasonIn,
    _amount,
    _created,
    _holder_from_body,
    _Payees,
    _visible_under,
)
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.who import actor
from duan8.core.audit import NotVisible
from duan8.finance.forms_spending import holder_plans
from duan8.finance.models import PaymentRequest, Source, Voucher
from duan8.finance.selectors_budget import holder_get
from duan8.finance.services.voucher_checks import ACTIVITY_KINDS
from duan8.finance.services.vouchers import VoucherInput, voucher_record, voucher_reverse
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement


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
