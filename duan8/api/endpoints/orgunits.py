"""Administrative units: the map on a date, with where each unit came from and what it became.

The reference endpoint module: a list (``ApiList`` over the access function, cursor pages,
``updated_since``), a detail with its ETag, bilingual documentation, and the URL list.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.api.base import ApiList, ApiView, query_date, query_int
from duan8.api.schema import AS_OF, UPDATED_SINCE, doc
from duan8.api.who import actor
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_lineage, org_units_visible_to

TAG = "Đơn vị hành chính · Administrative units"


class OrgUnitOut(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display")
    full_name = serializers.CharField()

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "code_scheme",
            "level",
            "level_label",
            "kind",
            "name",
            "full_name",
            "parent",
            "valid_from",
            "valid_to",
            "legal_act",
            "updated_at",
        ]


class LineageStepOut(serializers.Serializer):
    id = serializers.IntegerField(source="unit.id")
    code = serializers.CharField(source="unit.code")
    display_name = serializers.CharField()
    kind = serializers.CharField(help_text=doc("merged, split, renamed, unchanged", "The change."))
    effective_on = serializers.DateField()
    legal_act = serializers.CharField()
    is_primary = serializers.BooleanField()


class OrgUnitDetailOut(OrgUnitOut):
    display_name = serializers.SerializerMethodField()
    predecessors = serializers.SerializerMethodField()
    successors = serializers.SerializerMethodField()

    class Meta(OrgUnitOut.Meta):
        fields = [*OrgUnitOut.Meta.fields, "display_name", "predecessors", "successors"]

    def get_display_name(self, unit: OrgUnit) -> str:
        return str(self.context["lineage"]["display_name"])

    @extend_schema_field(LineageStepOut(many=True))
    def get_predecessors(self, unit: OrgUnit) -> Any:
        return LineageStepOut(self.context["lineage"]["predecessors"], many=True).data

    @extend_schema_field(LineageStepOut(many=True))
    def get_successors(self, unit: OrgUnit) -> Any:
        return LineageStepOut(self.context["lineage"]["successors"], many=True).data


class OrgUnitListApi(ApiList):
    serializer_class = OrgUnitOut

    @extend_schema(
        tags=[TAG],
        summary="Danh sách đơn vị · Units",
        description=doc(
            "Các đơn vị mà người gọi được xem (và các đơn vị bên dưới); với `as_of`: chỉ các đơn"
            " vị còn hiệu lực ngày đó.",
            "The units the caller may see (and those below); with `as_of`: only the units in"
            " force that day.",
        ),
        parameters=[
            AS_OF,
            UPDATED_SINCE,
            OpenApiParameter("level", int, enum=[1, 2, 3, 4], description=doc("Cấp.", "Level.")),
            OpenApiParameter("parent", int, description=doc("Đơn vị cha.", "Parent unit id.")),
            OpenApiParameter("code", str, description=doc("Mã đơn vị.", "Unit code.")),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def select(self, actor: Any) -> QuerySet[OrgUnit]:
        units = org_units_visible_to(actor)
        request = self.request
        day = query_date(request, "as_of")
        if day is not None:
            units = units.filter(
                Q(valid_from__isnull=True) | Q(valid_from__lte=day),
                Q(valid_to__isnull=True) | Q(valid_to__gte=day),
            )
        level = query_int(request, "level", low=1, high=4)
        if level is not None:
            units = units.filter(level=level)
        parent = query_int(request, "parent")
        if parent is not None:
            units = units.filter(parent_id=parent)
        code = request.query_params.get("code")
        if code:
            units = units.filter(code=code[:20])
        return units


class OrgUnitDetailApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Một đơn vị · One unit",
        description=doc(
            "Đơn vị, tên đầy đủ theo các cấp trên, và lịch sử: tiền thân, đơn vị kế tục.",
            "The unit, its name with the levels above, and its history: predecessors, successors.",
        ),
        responses=OrgUnitDetailOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        unit = get_object_or_404(org_units_visible_to(actor(request)), pk=pk)
        return Response(OrgUnitDetailOut(unit, context={"lineage": org_unit_lineage(unit)}).data)


urlpatterns = [
    path("org-units/", OrgUnitListApi.as_view(), name="orgunit_list"),
    path("org-units/<int:pk>/", OrgUnitDetailApi.as_view(), name="orgunit_detail"),
]

# The village writes the pages allow (endpoints/villages.py).
from duan8.api.endpoints import villages as _villages  # noqa: E402

urlpatterns += [
    path(
        "org-units/<int:pk>/villages/",
        _villages.VillageCreateApi.as_view(),
        name="village_create",
    ),
    path(
        "org-units/<int:pk>/difficult/",
        _villages.VillageDifficultApi.as_view(),
        name="village_mark_difficult",
    ),
    path(
        "org-units/<int:pk>/rename/",
        _villages.VillageRenameApi.as_view(),
        name="village_rename",
    ),
    path("org-units/<int:pk>/split/", _villages.VillageSplitApi.as_view(), name="village_split"),
    path(
        "org-units/<int:pk>/villages/merge/",
        _villages.VillagesMergeApi.as_view(),
        name="villages_merge",
    ),
]
