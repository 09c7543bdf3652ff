"""Ethnic-minority women cadres: names, ethnicity, years of birth and positions only for
holders of ``records.personal`` on the cadre's unit, each such read audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.activities.models import WomanCadre
from duan8.activities.selectors.community import (
    EDIT,
    PERSONAL,
    woman_cadre_get,
    woman_cadre_list,
    woman_cadres_personal,
)
from duan8.activities.services.cadres import CadreInput, woman_cadre_save
from duan8.api.base import ApiList, ApiView, query_int
from duan8.api.endpoints.community.shared import (
    ORG_UNIT,
    TAG,
    created_answer,
    ethnic_group_by_code,
    json_body,
    list_unit,
    unit_to_record_in,
    validated,
    visible_plan,
)
from duan8.api.idempotency import idempotent
from duan8.api.schema import UPDATED_SINCE, doc
from duan8.api.versions import expected_version, with_etag
from duan8.api.who import actor
from duan8.orgunits.access import can, require_permission
from duan8.orgunits.models import OrgUnit

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
        return created_answer(data, "api:woman_cadre_detail", cadre.pk, cadre.version)
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
        ethnic_group = ethnic_group_by_code(data["ethnic_group"])
    else:
        ethnic_group = cadre.ethnic_group if cadre is not None else None
    plan = visible_plan(user, data["plan"]) if "plan" in data else (cadre.plan if cadre else None)
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
        unit = list_unit(self.request)
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
        unit = unit_to_record_in(user, json_body(request).get("org_unit"))
        data = validated(WomanCadreIn(data=request.data))
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
        body = json_body(request)
        unit = cadre.org_unit
        if "org_unit" in body and body["org_unit"] != cadre.org_unit_id:
            unit = unit_to_record_in(user, body["org_unit"])
        data = validated(WomanCadrePatchIn(data=body, partial=True))
        woman_cadre_save(
            actor=user,
            data=_cadre_input(user, data, unit, cadre),
            cadre=cadre,
            expected_version=version,
        )
        return _cadre_answer(user, woman_cadre_get(actor=user, cadre_id=cadre.pk))
