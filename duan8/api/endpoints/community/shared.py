"""What the community endpoints share: their tag and ``org_unit`` parameter, the JSON body,
the unit a list reads or a write records in (its right checked first), the plan and ethnic
group a body names, a validated serializer's data, the 201 answer with its Location."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.activities.models import EthnicGroup
from duan8.activities.selectors.community import EDIT, VIEW
from duan8.api.base import query_int
from duan8.api.errors import BadRequest
from duan8.api.schema import doc
from duan8.api.versions import with_etag
from duan8.core.audit import NotVisible
from duan8.core.problems import Invalid, Problem
from duan8.orgunits.access import require_permission
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


def _everywhere() -> OrgUnit:
    """A unit above every unit (an empty path): the selectors' lists under it hold everything
    the caller may see (they still filter through ``org_units_visible_to``)."""
    return OrgUnit(path="")


def list_unit(request: Request) -> OrgUnit | None:
    """The ``org_unit`` of a list's query (any unit: the selector keeps what the caller may see,
    so a unit of another commune gives an empty list, as an unknown one does); None: no such
    unit."""
    unit_id = query_int(request, "org_unit")
    if unit_id is None:
        return _everywhere()
    return OrgUnit.objects.filter(pk=unit_id).first()


def json_body(request: Request) -> dict[str, Any]:
    data = request.data
    if not isinstance(data, dict):
        raise BadRequest("body", _("Send a JSON object."), "invalid")
    return data


def unit_to_record_in(user: User, value: Any, *, field: str = "org_unit") -> OrgUnit:
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


def visible_plan(user: User, value: int | None, *, field: str = "plan") -> Plan | None:
    if value is None:
        return None
    plan = plan_list(actor=user).filter(pk=value).first()
    if plan is None:
        raise Invalid([Problem(field, _("No plan you may see has this id."), "not_found")])
    return plan


def ethnic_group_by_code(code: str | None, *, field: str = "ethnic_group") -> EthnicGroup | None:
    if not code:
        return None
    group = EthnicGroup.objects.filter(code=code).order_by("code_system").first()
    if group is None:
        message = _("“%(value)s” is not the code of an ethnic group.") % {"value": code}
        raise Invalid([Problem(field, message, "invalid_choice")])
    return group


def created_answer(data: Any, name: str, pk: int, version: int | None = None) -> Response:
    response = Response(data, status=201, headers={"Location": reverse(name, kwargs={"pk": pk})})
    return with_etag(response, version) if version is not None else response


def validated(serializer: serializers.Serializer) -> dict[str, Any]:
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
