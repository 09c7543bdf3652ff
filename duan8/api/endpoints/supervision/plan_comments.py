"""Supervision's API: the social feedback (phản biện xã hội) on a draft plan."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.accounts.permissions import PLANS_VIEW, SUPERVISION_RECORD
from duan8.api.base import ApiList
from duan8.api.endpoints.supervision.shared import (
    TAG_FEEDBACK,
    Choice,
    ElementRefOut,
    Ref,
    Text,
    _field_queryset,
    _valid,
)
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import with_etag
from duan8.api.who import actor
from duan8.core.audit import NotVisible
from duan8.orgunits.access import can, require_permission
from duan8.programs.models import Plan, ProgramElement
from duan8.programs.selectors import plan_get
from duan8.supervision.feedback import plan_comment_create, plan_lines
from duan8.supervision.models import PlanComment, Session

# --- output ------------------------------------------------------------------------------------


class PlanCommentOut(serializers.ModelSerializer):
    line = ElementRefOut(allow_null=True)
    body_label = serializers.CharField(source="get_body_display")
    handling_label = serializers.CharField(source="get_handling_display")

    class Meta:
        model = PlanComment
        fields = [
            "id",
            "plan",
            "line",
            "body",
            "body_label",
            "text",
            "handling",
            "handling_label",
            "reply",
            "created_at",
            "updated_at",
            "version",
        ]


# --- input -------------------------------------------------------------------------------------


class PlanCommentIn(serializers.Serializer):
    body = Choice(choices=Session.Body.choices)
    text = Text(max_length=4000)
    line = Ref(
        queryset=ProgramElement.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text=doc("Dòng của kế hoạch (không có: cả kế hoạch).", "The plan line (none: all)."),
    )

    def __init__(self, *args: Any, plan: Plan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if plan is None:
            return  # the schema's instance
        _field_queryset(self, "line", plan_lines(plan))


# --- social feedback on a draft plan -----------------------------------------------------------


def _plan_readable(user: User, pk: int) -> Plan:
    """The plan, as its page's feedback panel shows it: to readers of the plan."""
    plan = plan_get(actor=user, plan_id=pk)
    if not can(user, PLANS_VIEW, plan.issuing_unit):
        raise NotVisible(_("Plan not found."))
    return plan


class PlanCommentsApi(ApiList):
    serializer_class = PlanCommentOut

    @extend_schema(
        tags=[TAG_FEEDBACK],
        summary="Góp ý phản biện của một kế hoạch · A plan's social feedback",
        description=doc(
            "Góp ý của MTTQ và Hội LHPN về dự thảo kế hoạch, và cách xử lý.",
            "The Fatherland Front's and the Women's Union's comments on the draft plan, and how"
            " they were handled.",
        ),
        parameters=[UPDATED_SINCE],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[PlanComment]:
        plan = _plan_readable(actor, self.kwargs["pk"])
        return PlanComment.objects.filter(plan_id=plan.pk).select_related("line")

    @extend_schema(
        tags=[TAG_FEEDBACK],
        summary="Góp ý dự thảo kế hoạch · Comment on a draft plan",
        description=doc(
            "Cho MTTQ và Hội LHPN (quyền `supervision.record` ở đơn vị ban hành), khi kế hoạch"
            " còn là dự thảo; như khung “Phản biện xã hội” của trang kế hoạch.",
            "For the Fatherland Front and the Women's Union (`supervision.record` on the issuing"
            " unit) while the plan is a draft; as the plan page's “Social feedback” panel.",
        ),
        request=PlanCommentIn,
        responses={201: PlanCommentOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        plan = _plan_readable(user, pk)
        require_permission(user, SUPERVISION_RECORD, plan.issuing_unit)
        d = _valid(PlanCommentIn(data=request.data, plan=plan))
        comment = plan_comment_create(
            actor=user, plan=plan, body=d["body"], text=d["text"], line=d.get("line")
        )
        response = Response(PlanCommentOut(comment).data, status=201)
        response["Location"] = reverse("api:supervision_plan_comments", args=[plan.pk])
        return with_etag(response, comment.version)
