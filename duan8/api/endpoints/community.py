"""Community groups (teams, clubs, trusted addresses, livelihood groups) with their members,
ethnic-minority women cadres, and difficulties raised in villages and communes.

Reads go through ``activities.selectors.community`` (404 outside the caller's units); writes
through the services the web pages call (``activities.services``: groups, members, cadres,
difficulties), which check rights, locks, versions and write the audit trail. Access is checked
before the body is read: an outsider's write is 403/404, never a 400 about a record it may not
see. Names, ethnicity and years of birth of persons (members, cadres) go only to holders of
``records.personal`` on the record's unit, through the selectors that audit each such read.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.accounts.permissions import PLANS_EDIT, REPORTS_REVIEW
from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    Difficulty,
    EthnicGroup,
    WomanCadre,
)
from duan8.activities.selectors.community import (
    EDIT,
    PERSONAL,
    VIEW,
    GroupMembers,
    commune_of,
    community_group_get,
    community_group_list,
    difficulty_get,
    difficulty_list,
    group_members,
    group_statuses,
    woman_cadre_get,
    woman_cadre_list,
    woman_cadres_personal,
)
from duan8.activities.services.cadres import CadreInput, woman_cadre_save
from duan8.activities.services.difficulties import (
    difficulty_answer,
    difficulty_escalate,
    difficulty_raise,
)
from duan8.activities.services.groups import (
    GroupInput,
    community_group_create,
    community_group_update,
)
from duan8.activities.services.members import MemberInput, member_check, members_add
from duan8.api.base import ApiList, ApiView, query_date, query_int
from duan8.api.errors import BadRequest
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import expected_version, with_etag
from duan8.api.who import actor
from duan8.core.audit import NotVisible
from duan8.core.problems import Invalid, Problem
from duan8.orgunits.access import can, require_permission
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.models import Plan
from duan8.programs.selectors import plan_list

TAG = "Nhóm cộng đồng, cán bộ nữ, khó khăn · Community groups, women cadres, difficulties"

ORG_UNIT = OpenApiParameter(
    "org_unit",
    int,
    description=doc(
        "Chỉ các bản ghi của đơn vị này và các đơn vị bên dưới.",
        "Only the records of this unit and of the units below it.",
    ),
)

# --- shared helpers -----------------------------------------------------------------------------


def _everywhere() -> OrgUnit:
    """A unit above every unit (an empty path): the selectors' lists under it hold everything
    the caller may see (they still filter through ``org_units_visible_to``)."""
    return OrgUnit(path="")


def _list_unit(request: Request) -> OrgUnit | None:
    """The ``org_unit`` of a list's query (any unit: the selector keeps what the caller may see,
    so a unit of another commune gives an empty list, as an unknown one does); None: no such
    unit."""
    unit_id = query_int(request, "org_unit")
    if unit_id is None:
        return _everywhere()
    return OrgUnit.objects.filter(pk=unit_id).first()


def _body(request: Request) -> dict[str, Any]:
    data = request.data
    if not isinstance(data, dict):
        raise BadRequest("body", _("Send a JSON object."), "invalid")
    return data


def _unit_to_record_in(user: User, value: Any, *, field: str = "org_unit") -> OrgUnit:
    """The unit named by the body's ``org_unit``, the caller's right to record there checked
    before anything else of the body: 404 for a unit it may not see, 403 without the right."""
    if value is None or value == "":
        raise Invalid([Problem(field, _("required."), "required")])
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid([Problem(field, _("Give the id of a commune or village."), "invalid")])
    unit = org_units_visible_to(user, VIEW).filter(pk=value).select_related("parent").first()
    if unit is None:
        raise NotVisible(_("Administrative unit not found."))
    require_permission(user, EDIT, unit)
    return unit


def _plan(user: User, value: int | None, *, field: str = "plan") -> Plan | None:
    if value is None:
        return None
    plan = plan_list(actor=user).filter(pk=value).first()
    if plan is None:
        raise Invalid([Problem(field, _("No plan you may see has this id."), "not_found")])
    return plan


def _ethnic_group(code: str | None, *, field: str = "ethnic_group") -> EthnicGroup | None:
    if not code:
        return None
    group = EthnicGroup.objects.filter(code=code).order_by("code_system").first()
    if group is None:
        message = _("“%(value)s” is not the code of an ethnic group.") % {"value": code}
        raise Invalid([Problem(field, message, "invalid_choice")])
    return group


def _created(data: Any, name: str, pk: int, version: int | None = None) -> Response:
    response = Response(data, status=201, headers={"Location": reverse(name, kwargs={"pk": pk})})
    return with_etag(response, version) if version is not None else response


def _valid(serializer: serializers.Serializer) -> dict[str, Any]:
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- community groups ---------------------------------------------------------------------------

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

    plan = _plan(user, data["plan"]) if "plan" in data else (group.plan if group else None)
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
        return _created(data, "api:community_group_detail", group.pk, group.version)
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
        unit = _list_unit(request)
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
        unit = _unit_to_record_in(user, _body(request).get("org_unit"))
        data = _valid(CommunityGroupIn(data=request.data))
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
        body = _body(request)
        unit = group.org_unit
        if "org_unit" in body and body["org_unit"] != group.org_unit_id:
            unit = _unit_to_record_in(user, body["org_unit"])
        data = _valid(CommunityGroupPatchIn(data=body, partial=True))
        community_group_update(
            actor=user,
            group=group,
            data=_group_input(user, data, unit, group),
            expected_version=version,
        )
        return _group_answer(user, group.pk)


# --- members ------------------------------------------------------------------------------------


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
            ethnic_group = _ethnic_group(data.get("ethnic_group"))
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
        inputs = _member_inputs(_body(request).get("members"))
        members_add(actor=user, group=group, members=inputs)
        return Response(_members_answer(user, group, timezone.localdate()), status=201)


# --- women cadres -------------------------------------------------------------------------------

_CADRE_PERSONAL = ("full_name", "ethnic_group", "ethnic_group_name", "birth_year", "position")


class WomanCadreOut(serializers.ModelSerializer):
    org_unit_name = serializers.CharField(source="org_unit.full_name")
    status = serializers.CharField(
        help_text=doc("in_position, planned, nominated, trained", "The status.")
    )
    status_label = serializers.CharField(source="get_status_display")
    personal = serializers.SerializerMethodField(
        help_text=doc(
            "Có họ tên, dân tộc, năm sinh, chức vụ (quyền records.personal, có ghi nhật ký).",
            "Names, ethnicity, years of birth and position are given (records.personal, audited).",
        )
    )
    full_name = serializers.CharField(allow_null=True)
    ethnic_group = serializers.CharField(source="ethnic_group.code", allow_null=True)
    ethnic_group_name = serializers.CharField(source="ethnic_group.name", allow_null=True)
    birth_year = serializers.IntegerField(allow_null=True)
    position = serializers.CharField(allow_null=True)
    notes = serializers.CharField(allow_null=True)

    class Meta:
        model = WomanCadre
        fields = [
            "id",
            "org_unit",
            "org_unit_name",
            "status",
            "status_label",
            "since",
            "until",
            "plan",
            "personal",
            "full_name",
            "ethnic_group",
            "ethnic_group_name",
            "birth_year",
            "position",
            "notes",
            "version",
            "updated_at",
        ]

    def get_personal(self, cadre: WomanCadre) -> bool:
        return cadre.pk in self.context["personal"]

    def to_representation(self, instance: WomanCadre) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not data["personal"]:
            for name in (*_CADRE_PERSONAL, "notes"):
                data[name] = None
        return data


def _cadres_personal(user: User, cadres: Iterable[WomanCadre]) -> set[int]:
    """The cadres whose names the caller reads: through ``woman_cadres_personal`` (holders of
    records.personal on the cadre's unit; one audit entry per unit)."""
    by_unit: dict[int, list[WomanCadre]] = {}
    for cadre in cadres:
        by_unit.setdefault(cadre.org_unit_id, []).append(cadre)
    shown: set[int] = set()
    for rows in by_unit.values():
        unit = rows[0].org_unit
        shown |= {c.pk for c in woman_cadres_personal(actor=user, unit=unit, cadres=rows)}
    return shown


def _cadre_answer(user: User, cadre: WomanCadre, status: int = 200) -> Response:
    data = WomanCadreOut(cadre, context={"personal": _cadres_personal(user, [cadre])}).data
    if status == 201:
        return _created(data, "api:woman_cadre_detail", cadre.pk, cadre.version)
    return with_etag(Response(data), cadre.version)


class WomanCadreIn(serializers.Serializer):
    org_unit = serializers.IntegerField(help_text=doc("Đơn vị.", "The unit."))
    full_name = serializers.CharField(max_length=120, allow_blank=True)
    ethnic_group = serializers.CharField(
        max_length=4,
        allow_blank=True,
        help_text=doc("Mã dân tộc, ví dụ 19.", "Ethnic group code, e.g. 19."),
    )
    birth_year = serializers.IntegerField(required=False, allow_null=True)
    position = serializers.CharField(max_length=255, allow_blank=True)
    status = serializers.CharField(
        max_length=12,
        allow_blank=True,
        help_text=doc("in_position, planned, nominated, trained", "The status."),
    )
    since = serializers.DateField()
    until = serializers.DateField(required=False, allow_null=True)
    plan = serializers.IntegerField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class WomanCadrePatchIn(WomanCadreIn):
    version = serializers.IntegerField(
        required=False, help_text=doc("Phiên bản đã đọc.", "The version read.")
    )


def _cadre_input(
    user: User, data: dict[str, Any], unit: OrgUnit, cadre: WomanCadre | None = None
) -> CadreInput:
    def value(name: str, default: Any = "") -> Any:
        if name in data:
            return data[name]
        return getattr(cadre, name) if cadre is not None else default

    if "ethnic_group" in data:
        ethnic_group = _ethnic_group(data["ethnic_group"])
    else:
        ethnic_group = cadre.ethnic_group if cadre is not None else None
    plan = _plan(user, data["plan"]) if "plan" in data else (cadre.plan if cadre else None)
    return CadreInput(
        org_unit=unit,
        full_name=value("full_name"),
        ethnic_group=ethnic_group,
        position=value("position"),
        status=value("status"),
        since=value("since", None),
        until=value("until", None),
        birth_year=value("birth_year", None),
        plan=plan,
        notes=value("notes"),
    )


class WomanCadreListApi(ApiList):
    serializer_class = WomanCadreOut

    @extend_schema(
        tags=[TAG],
        summary="Cán bộ nữ người dân tộc thiểu số · Ethnic-minority women cadres",
        description=doc(
            "Cán bộ nữ trong các đơn vị người gọi được xem; với `year`: những người ở trạng thái"
            " đó trong năm. Họ tên, dân tộc, năm sinh, chức vụ chỉ cho người có quyền"
            " records.personal tại đơn vị của cán bộ (mỗi lần đọc ghi vào nhật ký); người khác"
            " chỉ thấy đơn vị, trạng thái và thời gian, như số liệu trên trang.",
            "Women cadres in the units the caller may see; with `year`: those in their status"
            " during that year. Names, ethnicity, years of birth and positions only for holders"
            " of records.personal on the cadre's unit (each read audited); others see the unit,"
            " status and dates only, as the page's counts.",
        ),
        parameters=[
            UPDATED_SINCE,
            ORG_UNIT,
            OpenApiParameter("year", int, description=doc("Năm.", "Year.")),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[WomanCadre]:
        year = query_int(self.request, "year", low=1945, high=2100)
        unit = _list_unit(self.request)
        if unit is None:
            return WomanCadre.objects.none()
        return woman_cadre_list(actor=actor, unit=unit, year=year)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = list(page or [])
        personal = _cadres_personal(actor(request), rows)
        data = WomanCadreOut(rows, many=True, context={"personal": personal}).data
        return self.get_paginated_response(data)

    @extend_schema(
        tags=[TAG],
        summary="Ghi cán bộ nữ · Record a woman cadre",
        description=doc(
            "Ghi một cán bộ nữ (quyền ghi kết quả thực hiện tại đơn vị), như trang “Thêm cán bộ”.",
            "Record a woman cadre (the right to record in the unit), as the page does.",
        ),
        request=WomanCadreIn,
        responses={201: WomanCadreOut},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        user = actor(request)
        unit = _unit_to_record_in(user, _body(request).get("org_unit"))
        data = _valid(WomanCadreIn(data=request.data))
        cadre = woman_cadre_save(actor=user, data=_cadre_input(user, data, unit))
        return _cadre_answer(user, woman_cadre_get(actor=user, cadre_id=cadre.pk), status=201)


def _require_personal(user: User, cadre: WomanCadre) -> None:
    """One cadre goes to holders of records.personal on her unit only (the edit page's rule)."""
    if not can(user, PERSONAL, cadre.org_unit):
        raise PermissionDenied(_("You may not see the names of persons."))


class WomanCadreDetailApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Một cán bộ nữ · One woman cadre",
        description=doc(
            "Chỉ cho người có quyền records.personal tại đơn vị (403 cho người khác); mỗi lần"
            " đọc ghi vào nhật ký.",
            "Only for holders of records.personal on the unit (403 for others); each read is"
            " audited.",
        ),
        responses=WomanCadreOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        user = actor(request)
        cadre = woman_cadre_get(actor=user, cadre_id=pk)
        _require_personal(user, cadre)
        return _cadre_answer(user, cadre)

    @extend_schema(
        tags=[TAG],
        summary="Sửa cán bộ nữ · Change a woman cadre",
        description=doc(
            "Đổi các trường gửi lên (các trường khác giữ nguyên), trên phiên bản đã đọc; cần"
            " quyền ghi và quyền records.personal.",
            "Change the fields sent (the others stay), on the version read; needs the right to"
            " record and records.personal.",
        ),
        request=WomanCadrePatchIn,
        responses=WomanCadreOut,
    )
    def patch(self, request: Request, pk: int) -> Response:
        user = actor(request)
        cadre = woman_cadre_get(actor=user, cadre_id=pk)
        require_permission(user, EDIT, cadre.org_unit)
        _require_personal(user, cadre)
        version = expected_version(request)
        body = _body(request)
        unit = cadre.org_unit
        if "org_unit" in body and body["org_unit"] != cadre.org_unit_id:
            unit = _unit_to_record_in(user, body["org_unit"])
        data = _valid(WomanCadrePatchIn(data=body, partial=True))
        woman_cadre_save(
            actor=user,
            data=_cadre_input(user, data, unit, cadre),
            cadre=cadre,
            expected_version=version,
        )
        return _cadre_answer(user, woman_cadre_get(actor=user, cadre_id=cadre.pk))


# --- difficulties -------------------------------------------------------------------------------


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
        return _created(data, "api:difficulty_detail", difficulty.pk, difficulty.version)
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
        unit = _list_unit(self.request)
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
        unit = _unit_to_record_in(user, _body(request).get("org_unit"))
        data = _valid(DifficultyIn(data=request.data))
        difficulty = difficulty_raise(
            actor=user,
            org_unit=unit,
            raised_by=data["raised_by"],
            raised_on=data["raised_on"],
            description=data["description"],
            plan=_plan(user, data.get("plan")),
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
        data = _valid(DifficultyAnswerIn(data=_body(request)))
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
        data = _valid(DifficultyEscalateIn(data=_body(request)))
        difficulty_escalate(
            actor=user,
            difficulty=difficulty,
            on=data.get("on") or timezone.localdate(),
            to=data["to"],
            expected_version=version,
        )
        return _difficulty_answer(difficulty_get(actor=user, difficulty_id=pk))


urlpatterns = [
    path("community-groups/", CommunityGroupListApi.as_view(), name="community_group_list"),
    path(
        "community-groups/<int:pk>/",
        CommunityGroupDetailApi.as_view(),
        name="community_group_detail",
    ),
    path(
        "community-groups/<int:pk>/members/",
        CommunityGroupMembersApi.as_view(),
        name="community_group_members",
    ),
    path("women-cadres/", WomanCadreListApi.as_view(), name="woman_cadre_list"),
    path("women-cadres/<int:pk>/", WomanCadreDetailApi.as_view(), name="woman_cadre_detail"),
    path("difficulties/", DifficultyListApi.as_view(), name="difficulty_list"),
    path("difficulties/<int:pk>/", DifficultyDetailApi.as_view(), name="difficulty_detail"),
    path(
        "difficulties/<int:pk>/escalate/",
        DifficultyEscalateApi.as_view(),
        name="difficulty_escalate",
    ),
]
