"""The disbursement roll-up of a unit, as the disbursement page."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.api.base import ApiView, query_date, query_int
from duan8.api.endpoints.finance.shared import TAG, YEAR, _amount
from duan8.api.schema import doc
from duan8.api.who import actor
from duan8.finance.disbursement import (
    Disbursement,
    Figures,
    Row,
    default_as_of,
    disbursement_compute,
    disbursement_unit_get,
)
from duan8.orgunits.models import OrgUnit


class FiguresOut(serializers.Serializer):
    allocated = _amount()
    disbursed = _amount()
    remaining = _amount()
    percent = serializers.IntegerField(
        allow_null=True, help_text=doc("Null khi chưa phân bổ.", "Null without an allocation.")
    )


class RowOut(serializers.Serializer):
    key = serializers.CharField(
        help_text=doc(
            "Tháng, quý, nguồn, id nội dung (“project”: cả dự án), id đơn vị.",
            "Month, quarter, source, content id (“project”: the whole project), unit id.",
        )
    )
    label = serializers.CharField()  # type: ignore[assignment]
    figures = FiguresOut()
    cumulative = FiguresOut(allow_null=True, required=False)


class DisbursementOut(serializers.Serializer):
    org_unit = serializers.IntegerField()
    org_unit_name = serializers.CharField()
    year = serializers.IntegerField()
    as_of = serializers.DateField()
    deadline = serializers.DateField()
    total = FiguresOut()
    months = RowOut(many=True)
    quarters = RowOut(many=True)
    sources = RowOut(many=True)
    contents = RowOut(many=True)
    units = RowOut(many=True)


def _figures(figures: Figures) -> dict[str, Any]:
    return {
        "allocated": int(figures.allocated),
        "disbursed": int(figures.disbursed),
        "remaining": int(figures.remaining),
        "percent": figures.percent,
    }


def _row(row: Row) -> dict[str, Any]:
    return {
        "key": str(row.key),
        "label": str(row.label),
        "figures": _figures(row.figures),
        "cumulative": _figures(row.cumulative) if row.cumulative is not None else None,
    }


def _disbursement(unit: OrgUnit, data: Disbursement) -> dict[str, Any]:
    return {
        "org_unit": unit.pk,
        "org_unit_name": unit.full_name,
        "year": data.year,
        "as_of": data.as_of,
        "deadline": data.deadline,
        "total": _figures(data.total),
        **{
            name: [_row(row) for row in getattr(data, name)]
            for name in ("months", "quarters", "sources", "contents", "units")
        },
    }


def _year_as_of(unit: OrgUnit, year: int) -> datetime.date:
    """As the page: the end of the year, or today when it is not over; within the unit's life."""
    day = min(datetime.date(year, 12, 31), timezone.localdate())
    if unit.valid_to and day > unit.valid_to:
        return unit.valid_to
    if unit.valid_from and day < unit.valid_from:
        return unit.valid_from
    return day


class DisbursementApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Giải ngân · Disbursement",
        description=doc(
            "Như trang giải ngân: phân bổ và đã chi của đơn vị trong năm, theo tháng, quý, nguồn,"
            " nội dung và các đơn vị bên dưới, trên bản đồ hành chính ngày `as_of` (mặc định:"
            " cuối năm, hoặc hôm nay).",
            "As the disbursement page: the unit's allocation and payments of the year, by month,"
            " quarter, source, content and the units below, on the map of `as_of` (default: the"
            " year's end, or today).",
        ),
        parameters=[
            YEAR,
            OpenApiParameter(
                "as_of",
                datetime.date,
                description=doc("Bản đồ hành chính tại ngày này.", "The map as of this date."),
            ),
        ],
        responses=DisbursementOut,
    )
    def get(self, request: Request, pk: int) -> Response:
        unit = disbursement_unit_get(actor=actor(request), unit_id=pk)
        year = query_int(request, "year", low=2000, high=2100) or default_as_of(unit).year
        day = query_date(request, "as_of") or _year_as_of(unit, year)
        return Response(_disbursement(unit, disbursement_compute(unit=unit, year=year, as_of=day)))
