"""Difficulties raised in villages and communes: raised, answered, escalated to the commune
People's Committee."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.permissions import PLANS_EDIT, REPORTS_REVIEW
from duan8.activities.models import Difficulty
from duan8.activities.selectors.community import commune_of, difficulty_get, difficulty_list
from duan8.activities.services.difficulties import (
    difficulty_answer,
    difficulty_escalate,
    difficulty_raise,
)
from duan8.api.base import ApiList, ApiView
from duan8.api.endpoints.community.shared import (
    ORG_UNIT,
    TAG,
    created_answer,
    json_body,
    list_unit,
    unit_to_record_in,
    validated,
    visible_plan,
)
from duan8.api.errors import BadRequest
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import expected_version, with_etag
from duan8.api.who import actor
from duan8.orgunits.access import require_permission


class DifficultyOut(serializers.ModelSerializer):
    org_unit_name = serializers.CharField(source="org_unit.full_name")
    status = serializers.CharField(help_text=doc("open, escalated, answered, resolved", "Status."))
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Difficulty
        fields = [
            "id",
            "org_unit",
            "org_unit_name",
            "plan",
            "activity",
            "raised_by",
            "raised_on",
            "description",
            "status",
            "status_label",
            "escalated_on",
            "escalated_to",
            "answer",
            "answered_by",
            "answered_on",
            "version",
            "updated_at",
        ]


class DifficultyIn(serializers.Serializer):
    org_unit = serializers.IntegerField(help_text=doc("Nơi nêu.", "Where it was raised."))
    raised_by = serializers.CharField(
        max_length=255, allow_blank=True, help_text=doc("Thôn hoặc cơ quan.", "Village, agency.")
    )
    raised_on = serializers.DateField()
    description = serializers.CharField(allow_blank=True)
    plan = serializers.IntegerField(required=False, allow_null=True)


class DifficultyAnswerIn(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True, required=False, default="")
    answered_by = serializers.CharField(
        max_length=255, allow_blank=True, required=False, default=""
    )
    on = serializers.DateField(
        required=False, help_text=doc("Ngày trả lời (mặc định hôm nay).", "Default: today.")
    )
    resolved = serializers.BooleanField(required=False, default=False)
    version = serializers.IntegerField(
        required=False, help_text=doc("Phiên bản đã đọc.", "The version read.")
    )


class DifficultyEscalateIn(serializers.Serializer):
    on = serializers.DateField(
        required=False, help_text=doc("Ngày chuyển (mặc định hôm nay).", "Default: today.")
    )
    to = serializers.CharField(
        max_length=255,
        allow_blank=True,
        required=False,
        default="",
        help_text=doc("Trống: UBND xã.", "Empty: the commune's People's Committee."),
    )
    version = serializers.IntegerField(
        required=False, help_text=doc("Phiên bản đã đọc.", "The version read.")
    )


def _difficulty_answer(difficulty: Difficulty, status: int = 200) -> Response:
    data = DifficultyOut(difficulty).data
    if status == 201:
        return created_answer(data, "api:difficulty_detail", difficulty.pk, difficulty.version)
    return with_etag(Response(data), difficulty.version)


class DifficultyListApi(ApiList):
    serializer_class = DifficultyOut

    @extend_schema(
        tags=[TAG],
        summary="Khó khăn, vướng mắc · Difficulties",
        description=doc(
            "Các khó khăn nêu tại các đơn vị người gọi được xem.",
            "The difficulties raised in the units the caller may see.",
        ),
        parameters=[
            UPDATED_SINCE,
            ORG_UNIT,
            OpenApiParameter(
                "status",
                str,
                enum=Difficulty.Status.values,
                description=doc("Trạng thái.", "Status."),
            ),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[Difficulty]:
        status = self.request.query_params.get("status") or None
        if status is not None and status not in Difficulty.Status.values:
            raise BadRequest("status", _("unknown value."), "invalid_choice")
        unit = list_unit(self.request)
        if unit is None:
            return Difficulty.objects.none()
        return difficulty_list(actor=actor, unit=unit, status=status)

    @extend_schema(
        tags=[TAG],
        summary="Nêu khó khăn · Raise a difficulty",
        description=doc(
            "Ghi một khó khăn (quyền ghi kết quả thực hiện tại đơn vị), như trang “Thêm khó khăn”.",
            "Record a difficulty (the right to record in the unit), as the page does.",
        ),
        request=DifficultyIn,
        responses={201: DifficultyOut},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        user = actor(request)
        unit = unit_to_record_in(user, json_body(request).get("org_unit"))
        data = validated(DifficultyIn(data=request.data))
        difficulty = difficulty_raise(
            actor=user,
            org_unit=unit,
            raised_by=data["raised_by"],
            raised_on=data["raised_on"],
            description=data["description"],
            plan=visible_plan(user, data.get("plan")),
        )
        return _difficulty_answer(difficulty, status=201)


class DifficultyDetailApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Một khó khăn · One difficulty",
        description=doc("Khó khăn và cách giải quyết.", "The difficulty and how it was handled."),
        responses=DifficultyOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        return _difficulty_answer(difficulty_get(actor=actor(request), difficulty_id=pk))

    @extend_schema(
        tags=[TAG],
        summary="Trả lời khó khăn · Answer a difficulty",
        description=doc(
            "Ghi câu trả lời (và `resolved`: đã giải quyết): Hội LHPN xã cho khó khăn chưa"
            " chuyển, UBND xã (quyền duyệt) cho khó khăn đã chuyển lên; trên phiên bản đã đọc.",
            "Record the answer (and `resolved`): the commune Women's Union for one not"
            " escalated, the commune People's Committee (review right) for an escalated one; on"
            " the version read.",
        ),
        request=DifficultyAnswerIn,
        responses=DifficultyOut,
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = actor(request)
        difficulty = difficulty_get(actor=user, difficulty_id=pk)
        escalated = difficulty.status == Difficulty.Status.ESCALATED
        permission = REPORTS_REVIEW if escalated else PLANS_EDIT
        require_permission(user, permission, commune_of(difficulty.org_unit))
        version = expected_version(request)
        data = validated(DifficultyAnswerIn(data=json_body(request)))
        difficulty_answer(
            actor=user,
            difficulty=difficulty,
            answer=data["answer"],
            answered_by=data["answered_by"],
            on=data.get("on") or timezone.localdate(),
            resolved=data["resolved"],
            expected_version=version,
        )
        return _difficulty_answer(difficulty_get(actor=user, difficulty_id=pk))


class DifficultyEscalateApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Chuyển khó khăn lên UBND xã · Escalate a difficulty",
        description=doc(
            "Hội LHPN xã (quyền sửa kế hoạch của xã) chuyển khó khăn chưa giải quyết lên UBND xã;"
            " trên phiên bản đã đọc (If-Match hoặc `version`).",
            "The commune Women's Union (the right to write the commune's plans) passes an open"
            " difficulty to the commune People's Committee; on the version read (If-Match or"
            " `version`).",
        ),
        request=DifficultyEscalateIn,
        responses=DifficultyOut,
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        difficulty = difficulty_get(actor=user, difficulty_id=pk)
        require_permission(user, PLANS_EDIT, commune_of(difficulty.org_unit))
        version = expected_version(request)
        data = validated(DifficultyEscalateIn(data=json_body(request)))
        difficulty_escalate(
            actor=user,
            difficulty=difficulty,
            on=data.get("on") or timezone.localdate(),
            to=data["to"],
            expected_version=version,
        )
        return _difficulty_answer(difficulty_get(actor=user, difficulty_id=pk))
