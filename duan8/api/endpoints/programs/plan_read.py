"""Plans, reading: the plans the caller may see, and one plan (whose PATCH, on the same URL,
changes the plan's text)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.api.base import ApiList, ApiView, query_int
from duan8.api.endpoints.programs.plan_write import PlanTextsIn
from duan8.api.endpoints.programs.shared import (
    TAG_PLANS,
    PlanDetailOut,
    PlanOut,
    plan_answer,
    writable_plan,
)
from duan8.api.errors import BadRequest
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import expected_version
from duan8.api.who import actor
from duan8.programs.models import Plan
from duan8.programs.plan_edit import plan_texts_update
from duan8.programs.selectors import plan_get
from duan8.programs.selectors import plan_list as plans_visible


class PlanListApi(ApiList):
    serializer_class = PlanOut

    @extend_schema(
        tags=[TAG_PLANS],
        summary="Danh sách kế hoạch · Plans",
        description=doc(
            "Các kế hoạch của những đơn vị mà người gọi được xem (và các đơn vị bên dưới).",
            "The plans of the units the caller may see (and of the units below them).",
        ),
        parameters=[
            UPDATED_SINCE,
            OpenApiParameter("year", int, description=doc("Năm kế hoạch.", "The plan's year.")),
            OpenApiParameter(
                "org_unit", int, description=doc("Đơn vị ban hành (id).", "Issuing unit id.")
            ),
            OpenApiParameter(
                "status",
                str,
                enum=Plan.Status.values,
                description=doc("Trạng thái.", "Status."),
            ),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[Plan]:
        request = self.request
        plans = plans_visible(actor=actor, year=query_int(request, "year", low=1900, high=2200))
        unit = query_int(request, "org_unit")
        if unit is not None:
            plans = plans.filter(issuing_unit_id=unit)
        status = request.query_params.get("status")
        if status:
            if status not in Plan.Status.values:
                raise BadRequest("status", _("Unknown plan status."), "invalid_choice")
            plans = plans.filter(status=status)
        return plans


class PlanDetailApi(ApiView):
    @extend_schema(
        tags=[TAG_PLANS],
        summary="Một kế hoạch · One plan",
        description=doc(
            "Kế hoạch với văn bản, chỉ tiêu (phụ lục 1) và bảng phân bổ (phụ lục 2: dòng, cột, ô);"
            " ETag là phiên bản, gửi lại trong If-Match khi sửa.",
            "The plan with its text, targets (appendix 1) and allocation (appendix 2: rows,"
            " columns, cells); the ETag is its version, sent back in If-Match to change it.",
        ),
        responses=PlanDetailOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        return plan_answer(request, plan_get(actor=actor(request), plan_id=pk))

    @extend_schema(
        tags=[TAG_PLANS],
        summary="Sửa văn bản kế hoạch · Change the plan's text",
        description=doc(
            "Sửa phần đầu (số, ngày, nơi, cơ quan, trích yếu), nội dung (đề nghị, mục đích, yêu"
            " cầu, kinh phí, kết, nơi nhận) và chữ ký của kế hoạch dự thảo, như trang sửa văn"
            " bản; chỉ các trường gửi lên thay đổi. Có lỗi thì không lưu gì (lỗi theo trường).",
            "Change a draft plan's header (number, date, place, bodies, title), texts (proposal,"
            " purposes, requirements, budget, closing, recipients) and signature, as the text"
            " page does; only the fields sent change. Nothing is saved on any error (errors by"
            " field).",
        ),
        request=PlanTextsIn,
        responses=PlanDetailOut,
    )
    def patch(self, request: Request, pk: int) -> Response:
        plan = writable_plan(request, pk)
        version = expected_version(request)
        incoming = PlanTextsIn(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        changes = {k: v for k, v in incoming.validated_data.items() if k != "version"}
        if isinstance(request.data, dict):  # fields it does not know: the service names them
            changes |= {k: "" for k in request.data if k not in PlanTextsIn().fields}
        plan_texts_update(
            plan=plan, actor=actor(request), expected_version=version, changes=changes
        )
        return plan_answer(request, plan_get(actor=actor(request), plan_id=pk))
