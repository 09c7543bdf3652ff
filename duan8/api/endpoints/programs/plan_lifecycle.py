"""Plans, their life: starting a unit's new draft plan for a year (``plan_new``, as the “New plan”
page), starting the amendment of an approved plan (``plan_amend``) and discarding a draft
amendment (``plan_amendment_discard``), as the amendment pages do.

Access first, through the same rule as the pages (``plan_access``): a unit or plan the caller
does not see is 404, one they may not write is 403, before the body is read.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.api.base import ApiView
from duan8.api.endpoints.programs.shared import TAG_PLANS, PlanDetailOut, plan_answer, writable_plan
from duan8.api.idempotency import idempotent
from duan8.api.schema import doc
from duan8.api.versions import expected_version
from duan8.api.who import actor
from duan8.core.audit import NotVisible
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.amendments import plan_amend, plan_amendment_discard
from duan8.programs.models import Plan
from duan8.programs.plan_access import require_plan_write
from duan8.programs.plan_new import SOURCES, plan_new
from duan8.programs.selectors import plan_get

# the reason's column is a text; the bound only caps a body (the page's text area has none)
REASON_LIMIT = 5000


def _created(request: Request, plan: Plan) -> Response:
    """The new draft as the plan's detail answers it: 201, its address and version."""
    response = plan_answer(request, plan_get(actor=actor(request), plan_id=plan.pk))
    response.status_code = 201
    url = reverse("api:plan_detail", kwargs={"pk": plan.pk})
    response["Location"] = request.build_absolute_uri(url)
    return response


def _writable_unit(request: Request, pk: int) -> OrgUnit:
    """The unit if the caller sees it and it makes plans (else 404) and the caller may write its
    plans (else 403), before the body is read: the “New plan” page's check."""
    who = actor(request)
    unit = (
        org_units_visible_to(who)
        .filter(pk=pk)
        .exclude(level=OrgUnit.Level.VILLAGE)
        .select_related("parent")
        .first()
    )
    if unit is None:
        raise NotVisible(_("Administrative unit not found."))
    require_plan_write(who, unit)
    return unit


class PlanNewIn(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    # a text checked here, not a ChoiceField: the schema's enum would collide with the funds'
    # ``source`` (nstw, nsdp), and a declared field, not DRF's Field.source attribute
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=20,
        help_text=doc(
            "previous: sao cấu trúc, căn cứ, nội dung của kế hoạch năm trước; empty: trống theo cơ"
            " cấu chương trình năm đó; assigned: các chỉ tiêu cấp trên (tỉnh, huyện) đã giao.",
            "previous: the structure, legal bases and texts of the unit's previous plan; empty:"
            " the program structure in force that year; assigned: the targets the level above"
            " (province, district) assigned.",
        ),
    )
    carry_targets = serializers.BooleanField(
        required=False,
        default=False,
        help_text=doc(
            "Với previous: chép cả chỉ tiêu của kế hoạch trước.",
            "With previous: carry the previous plan's targets over.",
        ),
    )

    def validate_source(self, value: str) -> str:
        if value not in SOURCES:
            raise serializers.ValidationError(
                _("Choose where the new plan starts from."), "invalid_choice"
            )
        return value


class PlanNewApi(ApiView):
    @extend_schema(
        tags=[TAG_PLANS],
        summary="Lập kế hoạch mới · Start a new plan",
        description=doc(
            "Tạo kế hoạch dự thảo của đơn vị cho một năm (chưa có số và ngày), như trang Lập kế"
            " hoạch mới. Mỗi đơn vị một kế hoạch một năm: năm đã có kế hoạch thì 400 theo"
            " trường `year`. Đơn vị không thấy: 404; không có quyền sửa kế hoạch: 403.",
            "Create the unit's draft plan for a year (no number or date yet), as the New plan page"
            " does. One plan per unit and year: a year that has one is a 400 on `year`. A unit"
            " the caller does not see: 404; no right to write its plans: 403.",
        ),
        request=PlanNewIn,
        responses={201: PlanDetailOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        unit = _writable_unit(request, pk)
        incoming = PlanNewIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        result = plan_new(
            actor=actor(request),
            unit=unit,
            year=data["year"],
            source=data["source"],
            carry_targets=data["carry_targets"],
        )
        return _created(request, result.plan)


class PlanAmendIn(serializers.Serializer):
    # blank and missing values are the service's checks, by field, as on the page
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=REASON_LIMIT, default=""
    )
    in_force_from = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=doc(
            "Ngày có hiệu lực, trong năm của kế hoạch.", "The day it takes effect, in the year."
        ),
    )


class PlanAmendApi(ApiView):
    @extend_schema(
        tags=[TAG_PLANS],
        summary="Điều chỉnh kế hoạch · Start an amendment",
        description=doc(
            "Bắt đầu điều chỉnh kế hoạch đã phê duyệt: một bản dự thảo sao từ phiên bản đang có"
            " hiệu lực, với lý do và ngày có hiệu lực, sửa và phê duyệt như mọi dự thảo. Kế hoạch"
            " chưa phê duyệt, đã bị thay thế, hoặc đang có bản điều chỉnh dự thảo: 400.",
            "Start the amendment of an approved plan: a draft copied from the version in force,"
            " with the reason and the day it takes effect, edited and approved like any draft. A"
            " plan not approved, superseded, or with an amendment already in draft: 400.",
        ),
        request=PlanAmendIn,
        responses={201: PlanDetailOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        plan = writable_plan(request, pk)
        incoming = PlanAmendIn(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        draft = plan_amend(
            actor=actor(request),
            plan=plan,
            reason=data["reason"],
            in_force_from=data["in_force_from"],
        )
        return _created(request, draft)


class PlanDiscardIn(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, min_value=0, help_text=doc("Hoặc If-Match.", "Or If-Match.")
    )


class PlanAmendmentDiscardApi(ApiView):
    @extend_schema(
        tags=[TAG_PLANS],
        summary="Huỷ bản điều chỉnh dự thảo · Discard a draft amendment",
        description=doc(
            "Huỷ bản điều chỉnh dự thảo (kế hoạch này): nó và những gì đã sao vào nó bị xoá,"
            " phiên bản nó điều chỉnh vẫn có hiệu lực và được trả về. Gửi phiên bản (If-Match"
            " hoặc “version”); phiên bản cũ: 409. Không phải bản điều chỉnh dự thảo, hoặc đã có"
            " hồ sơ (sự kiện, nhóm) ghi theo nó: 400.",
            "Discard this draft amendment: it and what was copied into it are deleted, the"
            " version it amends stays in force and is answered. Send the version (If-Match or"
            " “version”); a stale one: 409. Not a draft amendment, or records (events, groups)"
            " entered under it: 400.",
        ),
        request=PlanDiscardIn,
        responses=PlanDetailOut,
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        plan = writable_plan(request, pk)
        version = expected_version(request)
        amended = plan_amendment_discard(actor=actor(request), plan=plan, expected_version=version)
        return plan_answer(request, plan_get(actor=actor(request), plan_id=amended.pk))
