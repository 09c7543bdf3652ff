"""Payment requests: the list, proposing one, one request, refusing it, paying it by a voucher."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.permissions import FINANCE_EDIT, FINANCE_PROPOSE
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
from duan8.api.endpoints.finance.vouchers import VoucherOut, _vouchers
from duan8.api.errors import BadRequest
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import expected_version, with_etag
from duan8.api.who import actor
from duan8.core.audit import NotVisible
from duan8.finance.forms_spending import holder_plans
from duan8.finance.models import PaymentRequest, Source
from duan8.finance.selectors_budget import holder_get
from duan8.finance.services.requests import RequestInput, request_propose, request_refuse
from duan8.finance.services.voucher_checks import ACTIVITY_KINDS
from duan8.finance.services.vouchers import VoucherInput, voucher_record
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement


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
