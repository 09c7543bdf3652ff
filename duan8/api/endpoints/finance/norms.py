"""Spending norms (định mức chi): the list (for readers of any unit's money and the norms'
administrator), one norm, its correction and a new period of it, through the services the
norms page calls (``norm_update``, ``norm_new_period``), which check ``finance.norms``. The
norms are national: not visible (404) to who may not read them, 403 for readers who may not
change them, before the body."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.api.base import ApiList, ApiView
from duan8.api.endpoints.finance.planning import IF_MATCH
from duan8.api.endpoints.finance.shared import TAG, _amount, _created
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import expected_version, with_etag
from duan8.api.who import actor
from duan8.finance.models import SpendingNorm
from duan8.finance.selectors_budget import NORM_ORDER, norm_get, norms_readable
from duan8.finance.services.norms import norm_new_period, norm_update, norms_editable
from duan8.legal.models import LegalDocument


class NormOut(serializers.ModelSerializer):
    amount = _amount(help_text=doc("0: chưa biết.", "0: not known yet."))

    class Meta:
        model = SpendingNorm
        fields = [
            "id",
            "code",
            "cost_line",
            "name",
            "unit",
            "amount",
            "is_ceiling",
            "legal_source",
            "legal_article",
            "valid_from",
            "valid_to",
            "verified",
            "version",
            "updated_at",
        ]


class NormIn(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    cost_line = serializers.ChoiceField(choices=SpendingNorm.CostLine.choices, required=False)
    name = serializers.CharField(max_length=255, required=False)
    unit = serializers.CharField(max_length=40, required=False)
    amount = serializers.IntegerField(min_value=0, required=False)
    is_ceiling = serializers.BooleanField(required=False)
    legal_source = serializers.PrimaryKeyRelatedField(
        queryset=LegalDocument.objects.all(), required=False, allow_null=True
    )
    legal_article = serializers.CharField(max_length=120, required=False, allow_blank=True)
    valid_from = serializers.DateField(required=False)
    valid_to = serializers.DateField(required=False, allow_null=True)
    verified = serializers.BooleanField(required=False)


def _values(request: Request) -> dict[str, Any]:
    body = NormIn(data=request.data)
    body.is_valid(raise_exception=True)
    return {k: v for k, v in body.validated_data.items() if k != "version"}


def _editable_norm(request: Request, pk: int) -> SpendingNorm:
    norm = norm_get(actor=actor(request), norm_id=pk)
    if not norms_editable(actor(request)):
        raise PermissionDenied
    return norm


class NormListApi(ApiList):
    serializer_class = NormOut

    @extend_schema(
        tags=[TAG],
        summary="Định mức chi · Spending norms",
        description=doc(
            "Mọi định mức (toàn quốc) với giai đoạn áp dụng; cho người được xem tài chính ở một"
            " đơn vị nào đó hoặc quản trị định mức (người khác: danh sách trống).",
            "Every (national) norm with its period; for readers of some unit's money and the"
            " norms' administrator (an empty list for the others).",
        ),
        parameters=[UPDATED_SINCE],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[SpendingNorm]:
        if not norms_readable(actor):
            return SpendingNorm.objects.none()
        return SpendingNorm.objects.order_by(*NORM_ORDER)


class NormDetailApi(ApiView):
    """A norm's correction (PATCH only: the norm and its version are read in the list, as the
    pages show norms only in their table)."""

    @extend_schema(
        tags=[TAG],
        summary="Sửa định mức · Correct a norm",
        description=doc(
            "Quản trị định mức sửa (như trang “Sửa”): các trường gửi lên thay đổi, kèm phiên bản.",
            "The norms' administrator corrects it (as the page does): the fields sent change,"
            " with the version.",
        ),
        parameters=[IF_MATCH],
        request=NormIn,
        responses=NormOut,
    )
    def patch(self, request: Request, pk: int) -> Response:
        norm = _editable_norm(request, pk)
        version = expected_version(request)
        norm = norm_update(
            actor=actor(request), norm=norm, expected_version=version, data=_values(request)
        )
        return with_etag(Response(NormOut(norm).data), norm.version)


class NormNewPeriodApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Giai đoạn mới của định mức · A new period of a norm",
        description=doc(
            "Định mức áp dụng lại từ `valid_from` (mức mới…); giai đoạn cũ kết thúc ngày hôm"
            " trước; các dự toán đã lập giữ mức cũ.",
            "The norm again from `valid_from` (a new amount…); the old period ends the day"
            " before; estimates already made keep their amounts.",
        ),
        parameters=[IF_MATCH],
        request=NormIn,
        responses={201: NormOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        norm = _editable_norm(request, pk)
        version = expected_version(request)
        new = norm_new_period(
            actor=actor(request), norm=norm, expected_version=version, data=_values(request)
        )
        url = reverse("api:finance_norm_list") + f"?updated_since={new.updated_at.isoformat()}"
        return with_etag(_created(request, NormOut(new).data, url), new.version)
