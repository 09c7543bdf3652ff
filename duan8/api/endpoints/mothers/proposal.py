"""A proposal over the API: its body, its commune and villages, the proposer's rights, the
service's input."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_PROPOSE
from duan8.api.errors import BadRequest
from duan8.api.schema import doc
from duan8.core import audit
from duan8.core.problems import Invalid, Problem
from duan8.mothers.services.inputs import CaseInput, ChildInput, VisitInput
from duan8.mothers.visibility import area_of, case_scope
from duan8.orgunits.access import can
from duan8.orgunits.inherited import villages_on
from duan8.orgunits.models import OrgUnit


class VisitIn(serializers.Serializer):
    visited_on = serializers.DateField(allow_null=True)
    facility = serializers.CharField(max_length=200, allow_blank=True, default="")


class ChildIn(serializers.Serializer):
    sex = serializers.CharField(max_length=1, help_text=doc("F hoặc M.", "F or M."))
    born_on = serializers.DateField(allow_null=True, default=None)


def _text(length: int, help_text: str = "") -> serializers.CharField:
    return serializers.CharField(
        max_length=length, allow_blank=True, default="", help_text=help_text
    )


def _number() -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True, default=None)


def _date() -> serializers.DateField:
    return serializers.DateField(allow_null=True, default=None)


class CaseIn(serializers.Serializer):
    """A proposal, as on the phone form; the registry's service checks it (its problems are
    keyed by these names; the items of ``visits`` and ``children`` are numbered from 1)."""

    commune = serializers.IntegerField(help_text=doc("Xã.", "The commune's id."))
    village = serializers.IntegerField(
        help_text=doc(
            "Thôn của xã vào ngày sinh (hoặc ngày dự sinh).",
            "A village of the commune on the delivery's (or expected) date.",
        )
    )
    full_name = _text(120)
    birth_year = _number()
    birth_date = _date()
    ethnic_code = _text(
        10, doc("Mã dân tộc (54 dân tộc, QĐ 121-TCTK).", "Ethnic group code (QĐ 121-TCTK).")
    )
    id_number = _text(30, doc("12 số (CCCD) hoặc 9 số (CMND).", "12 digits, or 9 (old card)."))
    phone = _text(20)
    household = _text(10, doc("poor, near_poor, other hoặc rỗng.", "poor, near_poor, other."))
    expected_on = _date()
    delivered_on = _date()
    place = _text(20, doc("facility hoặc home.", "facility or home."))
    facility = _text(200)
    mode = _text(20, doc("normal hoặc caesarean.", "normal or caesarean."))
    babies = _number()
    days_at_facility = _number()
    has_carer = serializers.BooleanField(default=False)
    carer_name = _text(120)
    visits = VisitIn(many=True, default=list)
    children = ChildIn(many=True, default=list)


def _commune_of_body(request: Request) -> OrgUnit:
    """The commune named by the body, or a 404 (an outsider learns nothing from the answer)."""
    data: Any = request.data
    raw = data.get("commune") if isinstance(data, dict) else None
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not _is_id(str(raw)):
        raise BadRequest("commune", _("Give the commune's id."), "required")
    commune = OrgUnit.objects.filter(pk=int(raw), level=OrgUnit.Level.COMMUNE).first()
    if commune is None:
        raise audit.NotVisible(_("Administrative unit not found."))
    return commune


def _villages_for(user: User, commune: OrgUnit) -> list[OrgUnit]:
    """The villages of the commune (on its last day, or today) where the user proposes: what the
    proposal page offers (views_registry)."""
    day = timezone.localdate()
    if commune.valid_to is not None and commune.valid_to < day:
        day = commune.valid_to
    return [
        village
        for village in villages_on(commune=commune, on=day)
        if can(user, MOTHERS_PROPOSE, area_of(commune, village))
    ]


def _require_proposer(user: User, commune: OrgUnit) -> None:
    """As the proposal page: 404 for those who may not see the commune's cases, 403 for its
    readers who do not propose."""
    if _villages_for(user, commune):
        return
    try:
        case_scope(user, commune)
    except Http404:
        raise audit.NotVisible(_("Administrative unit not found.")) from None
    raise PermissionDenied(_("You may not propose mothers in %(unit)s.") % {"unit": commune})


def _case_input(commune: OrgUnit, data: dict[str, Any]) -> CaseInput:
    village = OrgUnit.objects.filter(pk=data["village"], level=OrgUnit.Level.VILLAGE).first()
    if village is None:
        raise Invalid([Problem("village", _("Choose the mother's village."), "invalid_choice")])
    return CaseInput(
        commune=commune,
        village=village,
        full_name=data["full_name"],
        birth_year=data["birth_year"],
        birth_date=data["birth_date"],
        ethnic_code=data["ethnic_code"],
        id_number=data["id_number"],
        phone=data["phone"],
        household=data["household"],
        expected_on=data["expected_on"],
        delivered_on=data["delivered_on"],
        place=data["place"],
        facility=data["facility"],
        mode=data["mode"],
        babies=data["babies"],
        days_at_facility=data["days_at_facility"],
        has_carer=data["has_carer"],
        carer_name=data["carer_name"],
        visits=[
            VisitInput(visited_on=v["visited_on"], facility=v["facility"]) for v in data["visits"]
        ],
        children=[ChildInput(sex=c["sex"], born_on=c["born_on"]) for c in data["children"]],
    )


def _is_id(text: str) -> bool:
    """An id: ASCII digits ("²" is a digit to Python, not to int()), within a bigint."""
    return text.isascii() and text.isdigit() and len(text) <= 18
