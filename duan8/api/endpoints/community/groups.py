"""Community groups (teams, clubs, trusted addresses, livelihood groups): the list with each
group's status and members on a day, one group with its statuses over time, founding one and
changing one."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.activities.models import CommunityGroup
from duan8.activities.selectors.community import (
    EDIT,
    community_group_get,
    community_group_list,
    group_statuses,
)
from duan8.activities.services.groups import (
    GroupInput,
    community_group_create,
    community_group_update,
)
from duan8.api.base import ApiList, ApiView, query_date
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
from duan8.orgunits.models import OrgUnit

GROUP_KINDS = doc(
    "communication_team, change_club, trusted_address, livelihood_group, cooperative_group,"
    " cooperative",
    "The kind of group.",
)


class CommunityGroupStatusOut(serializers.Serializer):
    status = serializers.CharField(
        help_text=doc("founded, maintained, paused, dissolved", "The status.")
    )
    status_label = serializers.CharField(source="get_status_display")
    on = serializers.DateField(help_text=doc("Từ ngày.", "From this day."))
    note = serializers.CharField()


class CommunityGroupOut(serializers.ModelSerializer):
    # Choices as plain text (their meanings in the help): no enum shared with other schemas.
    kind = serializers.CharField(help_text=GROUP_KINDS)
    women_leadership = serializers.CharField(help_text=doc("Trống, lead, co_lead.", "Leadership."))
    channel = serializers.CharField(help_text=doc("Trống, zalo, facebook, other.", "Channel."))
    kind_label = serializers.CharField(source="get_kind_display")
    org_unit_name = serializers.CharField(source="org_unit.full_name")
    status = serializers.CharField(
        source="status_now",
        allow_null=True,
        help_text=doc(
            "Trạng thái hôm nay (hoặc ngày `on`).", "The status today (or on the day `on`)."
        ),
    )
    status_since = serializers.DateField(allow_null=True)
    members = serializers.IntegerField(
        source="members_now", help_text=doc("Số thành viên.", "Members.")
    )
    men = serializers.IntegerField(source="men_now", help_text=doc("Số nam.", "Men."))

    class Meta:
        model = CommunityGroup
        fields = [
            "id",
            "kind",
            "kind_label",
            "name",
            "org_unit",
            "org_unit_name",
            "school",
            "founded_on",
            "plan",
            "women_leadership",
            "channel",
            "channel_address",
            "equipment",
            "notes",
            "status",
            "status_since",
            "members",
            "men",
            "version",
            "updated_at",
        ]


class CommunityGroupDetailOut(CommunityGroupOut):
    statuses = serializers.SerializerMethodField()

    class Meta(CommunityGroupOut.Meta):
        fields = [*CommunityGroupOut.Meta.fields, "statuses"]

    @extend_schema_field(CommunityGroupStatusOut(many=True))
    def get_statuses(self, group: CommunityGroup) -> Any:
        return CommunityGroupStatusOut(group_statuses(group), many=True).data


class CommunityGroupIn(serializers.Serializer):
    kind = serializers.CharField(max_length=30, help_text=GROUP_KINDS)
    name = serializers.CharField(max_length=255, allow_blank=True)
    org_unit = serializers.IntegerField(help_text=doc("Thôn hoặc xã.", "Village or commune."))
    founded_on = serializers.DateField()
    plan = serializers.IntegerField(required=False, allow_null=True)
    school = serializers.CharField(max_length=255, required=False, allow_blank=True)
    women_leadership = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        help_text=doc("Trống, lead, co_lead.", "Empty, lead or co_lead."),
    )
    channel = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        help_text=doc("Trống, zalo, facebook, other.", "Empty, zalo, facebook or other."),
    )
    channel_address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    equipment = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class CommunityGroupPatchIn(CommunityGroupIn):
    version = serializers.IntegerField(
        required=False, help_text=doc("Phiên bản đã đọc.", "The version read.")
    )


def _group_input(user: User, data: dict[str, Any], unit: OrgUnit, group: Any = None) -> GroupInput:
    """The service's input: the body's fields, and for a change the recorded ones it leaves."""

    def value(name: str, default: Any = "") -> Any:
        if name in data:
            return data[name]
        return getattr(group, name) if group is not None else default

    plan = visible_plan(user, data["plan"]) if "plan" in data else (group.plan if group else None)
    return GroupInput(
        kind=value("kind"),
        name=value("name"),
        org_unit=unit,
        founded_on=value("founded_on", None),
        plan=plan,
        school=value("school"),
        women_leadership=value("women_leadership"),
        channel=value("channel"),
        channel_address=value("channel_address"),
        equipment=value("equipment"),
        notes=value("notes"),
    )


def _group_read(user: User, group_id: int) -> CommunityGroup:
    """The group with its status and member counts of today (the list's annotations)."""
    group = community_group_get(actor=user, group_id=group_id)
    row = (
        community_group_list(actor=user, unit=group.org_unit, on=timezone.localdate())
        .filter(pk=group.pk)
        .first()
    )
    if row is None:  # founded after today: no status nor members yet
        for name, value in (("status_now", None), ("status_since", None)):
            setattr(group, name, value)
        for name in ("members_now", "men_now"):
            setattr(group, name, 0)
        return group
    return row


def _group_answer(user: User, group_id: int, status: int = 200) -> Response:
    group = _group_read(user, group_id)
    data = CommunityGroupDetailOut(group).data
    if status == 201:
        return created_answer(data, "api:community_group_detail", group.pk, group.version)
    return with_etag(Response(data, status=status), group.version)


class CommunityGroupListApi(ApiList):
    serializer_class = CommunityGroupOut

    @extend_schema(
        tags=[TAG],
        summary="Danh sách nhóm cộng đồng · Community groups",
        description=doc(
            "Các tổ, câu lạc bộ, địa chỉ tin cậy, tổ nhóm sinh kế trong các đơn vị người gọi được"
            " xem, với trạng thái và số thành viên vào ngày `on` (mặc định: hôm nay).",
            "The teams, clubs, trusted addresses and livelihood groups in the units the caller"
            " may see, with their status and members on the day `on` (default: today).",
        ),
        parameters=[
            UPDATED_SINCE,
            ORG_UNIT,
            OpenApiParameter(
                "kind",
                str,
                enum=CommunityGroup.Kind.values,
                description=doc("Loại nhóm.", "Kind of group."),
            ),
            OpenApiParameter(
                "on", OpenApiTypes.DATE, description=doc("Vào ngày này.", "On this day.")
            ),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[CommunityGroup]:
        request = self.request
        on = query_date(request, "on") or timezone.localdate()
        kind = request.query_params.get("kind") or None
        if kind is not None and kind not in CommunityGroup.Kind.values:
            raise BadRequest(
                "kind", _("“%(value)s” is not a kind of group.") % {"value": kind[:40]}
            )
        unit = list_unit(request)
        if unit is None:
            return CommunityGroup.objects.none()
        return community_group_list(actor=actor, unit=unit, on=on, kind=kind)

    @extend_schema(
        tags=[TAG],
        summary="Lập nhóm cộng đồng · Found a community group",
        description=doc(
            "Ghi một nhóm mới (quyền ghi kết quả thực hiện tại thôn hoặc xã của nhóm), như trang"
            " “Thêm nhóm”; thành viên thêm qua `/community-groups/{id}/members/`.",
            "Record a new group (the right to record in its village or commune), as the page"
            " “Add a group” does; members are added through `/community-groups/{id}/members/`.",
        ),
        request=CommunityGroupIn,
        responses={201: CommunityGroupDetailOut},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        user = actor(request)
        unit = unit_to_record_in(user, json_body(request).get("org_unit"))
        data = validated(CommunityGroupIn(data=request.data))
        group = community_group_create(actor=user, data=_group_input(user, data, unit))
        return _group_answer(user, group.pk, status=201)


class CommunityGroupDetailApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Một nhóm cộng đồng · One community group",
        description=doc(
            "Nhóm, trạng thái và số thành viên hôm nay, và các trạng thái theo thời gian.",
            "The group, its status and members today, and its statuses over time.",
        ),
        responses=CommunityGroupDetailOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        return _group_answer(actor(request), pk)

    @extend_schema(
        tags=[TAG],
        summary="Sửa nhóm cộng đồng · Change a community group",
        description=doc(
            "Đổi các trường gửi lên (các trường khác giữ nguyên), trên phiên bản đã đọc.",
            "Change the fields sent (the others stay), on the version read.",
        ),
        request=CommunityGroupPatchIn,
        responses=CommunityGroupDetailOut,
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = actor(request)
        group = community_group_get(actor=user, group_id=pk)
        require_permission(user, EDIT, group.org_unit)
        version = expected_version(request)
        body = json_body(request)
        unit = group.org_unit
        if "org_unit" in body and body["org_unit"] != group.org_unit_id:
            unit = unit_to_record_in(user, body["org_unit"])
        data = validated(CommunityGroupPatchIn(data=body, partial=True))
        community_group_update(
            actor=user,
            group=group,
            data=_group_input(user, data, unit, group),
            expected_version=version,
        )
        return _group_answer(user, group.pk)
