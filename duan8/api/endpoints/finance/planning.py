"""A plan's estimate (dự toán): read it, add a line, remove a line, approve it with the plan,
through the services the estimate page calls (``estimate_line_add``, ``estimate_line_remove``,
``estimate_approve``). Reading needs ``finance.view`` on the plan's issuing unit (404 otherwise,
``selectors_budget.estimate_plan_get``); adding and removing lines ``finance.propose`` (the WU
officer), approving ``finance.approve`` (the commune leader): 403 for the other readers, checked
before the body. Each write names the estimate's version (If-Match or ``version``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.permissions import FINANCE_APPROVE, FINANCE_PROPOSE
from duan8.activities.services.events import plan_activities
from duan8.api.base import ApiView
from duan8.api.endpoints.finance.shared import TAG, _amount, _created
from duan8.api.idempotency import idempotent
from duan8.api.schema import doc
from duan8.api.versions import expected_version, with_etag
from duan8.api.who import actor
from duan8.finance.models import EstimateLine, Source, SpendingNorm
from duan8.finance.selectors_budget import estimate_plan_get, estimate_view
from duan8.finance.services.estimates import (
    EstimateLineInput,
    estimate_approve,
    estimate_line_add,
    estimate_line_remove,
    norm_in_force,
)
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement


class EstimateLineOut(serializers.ModelSerializer):
    activity_code = serializers.CharField(source="activity.code")
    village_name = serializers.CharField(source="village.name", allow_null=True, default=None)
    unit_amount = _amount()
    amount = _amount()

    class Meta:
        model = EstimateLine
        fields = [
            "id",
            "order",
            "activity",
            "activity_code",
            "village",
            "village_name",
            "norm",
            "description",
            "quantity",
            "unit_amount",
            "amount",
            "source",
        ]


class SourceBalanceOut(serializers.Serializer):
    source = serializers.CharField()  # type: ignore[assignment]
    label = serializers.CharField()  # type: ignore[assignment]
    allocated = _amount()
    estimated = _amount()
    left = _amount()


class EstimateOut(serializers.Serializer):
    plan = serializers.IntegerField()
    holder = serializers.IntegerField()
    year = serializers.IntegerField()
    status = serializers.CharField(help_text=doc("draft | approved", "draft | approved"))
    version = serializers.IntegerField()
    total = _amount()
    lines = EstimateLineOut(many=True)
    balances = SourceBalanceOut(many=True)


def _estimate_data(plan: Plan) -> tuple[dict[str, Any], int]:
    view = estimate_view(plan)
    data = {
        "plan": plan.pk,
        "holder": plan.issuing_unit_id,
        "year": plan.year,
        "status": view.status,
        "version": view.version,
        "total": int(view.total),
        "lines": EstimateLineOut(view.lines, many=True).data,
        "balances": [
            {
                "source": row.source,
                "label": row.label,
                "allocated": int(row.allocated),
                "estimated": int(row.estimated),
                "left": int(row.left),
            }
            for row in view.balances
        ],
    }
    return data, view.version


class EstimateLineIn(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, help_text=doc("Phiên bản dự toán đã đọc.", "The estimate's version read.")
    )
    activity = serializers.PrimaryKeyRelatedField(queryset=ProgramElement.objects.none())
    village = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.none(), required=False, allow_null=True
    )
    norm = serializers.PrimaryKeyRelatedField(
        queryset=SpendingNorm.objects.all(), required=False, allow_null=True
    )
    description = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text=doc("Trống: tên định mức.", "Empty: the norm's name."),
    )
    quantity = serializers.IntegerField(min_value=1, max_value=1_000_000)
    unit_amount = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=doc(
            "Trống: mức của định mức. Nhập khi không có định mức, hoặc đến mức trần.",
            "Empty: the norm's amount. Typed where there is no norm, or up to a ceiling.",
        ),
    )
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]

    def __init__(self, *args: Any, plan: Plan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if plan is not None:
            fields: Any = self.fields
            activities = [element.pk for element in plan_activities(plan)]
            fields["activity"].queryset = ProgramElement.objects.filter(pk__in=activities)
            fields["village"].queryset = OrgUnit.objects.filter(
                parent=plan.issuing_unit, level=OrgUnit.Level.VILLAGE
            )
            self.plan = plan

    def validate_norm(self, norm: SpendingNorm | None) -> SpendingNorm | None:
        plan = getattr(self, "plan", None)
        if norm is not None and plan is not None and not norm_in_force(norm, plan.year):
            raise serializers.ValidationError("out_of_period")
        return norm


class EstimateVersionIn(serializers.Serializer):
    version = serializers.IntegerField(required=False)


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=doc(
        "ETag của dự toán đã đọc (hoặc `version` trong nội dung).",
        "The estimate's ETag read (or `version` in the body).",
    ),
)


class EstimateDetailApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Dự toán của kế hoạch · A plan's estimate",
        description=doc(
            "Các dòng dự toán (số lượng × định mức), tổng, và theo nguồn vốn: đã phân bổ, đã dự"
            " toán, còn lại. Chưa có dự toán: bản nháp trống, phiên bản 1.",
            "The estimate's lines (quantity × norm), its total, and per source: allocated,"
            " estimated, left. No estimate yet: an empty draft, version 1.",
        ),
        responses=EstimateOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        plan = estimate_plan_get(actor=actor(request), plan_id=pk)
        data, version = _estimate_data(plan)
        return with_etag(Response(data), version)


class EstimateLineAddApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Thêm dòng dự toán · Add an estimate line",
        description=doc(
            "Cán bộ Hội thêm một dòng (như trang dự toán): bị từ chối, không lưu gì, khi sai"
            " hoặc vượt phân bổ (lỗi theo trường, `amount` khi vượt). Dự toán đã duyệt không đổi.",
            "The WU officer adds a line (as the estimate page does): refused, nothing saved,"
            " when wrong or above the allocation (errors by field, `amount` when above). An"
            " approved estimate no longer changes.",
        ),
        parameters=[IF_MATCH],
        request=EstimateLineIn,
        responses={201: EstimateOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        plan = estimate_plan_get(actor=user, plan_id=pk)
        require_permission(user, FINANCE_PROPOSE, plan.issuing_unit)
        version = expected_version(request)
        body = EstimateLineIn(data=request.data, plan=plan)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        estimate_line_add(
            actor=user,
            plan=plan,
            data=EstimateLineInput(
                activity=data["activity"],
                village=data.get("village"),
                norm=data.get("norm"),
                description=data.get("description") or "",
                quantity=data["quantity"],
                unit_amount=data.get("unit_amount"),
                source=data["source"],
            ),
            expected_version=version,
        )
        out, new_version = _estimate_data(plan)
        url = reverse("api:finance_estimate_detail", args=[plan.pk])
        return with_etag(_created(request, out, url), new_version)


def _lines() -> QuerySet[EstimateLine]:
    return EstimateLine.objects.select_related("estimate__plan__issuing_unit")


class EstimateLineRemoveApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Xoá dòng dự toán · Remove an estimate line",
        description=doc(
            "Cán bộ Hội xoá một dòng của dự toán nháp; gửi phiên bản dự toán (If-Match).",
            "The WU officer removes a line of a draft estimate; send the estimate's version"
            " (If-Match).",
        ),
        parameters=[IF_MATCH],
        request=None,
        responses={204: None},
    )
    def delete(self, request: Request, pk: int) -> Response:
        user = actor(request)
        line = get_object_or_404(_lines(), pk=pk)
        plan = estimate_plan_get(actor=user, plan_id=line.estimate.plan_id)
        require_permission(user, FINANCE_PROPOSE, plan.issuing_unit)
        version = expected_version(request)
        estimate_line_remove(actor=user, line=line, expected_version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EstimateApproveApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Duyệt dự toán · Approve the estimate",
        description=doc(
            "Lãnh đạo xã duyệt dự toán cùng kế hoạch: bị từ chối (`status`) khi kế hoạch chưa"
            " duyệt hoặc dự toán trống, (`amount`) khi vượt phân bổ.",
            "The commune leader approves the estimate with the plan: refused (`status`) while"
            " the plan is not approved or the estimate is empty, (`amount`) above the"
            " allocation.",
        ),
        parameters=[IF_MATCH],
        request=EstimateVersionIn,
        responses={200: EstimateOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        plan = estimate_plan_get(actor=user, plan_id=pk)
        require_permission(user, FINANCE_APPROVE, plan.issuing_unit)
        version = expected_version(request)
        estimate_approve(actor=user, plan=plan, expected_version=version)
        out, new_version = _estimate_data(plan)
        return with_etag(Response(out), new_version)
