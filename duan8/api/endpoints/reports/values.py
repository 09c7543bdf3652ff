"""``values/?plan=``: the plan's indicators, for the commune and each village, from the one
engine (``activities.values.indicator_values``, called as the plan's progress page calls it)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.permissions import RECORDS_VIEW
from duan8.activities.rule_filters import Period
from duan8.activities.values import (
    Breakdown,
    IndicatorValues,
    as_of_within,
    indicator_values,
)
from duan8.api.base import ApiView, query_date, query_int
from duan8.api.endpoints.reports.shared import TAG
from duan8.api.errors import BadRequest
from duan8.api.schema import AS_OF, doc
from duan8.api.who import actor
from duan8.core.audit import NotVisible
from duan8.orgunits.access import can
from duan8.programs.selectors import plan_get
from duan8.reports.exports.codes import org_unit_code


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):
    """A count or a target: a whole number as an integer, else a decimal number."""

    def to_representation(self, value: Any) -> int | float:
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        return int(value)


class ValueOut(serializers.Serializer):
    element = serializers.CharField(help_text=doc("Mã chỉ tiêu.", "The indicator's code."))
    title = serializers.CharField()
    measure_unit = serializers.CharField(help_text=doc("Đơn vị tính.", "Unit of measure."))
    org_unit = serializers.IntegerField(help_text=doc("Đơn vị hành chính.", "Unit id."))
    org_unit_code = serializers.CharField(
        help_text=doc("Mã ổn định (VN-QD124-21520).", "Stable code (VN-QD124-21520).")
    )
    period = serializers.CharField(help_text=doc("Năm (2023).", "The year (2023)."))
    value = NumberField(help_text=doc("Kết quả.", "The result."))
    target = NumberField(allow_null=True, help_text=doc("Chỉ tiêu.", "The target, if any."))


class ValuesOut(serializers.Serializer):
    plan = serializers.IntegerField()
    org_unit = serializers.IntegerField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    as_of = serializers.DateField()
    results = ValueOut(many=True)


def _value_rows(data: IndicatorValues) -> list[dict[str, Any]]:
    period = str(data.period.start.year)
    rows = []
    for unit in data.units:
        code = org_unit_code(unit)
        for element in data.elements:
            value, target, _cells = data.values.entry(unit.pk, element.pk)
            rows.append(
                {
                    "element": element.code,
                    "title": element.title,
                    "measure_unit": element.unit,
                    "org_unit": unit.pk,
                    "org_unit_code": code,
                    "period": period,
                    "value": 0 if value is None else value,
                    "target": target,
                }
            )
    return rows


class ValueListApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Số liệu của một kế hoạch · A plan's values",
        description=doc(
            "Kết quả thực hiện từng chỉ tiêu của kế hoạch, cho xã và từng thôn, bên cạnh chỉ"
            " tiêu: cùng cách tính với trang tiến độ của kế hoạch (trên bản đồ của ngày cuối năm"
            " kế hoạch, trong thời gian đơn vị còn tồn tại, nếu không có `as_of`). Chỉ dành cho"
            " người được xem số liệu của xã.",
            "Each indicator's result in the plan's year, for the commune and each village, beside"
            " its target: computed as the plan's progress page computes them (on the map of the"
            " year's last day within the unit's lifetime, unless `as_of` says). For those who may"
            " read the commune's records.",
        ),
        parameters=[
            OpenApiParameter(
                "plan", int, required=True, description=doc("Kế hoạch.", "The plan's id.")
            ),
            AS_OF,
        ],
        responses=ValuesOut,
    )
    def get(self, request: Request) -> Response:
        plan_id = query_int(request, "plan")
        if plan_id is None:
            raise BadRequest("plan", _("Say which plan: plan=<id>."), "required")
        day = query_date(request, "as_of")
        who = actor(request)
        plan = plan_get(actor=who, plan_id=plan_id)
        unit = plan.issuing_unit
        if not can(who, RECORDS_VIEW, unit):
            raise NotVisible(_("Plan not found."))
        period = Period.year(plan.year)
        as_of = day or as_of_within(unit, period)
        try:
            data = indicator_values(
                actor=who,
                unit=unit,
                period=period,
                as_of=as_of,
                breakdown=Breakdown.CHILDREN,
                participants=False,
            )
        except PermissionDenied:
            raise NotVisible(_("Plan not found.")) from None
        except ValidationError as exc:
            raise BadRequest("as_of", " ".join(exc.messages)) from None
        answer = {
            "plan": plan.pk,
            "org_unit": unit.pk,
            "period_start": period.start,
            "period_end": period.end,
            "as_of": as_of,
            "results": _value_rows(data),
        }
        return Response(ValuesOut(answer).data)
