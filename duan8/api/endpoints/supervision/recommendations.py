"""Supervision's API: the recommendations (add, list) followed to their answer and its review."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.accounts.permissions import RECORDS_VIEW, SUPERVISION_ANSWER
from duan8.api.base import ApiList, ApiView
from duan8.api.endpoints.supervision.shared import (
    TAG,
    Day,
    Number,
    Ref,
    Text,
    UnitRefOut,
    _field_queryset,
    _query_bool,
    _query_choice,
    _unit_filter,
    _valid,
)
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import expected_version, with_etag
from duan8.api.who import actor
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.supervision.follow_up import (
    recommendation_answer,
    recommendation_create,
    recommendation_review,
)
from duan8.supervision.models import Finding, Recommendation, Session
from duan8.supervision.selectors import addressee_units, recommendation_get, session_get
from duan8.supervision.services import require_supervisor

# --- output ------------------------------------------------------------------------------------


class RecommendationOut(serializers.ModelSerializer):
    addressee = UnitRefOut()
    status_label = serializers.CharField(source="get_status_display")
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "session",
            "finding",
            "text",
            "addressee",
            "addressee_body",
            "due_on",
            "status",
            "status_label",
            "overdue",
            "answer",
            "answered_on",
            "review_note",
            "reviewed_on",
            "updated_at",
            "version",
        ]

    def get_overdue(self, recommendation: Recommendation) -> bool:
        return recommendation.is_overdue(timezone.localdate())


# --- input -------------------------------------------------------------------------------------


class RecommendationIn(serializers.Serializer):
    text = Text(max_length=4000)
    addressee = Ref(
        queryset=OrgUnit.objects.none(),
        help_text=doc("Đơn vị chịu trách nhiệm trả lời.", "The unit responsible for answering."),
    )
    addressee_body = Text(max_length=255, required=False, allow_blank=True, default="")
    due_on = Day(help_text=doc("Hạn trả lời.", "Deadline for the answer."))
    finding = Ref(queryset=Finding.objects.none(), required=False, allow_null=True, default=None)

    def __init__(
        self, *args: Any, actor: User | None = None, session: Session | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if actor is None or session is None:
            return  # the schema's instance
        _field_queryset(self, "addressee", addressee_units(actor=actor, unit=session.org_unit))
        _field_queryset(self, "finding", session.findings.all())


class AnswerIn(serializers.Serializer):
    answer = Text(max_length=4000)
    version = Number(
        required=False,
        help_text=doc(
            "Phiên bản đã đọc (hoặc gửi If-Match); thiếu cả hai: 428.",
            "The version read (or send If-Match); without either: 428.",
        ),
    )


class ReviewIn(serializers.Serializer):
    note = Text(max_length=2000, required=False, allow_blank=True, default="")
    version = Number(
        required=False,
        help_text=doc(
            "Phiên bản đã đọc (hoặc gửi If-Match); thiếu cả hai: 428.",
            "The version read (or send If-Match); without either: 428.",
        ),
    )


# --- helpers -----------------------------------------------------------------------------------


def _recommendation_answer(recommendation: Recommendation, status: int = 200) -> Response:
    return with_etag(
        Response(RecommendationOut(recommendation).data, status=status), recommendation.version
    )


def _recommendation_reviewed(request: Request, pk: int, *, accept: bool) -> Response:
    user = actor(request)
    recommendation = recommendation_get(actor=user, recommendation_id=pk)
    require_supervisor(user, recommendation.session)
    data = _valid(ReviewIn(data=request.data))
    recommendation = recommendation_review(
        actor=user,
        recommendation=recommendation,
        accept=accept,
        note=data.get("note", ""),
        expected_version=expected_version(request),
    )
    return _recommendation_answer(recommendation)


# --- recommendations ---------------------------------------------------------------------------


class RecommendationCreateApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Thêm kiến nghị · Add a recommendation",
        description=doc(
            "Cho người giám sát đã ghi cuộc giám sát: gửi tới xã hoặc một thôn của xã, với hạn"
            " trả lời.",
            "For the supervisors who recorded the session: to the commune or one of its villages,"
            " with a deadline.",
        ),
        request=RecommendationIn,
        responses={201: RecommendationOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        session = session_get(actor=user, session_id=pk)
        require_supervisor(user, session)
        d = _valid(RecommendationIn(data=request.data, actor=user, session=session))
        recommendation = recommendation_create(
            actor=user,
            session=session,
            finding=d.get("finding"),
            text=d["text"],
            addressee=d["addressee"],
            addressee_body=d.get("addressee_body", ""),
            due_on=d["due_on"],
        )
        response = _recommendation_answer(recommendation, 201)
        response["Location"] = reverse("api:supervision_session_detail", args=[session.pk])
        return response


class RecommendationListApi(ApiList):
    serializer_class = RecommendationOut

    @extend_schema(
        tags=[TAG],
        summary="Các kiến nghị · Recommendations",
        description=doc(
            "Kiến nghị của các cuộc giám sát người gọi được xem, và kiến nghị gửi tới đơn vị"
            " của người gọi (để trả lời). `overdue=true`: còn chờ trả lời và quá hạn.",
            "Recommendations of the sessions the caller may read, and those addressed to the"
            " caller's units (to answer). `overdue=true`: waiting for an answer, past deadline.",
        ),
        parameters=[
            OpenApiParameter("status", str, enum=Recommendation.Status.values),
            OpenApiParameter("overdue", OpenApiTypes.BOOL),
            OpenApiParameter(
                "org_unit",
                int,
                description=doc(
                    "Đơn vị được giám sát hoặc đơn vị trả lời (và các thôn).",
                    "The unit supervised or the responsible unit (and its villages).",
                ),
            ),
            UPDATED_SINCE,
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[Recommendation]:
        request = self.request
        status = _query_choice(request, "status", Recommendation.Status.values)
        overdue = _query_bool(request, "overdue")
        unit = _unit_filter(request, actor)
        if unit is False:
            return Recommendation.objects.none()
        # the rule of ``recommendation_get``: the session's readers, and the responsible unit
        found = Recommendation.objects.filter(
            Q(session__org_unit__in=org_units_visible_to(actor, RECORDS_VIEW))
            | Q(addressee__in=org_units_visible_to(actor, SUPERVISION_ANSWER))
        ).select_related("addressee")
        if isinstance(unit, OrgUnit):
            found = found.filter(
                Q(session__org_unit__path__startswith=unit.path)
                | Q(addressee__path__startswith=unit.path)
            )
        if status is not None:
            found = found.filter(status=status)
        today = timezone.localdate()
        overdue_q = Q(status=Recommendation.Status.OPEN, due_on__lt=today)
        if overdue is True:
            found = found.filter(overdue_q)
        elif overdue is False:
            found = found.exclude(overdue_q)
        return found


class RecommendationAnswerApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Trả lời kiến nghị · Answer a recommendation",
        description=doc(
            "Chỉ đơn vị chịu trách nhiệm (quyền `supervision.answer` ở đơn vị đó), như trang"
            " “Trả lời”; kiến nghị phải đang chờ trả lời.",
            "Only the responsible unit (`supervision.answer` there), as the “Answer” page; the"
            " recommendation must be waiting for an answer.",
        ),
        request=AnswerIn,
        responses=RecommendationOut,
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        recommendation = recommendation_get(actor=user, recommendation_id=pk)
        require_permission(user, SUPERVISION_ANSWER, recommendation.addressee)
        data = _valid(AnswerIn(data=request.data))
        recommendation = recommendation_answer(
            actor=user,
            recommendation=recommendation,
            answer=data["answer"],
            expected_version=expected_version(request),
        )
        return _recommendation_answer(recommendation)


class RecommendationAcceptApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Chấp nhận câu trả lời · Accept the answer",
        description=doc(
            "Người giám sát đã ghi cuộc giám sát chấp nhận câu trả lời.",
            "The supervisors who recorded the session accept the answer.",
        ),
        request=ReviewIn,
        responses=RecommendationOut,
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        return _recommendation_reviewed(request, pk, accept=True)


class RecommendationKeepOpenApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Giữ kiến nghị mở · Keep it open",
        description=doc(
            "Người giám sát không chấp nhận câu trả lời: kiến nghị chờ trả lời lại; nêu lý do"
            " (`note`).",
            "The supervisors do not accept the answer: the recommendation waits for a new answer;"
            " say why (`note`).",
        ),
        request=ReviewIn,
        responses=RecommendationOut,
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        return _recommendation_reviewed(request, pk, accept=False)
