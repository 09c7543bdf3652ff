"""The counts, small cells hidden outside the commune."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.accounts.permissions import PLANS_VIEW, REPORTS_REVIEW
from duan8.api.base import ApiView, query_int
from duan8.api.endpoints.mothers.shared import TAG
from duan8.api.errors import BadRequest
from duan8.api.schema import doc
from duan8.api.who import actor
from duan8.core import audit
from duan8.mothers.counts import CountsRow, counts_legend, mothers_counts
from duan8.orgunits.access import active_memberships, can
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to


class CellOut(serializers.Serializer):
    value = serializers.IntegerField(
        allow_null=True,
        help_text=doc("null khi bị ẩn.", "null when hidden."),
    )
    text = serializers.CharField(help_text=doc("“<5”, “×” hoặc số.", "“<5”, “×” or the figure."))
    hidden = serializers.BooleanField()


class CountsRowOut(serializers.Serializer):
    unit = serializers.IntegerField(allow_null=True, help_text=doc("null: tổng.", "null: total."))
    unit_name = serializers.CharField()
    exact = serializers.BooleanField()
    proposed = CellOut()
    approved = CellOut()
    paid = CellOut()
    amount = CellOut()


class CountsOut(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    year = serializers.IntegerField()
    by_village = serializers.BooleanField()
    legend = serializers.CharField()
    rows = CountsRowOut(many=True)
    total = CountsRowOut(allow_null=True)


def _row(row: CountsRow) -> dict[str, Any]:
    cells = {
        name: {
            "value": None if cell.hidden else cell.value,
            "text": cell.text,
            "hidden": cell.hidden,
        }
        for name, cell in row.cells.items()
    }
    return {
        "unit": row.unit.pk if row.unit else None,
        "unit_name": row.unit.full_name if row.unit else _("Total"),
        "exact": row.exact,
        **cells,
    }


def _counts_unit(user: User, unit_id: int | None) -> OrgUnit:
    """As the counts page: a unit the user reads (plans or reviews), else 404; without
    ``org_unit``, the highest unit where the user holds either right."""
    if unit_id is None:
        held = sorted(
            (
                m.org_unit
                for m in active_memberships(user)
                if PLANS_VIEW in m.role.permissions or REPORTS_REVIEW in m.role.permissions
            ),
            key=lambda unit: (len(unit.path), unit.pk),
        )
        if not held:
            raise BadRequest("org_unit", _("Give the unit's id."), "required")
        return held[0]
    unit = org_units_visible_to(user).filter(pk=unit_id).first()
    if unit is None:
        unit = org_units_visible_to(user, REPORTS_REVIEW).filter(pk=unit_id).first()
    if unit is None:
        raise audit.NotVisible(_("Administrative unit not found."))
    if not (can(user, REPORTS_REVIEW, unit) or can(user, PLANS_VIEW, unit)):
        raise PermissionDenied(_("You may not read these counts."))
    return unit


class CountsApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Số liệu bà mẹ · Counts",
        description=doc(
            "Số bà mẹ được đề nghị, được duyệt, được chi trả và số tiền, theo xã (theo thôn với"
            " một xã), cho các hồ sơ của năm. Với người không đọc được sổ của xã: số từ 1 đến 4"
            " hiện “<5”, các ô có thể suy ra chúng hiện “×” (value null). Không có tên.",
            "Mothers proposed, approved, paid and the amount paid, per commune (per village for"
            " a commune), for the year's cases. For readers who may not read the commune's"
            " registry: counts 1–4 show “<5”, cells that would give them away “×” (value null)."
            " No names.",
        ),
        parameters=[
            OpenApiParameter(
                "org_unit",
                int,
                description=doc(
                    "Đơn vị (mặc định: đơn vị cao nhất của người gọi).",
                    "The unit (default: the caller's highest unit).",
                ),
            ),
            OpenApiParameter(
                "year", int, description=doc("Năm (mặc định: năm nay).", "Year (default: this).")
            ),
        ],
        responses=CountsOut,
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        unit = _counts_unit(user, query_int(request, "org_unit"))
        year = query_int(request, "year", low=2000, high=2100) or timezone.localdate().year
        table = mothers_counts(user, unit, year)
        answer = {
            "unit": unit.pk,
            "unit_name": unit.full_name,
            "year": year,
            "by_village": table.by_village,
            "legend": counts_legend(),
            "rows": [_row(row) for row in table.rows],
            "total": _row(table.total) if table.total else None,
        }
        return Response(CountsOut(answer).data)
