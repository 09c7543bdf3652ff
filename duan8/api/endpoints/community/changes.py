"""Changes to a community group over time, as the group's page records them: a member leaving
on a day (``member_leave``, on the member's version), and the statuses the group goes through
(``community_group_status_set``), with the history of those statuses. Access is checked before
the body; a member's name appears in no answer or message for a caller without
``records.personal`` on the group's unit."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.activities.models import CommunityGroup, CommunityGroupMember, CommunityGroupStatus
from duan8.activities.selectors.community import (
    EDIT,
    PERSONAL,
    community_group_get,
    community_member_get,
    group_statuses,
)
from duan8.activities.services.groups import community_group_status_set
from duan8.activities.services.members import member_leave
from duan8.api.base import ApiView
from duan8.api.endpoints.community.shared import TAG, json_body, validated
from duan8.api.idempotency import idempotent
from duan8.api.schema import doc
from duan8.api.versions import expected_version, with_etag
from duan8.api.who import actor
from duan8.core.audit import NotVisible
from duan8.core.problems import Invalid, Problem
from duan8.orgunits.access import can, require_permission

# --- a member leaves --------------------------------------------------------------------------


class MemberLeaveIn(serializers.Serializer):
    left_on = serializers.DateField(help_text=doc("Ngày rời nhóm.", "The day the member left."))
    version = serializers.IntegerField(
        required=False,
        help_text=doc(
            "Phiên bản đã đọc của thành viên (hoặc If-Match).",
            "The member's version read (or If-Match).",
        ),
    )


class MemberLeftOut(serializers.Serializer):
    id = serializers.IntegerField()
    group = serializers.IntegerField(source="group_id")
    joined_on = serializers.DateField()
    left_on = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()


def _group_member(user: User, group: CommunityGroup, member_pk: int) -> CommunityGroupMember:
    """The member of ``group`` (404 for a member of another group, or one the caller may not
    see)."""
    member = community_member_get(actor=user, member_id=member_pk)
    if member.group_id != group.pk:
        raise NotVisible(_("Member not found."))
    return member


def _without_names(exc: Invalid, member: CommunityGroupMember) -> Invalid:
    """The service's problems, the one naming the member (already left) said without the name:
    the caller may not read the members' names."""
    problems = []
    for problem in exc.problems:
        if problem.code == "left" and member.left_on is not None:
            message = _("The member already left the group on %(date)s.") % {
                "date": member.left_on.strftime("%d/%m/%Y")
            }
            problem = Problem(problem.field, message, problem.code, problem.row)
        problems.append(problem)
    return Invalid(problems)


class CommunityMemberLeaveApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Thành viên rời nhóm · A member leaves the group",
        description=doc(
            "Ghi ngày thành viên rời nhóm (quyền ghi kết quả thực hiện tại đơn vị của nhóm), như"
            " nút “Rời nhóm” trên trang nhóm; trên phiên bản đã đọc (If-Match hoặc `version`)."
            " Trả lời không có họ tên.",
            "Record the day a member left the group (the right to record in the group's unit),"
            " as the group page's “Leave” button does; on the version read (If-Match or"
            " `version`). The answer carries no name.",
        ),
        request=MemberLeaveIn,
        responses=MemberLeftOut,
    )
    @idempotent
    def post(self, request: Request, pk: int, member_pk: int) -> Response:
        user = actor(request)
        group = community_group_get(actor=user, group_id=pk)
        member = _group_member(user, group, member_pk)
        require_permission(user, EDIT, group.org_unit)
        version = expected_version(request)
        data = validated(MemberLeaveIn(data=json_body(request)))
        try:
            member_leave(actor=user, member=member, on=data["left_on"], expected_version=version)
        except Invalid as exc:
            if can(user, PERSONAL, group.org_unit):
                raise
            raise _without_names(exc, member) from None
        return with_etag(Response(MemberLeftOut(member).data), member.version)


# --- the group's statuses ---------------------------------------------------------------------


class GroupStatusIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=CommunityGroupStatus.Status.choices)
    on = serializers.DateField(help_text=doc("Từ ngày.", "From this day."))
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class GroupStatusOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField(
        help_text=doc(
            "founded, maintained, paused, dissolved", "founded, maintained, paused, dissolved"
        )
    )
    status_display = serializers.CharField(source="get_status_display")
    on = serializers.DateField()
    note = serializers.CharField()


class GroupStatusesOut(serializers.Serializer):
    group = serializers.IntegerField()
    current = serializers.CharField(
        allow_null=True,
        help_text=doc("Tình trạng mới nhất (theo ngày).", "The latest status (by its day)."),
    )
    statuses = GroupStatusOut(many=True)


def _statuses_answer(group: CommunityGroup) -> dict:
    rows = group_statuses(group)
    return GroupStatusesOut(
        {"group": group.pk, "current": rows[-1].status if rows else None, "statuses": rows}
    ).data


class CommunityGroupStatusApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Các tình trạng của nhóm · The group's statuses",
        description=doc(
            "Các tình trạng của nhóm theo thời gian (thành lập, duy trì, tạm dừng, giải thể),"
            " từ cũ đến mới; không có dữ liệu cá nhân.",
            "The group's statuses over time (founded, maintained, paused, dissolved), oldest"
            " first; no personal data.",
        ),
        responses=GroupStatusesOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        group = community_group_get(actor=actor(request), group_id=pk)
        return Response(_statuses_answer(group))

    @extend_schema(
        tags=[TAG],
        summary="Ghi tình trạng của nhóm · Record the group's status",
        description=doc(
            "Ghi tình trạng của nhóm từ một ngày (quyền ghi kết quả thực hiện tại đơn vị của"
            " nhóm), như ô “Tình trạng” trên trang nhóm; ngày không trước ngày thành lập, không"
            " ở tương lai, không trong kỳ đã khóa.",
            "Record the group's status from a day (the right to record in the group's unit), as"
            " the group page's “Status” box does; the day not before the group was founded, not"
            " in the future, not in a locked period.",
        ),
        request=GroupStatusIn,
        responses={201: GroupStatusOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        group = community_group_get(actor=user, group_id=pk)
        require_permission(user, EDIT, group.org_unit)
        data = validated(GroupStatusIn(data=json_body(request)))
        row = community_group_status_set(
            actor=user, group=group, status=data["status"], on=data["on"], note=data["note"]
        )
        location = reverse("api:community_group_status", kwargs={"pk": group.pk})
        return Response(GroupStatusOut(row).data, status=201, headers={"Location": location})
