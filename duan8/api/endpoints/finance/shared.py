"""The money's shared pieces: the tag, the filters (``org_unit``, ``year``, ``source``),
amounts, who may read payees, the body's budget holder."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.accounts.permissions import FINANCE_VIEW
from duan8.api.base import query_int
from duan8.api.errors import BadRequest
from duan8.api.schema import doc
from duan8.api.who import actor
from duan8.core import audit
from duan8.finance.models import Source
from duan8.finance.selectors_budget import holder_get
from duan8.finance.views_spending import may_see_payees
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to

TAG = "Tài chính · Money"
MONEY: DecimalField = DecimalField(max_digits=18, decimal_places=0)
ZERO = Decimal(0)

ORG_UNIT = OpenApiParameter(
    "org_unit",
    int,
    description=doc(
        "Đơn vị dự toán (xã, huyện, tỉnh) và các đơn vị bên dưới.",
        "The budget holder (commune, district, province) and the units below it.",
    ),
)
YEAR = OpenApiParameter("year", int, description=doc("Năm ngân sách.", "Budget year."))
SOURCE = OpenApiParameter(
    "source", str, enum=list(Source.values), description=doc("Nguồn vốn.", "Funding source.")
)


def _amount(**kwargs: Any) -> serializers.IntegerField:
    """An amount in whole đồng, as a JSON integer (never a float)."""
    return serializers.IntegerField(**kwargs)


def _visible_under(
    request: Request, queryset: QuerySet[Any], *, year_field: str = "year"
) -> QuerySet[Any]:
    """Rows whose holder the caller may read (``finance.view``), filtered by ``org_unit``
    (that unit and those below; nothing for a unit the caller may not read), ``year``."""
    units = org_units_visible_to(actor(request), FINANCE_VIEW)
    queryset = queryset.filter(holder__in=units)
    unit_id = query_int(request, "org_unit")
    if unit_id is not None:
        unit = units.filter(pk=unit_id).values_list("path", flat=True).first()
        if unit is None:
            return queryset.none()
        queryset = queryset.filter(holder__path__startswith=unit)
    year = query_int(request, "year", low=2000, high=2100)
    if year is not None:
        queryset = queryset.filter(**{year_field: year})
    source = request.query_params.get("source")
    if source:
        if source not in Source.values:
            raise BadRequest("source", _("Choose the source."), "invalid_choice")
        queryset = queryset.filter(source=source)
    return queryset


class _Payees:
    """Who may read the payees of which holder, asked once per holder (the memberships are read
    once per request); each read of a non-empty list of payees is audited."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.known: dict[int, bool] = {}

    def may_see(self, holder: OrgUnit) -> bool:
        if holder.pk not in self.known:
            self.known[holder.pk] = may_see_payees(self.user, holder)
        return self.known[holder.pk]

    def audit(self, rows: list[Any], *, message: str) -> None:
        shown = [row for row in rows if self.may_see(row.holder)]
        if not shown:
            return
        audit.record(
            actor=self.user,
            action="activities.personal.viewed",
            target=shown[0] if len(shown) == 1 else None,
            org_unit=shown[0].holder if len({r.holder_id for r in shown}) == 1 else None,
            message=message % {"count": len(shown)},
        )


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


def _holder_from_body(request: Request, permission: str) -> OrgUnit:
    """The body's ``holder``, read first: 404 when the caller may not read its money, 403 when
    they may not do this there; only then is the rest of the body checked."""
    data: Any = request.data
    raw = data.get("holder") if isinstance(data, dict) else None
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not _is_id(str(raw)):
        raise BadRequest("holder", _("Give the budget holder's id."), "required")
    holder = holder_get(actor=actor(request), unit_id=int(raw))
    require_permission(actor(request), permission, holder)
    return holder


def _created(request: Request, data: Any, url: str) -> Response:
    response = Response(data, status=201)
    response["Location"] = request.build_absolute_uri(url)
    return response


def _is_id(text: str) -> bool:
    """An id: ASCII digits ("²" is a digit to Python, not to int()), within a bigint."""
    return text.isascii() and text.isdigit() and len(text) <= 18
