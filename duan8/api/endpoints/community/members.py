"""The members of a community group: counts by sex and ethnicity for everyone who may see the
group, names, ethnicity and years of birth for holders of ``records.personal`` (audited);
adding members, all or none."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.activities.models import CommunityGroup, CommunityGroupMember
from duan8.activities.selectors.community import (
    EDIT,
    GroupMembers,
    community_group_get,
    group_members,
)
from duan8.activities.services.members import MemberInput, member_check, members_add
from duan8.api.base import ApiView, query_date
from duan8.api.endpoints.community.shared import TAG, ethnic_group_by_code, json_body
from duan8.api.idempotency import idempotent
from duan8.api.schema import doc
from duan8.api.who import actor
from duan8.core.problems import Invalid, Problem
from duan8.orgunits.access import require_permission


class MemberCountCellOut(serializers.Serializer):
    minority = serializers.IntegerField(help_text=doc("Dân tộc thiểu số.", "Ethnic minority."))
    other = serializers.IntegerField(help_text=doc("Khác.", "Others."))
    total = serializers.IntegerField()


class MemberCountsOut(serializers.Serializer):
    women = MemberCountCellOut()
    men = MemberCountCellOut()
    total = MemberCountCellOut()
    former = serializers.IntegerField(help_text=doc("Đã rời nhóm.", "Members who have left."))
    men_percent = serializers.IntegerField(allow_null=True)


class GroupMemberOut(serializers.Serializer):
    id = serializers.IntegerField(source="member.id")
    full_name = serializers.CharField(source="member.full_name")
    sex = serializers.CharField(source="member.sex", help_text=doc("F: nữ, M: nam.", "F, M."))
    ethnic_group = serializers.CharField(
        source="member.ethnic_group.code", allow_null=True, default=None
    )
    ethnic_group_name = serializers.CharField(
        source="member.ethnic_group.name", allow_null=True, default=None
    )
    birth_year = serializers.IntegerField(source="member.birth_year", allow_null=True)
    role = serializers.CharField(
        source="member.role", help_text=doc("leader, deputy, core, member", "The role.")
    )
    joined_on = serializers.DateField(source="member.joined_on")
    left_on = serializers.DateField(source="member.left_on", allow_null=True)
    is_current = serializers.BooleanField()
    version = serializers.IntegerField(source="member.version")


class GroupMembersOut(serializers.Serializer):
    group = serializers.IntegerField()
    on = serializers.DateField()
    personal = serializers.BooleanField(
        help_text=doc(
            "Người gọi được xem họ tên, dân tộc, năm sinh (quyền records.personal).",
            "The caller may read names, ethnicity, years of birth (records.personal).",
        )
    )
    counts = MemberCountsOut()
    members = GroupMemberOut(
        many=True,
        help_text=doc(
            "Chỉ với quyền records.personal (mỗi lần đọc được ghi nhật ký); nếu không: rỗng.",
            "Only with records.personal (each read is audited); otherwise empty.",
        ),
    )


class GroupMemberIn(serializers.Serializer):
    full_name = serializers.CharField(max_length=120, allow_blank=True)
    sex = serializers.CharField(max_length=1, allow_blank=True, help_text="F, M")
    ethnic_group = serializers.CharField(
        max_length=4,
        allow_blank=True,
        allow_null=True,
        help_text=doc("Mã dân tộc (QĐ 121-TCTK), ví dụ 19.", "Ethnic group code, e.g. 19."),
    )
    birth_year = serializers.IntegerField(required=False, allow_null=True)
    role = serializers.CharField(
        max_length=10, required=False, default=CommunityGroupMember.Role.MEMBER
    )
    joined_on = serializers.DateField()


class GroupMembersIn(serializers.Serializer):
    members = GroupMemberIn(
        many=True, help_text=doc("Từ 1 đến 200 người.", "From 1 to 200 persons.")
    )


MEMBERS_MAX = 200


def _members_answer(user: User, group: CommunityGroup, on: datetime.date) -> dict[str, Any]:
    found: GroupMembers = group_members(actor=user, group=group, on=on)
    counts = found.counts
    return GroupMembersOut(
        {
            "group": group.pk,
            "on": on,
            "personal": found.personal,
            "counts": {
                "women": counts.women,
                "men": counts.men,
                "total": counts.total,
                "former": counts.former,
                "men_percent": counts.men_percent,
            },
            "members": found.people,
        }
    ).data


def _member_inputs(raw: Any) -> list[MemberInput]:
    """The members of the body, each checked for its types; a problem of the n-th is on row n
    (no row when there is one), as the service numbers its own. When a row's types are wrong,
    the others are checked by the service's own ``member_check`` too, so one answer lists all."""
    if not isinstance(raw, list) or not raw:
        raise Invalid([Problem("members", _("Send a list of at least one member."), "required")])
    if len(raw) > MEMBERS_MAX:
        message = _("At most %(most)s members at once.") % {"most": MEMBERS_MAX}
        raise Invalid([Problem("members", message, "max_length")])
    many = len(raw) > 1
    problems: list[Problem] = []
    inputs: list[MemberInput] = []
    rows: list[int | None] = []
    for number, item in enumerate(raw, start=1):
        row = number if many else None
        serializer = GroupMemberIn(data=item if isinstance(item, dict) else {})
        if not serializer.is_valid():
            problems += [
                Problem(field, str(error), getattr(error, "code", "invalid"), row)
                for field, errors in serializer.errors.items()
                for error in errors
            ]
            continue
        data = serializer.validated_data
        try:
            ethnic_group = ethnic_group_by_code(data.get("ethnic_group"))
        except Invalid as exc:
            problems += [Problem(p.field, p.message, p.code, row) for p in exc.problems]
            continue
        person = MemberInput(
            full_name=data["full_name"],
            sex=data["sex"],
            ethnic_group=ethnic_group,
            joined_on=data["joined_on"],
            birth_year=data.get("birth_year"),
            role=data.get("role") or CommunityGroupMember.Role.MEMBER,
        )
        inputs.append(person)
        rows.append(row)
    if problems:
        for person, row in zip(inputs, rows, strict=True):
            problems += [Problem(p.field, p.message, p.code, row) for p in member_check(person)]
        raise Invalid(sorted(problems, key=lambda p: p.row or 0))
    return inputs


class CommunityGroupMembersApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Thành viên của nhóm · Members of a group",
        description=doc(
            "Số thành viên vào ngày `on` (mặc định hôm nay) theo giới tính và dân tộc cho mọi"
            " người được xem nhóm; họ tên, dân tộc, năm sinh chỉ cho người có quyền"
            " records.personal tại đơn vị của nhóm, và mỗi lần đọc được ghi vào nhật ký.",
            "Members on the day `on` (default today) by sex and ethnicity for everyone who may"
            " see the group; names, ethnicity and years of birth only for holders of"
            " records.personal on the group's unit, and each such read is audited.",
        ),
        parameters=[
            OpenApiParameter(
                "on", OpenApiTypes.DATE, description=doc("Vào ngày này.", "On this day.")
            )
        ],
        responses=GroupMembersOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        user = actor(request)
        group = community_group_get(actor=user, group_id=pk)
        on = query_date(request, "on") or timezone.localdate()
        return Response(_members_answer(user, group, on))

    @extend_schema(
        tags=[TAG],
        summary="Thêm thành viên · Add members",
        description=doc(
            "Thêm một hoặc nhiều người vào nhóm, tất cả hoặc không ai (lỗi của người thứ n ở"
            " dòng n); trả lời là danh sách thành viên như GET.",
            "Add one or more persons to the group, all or none (the n-th person's problems are"
            " on row n); the answer is the members as GET gives them.",
        ),
        request=GroupMembersIn,
        responses={201: GroupMembersOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        group = community_group_get(actor=user, group_id=pk)
        require_permission(user, EDIT, group.org_unit)
        inputs = _member_inputs(json_body(request).get("members"))
        members_add(actor=user, group=group, members=inputs)
        return Response(_members_answer(user, group, timezone.localdate()), status=201)
