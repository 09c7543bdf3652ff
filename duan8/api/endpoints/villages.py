"""A commune's villages written as its pages write them (issue 12, point 7): a new village, a
village marked especially difficult (thôn ĐBKK), renamed, split, villages merged — each change
with the date it takes effect and its deciding act, through ``orgunits.services`` and
``orgunits.villages`` and the right ``orgunits.manage_villages``. Routed from the org-unit
module's ``urlpatterns``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.accounts.models import User
from duan8.accounts.permissions import ORGUNITS_MANAGE_VILLAGES
from duan8.api.base import ApiView
from duan8.api.errors import BadRequest
from duan8.api.idempotency import idempotent
from duan8.api.schema import doc
from duan8.api.who import actor
from duan8.core.audit import NotVisible
from duan8.core.problems import Invalid, Problem
from duan8.legal.models import LegalDocument
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute
from duan8.orgunits.selectors import org_unit_children_as_of, org_units_visible_to
from duan8.orgunits.services import org_unit_attribute_set, village_create
from duan8.orgunits.villages import (
    deciding_act_add,
    village_rename,
    village_split,
    villages_merge,
)

TAG = "Đơn vị hành chính · Administrative units"


class VillageOut(serializers.ModelSerializer):
    full_name = serializers.CharField()

    class Meta:
        model = OrgUnit
        fields = ["id", "code", "level", "kind", "name", "full_name", "parent"]
        fields += ["valid_from", "valid_to", "legal_act", "updated_at"]


class DifficultOut(serializers.ModelSerializer):
    class Meta:
        model = OrgUnitAttribute
        fields = ["id", "org_unit", "key", "value", "valid_from", "valid_to", "decision"]


class VillageCreateIn(serializers.Serializer):
    name = serializers.CharField(
        max_length=120, help_text=doc("Tên thôn, không có chữ “Thôn”.", "Without “Thôn”.")
    )


class DifficultIn(serializers.Serializer):
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True)
    decision = serializers.PrimaryKeyRelatedField(
        queryset=LegalDocument.objects.filter(kind=LegalDocument.Kind.DECISION),
        required=False,
        allow_null=True,
        help_text=doc("Quyết định (sổ văn bản).", "The decision (from the register)."),
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"valid_to": _("The end date must not be before the start date.")}
            )
        return data


class ChangeIn(serializers.Serializer):
    """What every change carries: the date it takes effect and the deciding act, from the
    register (``decision``) or added to it (``act_*``), as on the pages."""

    ACT_FIELDS = ("act_number", "act_symbol", "act_issued_on", "act_issuer")

    effective_on = serializers.DateField(
        help_text=doc("Ngày có hiệu lực.", "The date it takes effect.")
    )
    decision = serializers.PrimaryKeyRelatedField(
        queryset=LegalDocument.objects.all(),
        required=False,
        allow_null=True,
        help_text=doc("Văn bản quyết định (sổ văn bản).", "The deciding act (from the register)."),
    )
    act_kind = serializers.ChoiceField(choices=LegalDocument.Kind.choices, required=False)
    act_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    act_symbol = serializers.CharField(max_length=40, required=False, allow_blank=True)
    act_issued_on = serializers.DateField(required=False, allow_null=True)
    act_issuer = serializers.CharField(max_length=255, required=False, allow_blank=True)
    act_title = serializers.CharField(required=False, allow_blank=True)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        given = [name for name in self.ACT_FIELDS if data.get(name)]
        if given and data.get("decision"):
            raise serializers.ValidationError(
                {"decision": _("Pick an act from the register or add a new one, not both.")}
            )
        missing = [name for name in self.ACT_FIELDS if given and not data.get(name)]
        if missing:
            raise serializers.ValidationError(
                {name: _("Give this detail of the new act.") for name in missing}
            )
        return data


class RenameIn(ChangeIn):
    name = serializers.CharField(max_length=120)


class MergeIn(ChangeIn):
    villages = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        help_text=doc("Các thôn được gộp (id).", "The villages to merge (ids)."),
    )
    name = serializers.CharField(max_length=120)


class SplitIn(ChangeIn):
    names = serializers.ListField(
        child=serializers.CharField(max_length=120),
        help_text=doc(
            "Tên các thôn mới; thôn đầu tiên nhận hồ sơ của thôn cũ.",
            "The new villages' names; the first takes over the village's records.",
        ),
    )


NOT_FOUND = gettext_lazy("Administrative unit not found.")


def _managed(user: User, pk: int, level: int | None) -> OrgUnit:
    """The unit (of that level), 404 if the caller may not see it, 403 without the right to
    manage villages there — before the body is read."""
    units = org_units_visible_to(user).filter(pk=pk)
    unit = (units.filter(level=level) if level is not None else units).first()
    if unit is None:
        raise NotVisible(str(NOT_FOUND))
    commune = unit.parent if level == OrgUnit.Level.VILLAGE else unit
    assert commune is not None
    require_permission(user, ORGUNITS_MANAGE_VILLAGES, commune)
    return unit


def _valid(serializer: serializers.Serializer, request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise BadRequest("body", _("Send a JSON object."), "invalid")
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _decision(user: User, data: dict[str, Any], commune: OrgUnit) -> LegalDocument | None:
    if not data.get("act_number"):
        decision: LegalDocument | None = data.get("decision")
        return decision
    return deciding_act_add(
        actor=user,
        commune=commune,
        kind=data.get("act_kind") or LegalDocument.Kind.OTHER,
        number=data["act_number"],
        symbol=data["act_symbol"],
        issued_on=data["act_issued_on"],
        issuer=data["act_issuer"],
        title=data.get("act_title", ""),
    )


def _created(data: Any, pk: int) -> Response:
    location = reverse("api:orgunit_detail", kwargs={"pk": pk})
    return Response(data, status=201, headers={"Location": location})


def _change_doc(vi: str, en: str) -> str:
    return doc(
        vi + " Kèm ngày có hiệu lực và văn bản quyết định (chọn từ sổ, hoặc thêm bằng `act_*`).",
        en + " With the date it takes effect and the deciding act (from the register, or added"
        " with `act_*`).",
    )


class VillageCreateApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Thêm thôn · Add a village",
        description=doc(
            "Thêm một thôn vào xã (quyền quản lý thôn của xã), như trang của xã.",
            "Add a village to the commune (the right to manage its villages), as its page does.",
        ),
        request=VillageCreateIn,
        responses={201: VillageOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        commune = _managed(user, pk, None)
        data = _valid(VillageCreateIn(data=request.data), request)
        village = village_create(commune=commune, name=data["name"], actor=user)
        return _created(VillageOut(village).data, village.pk)


class VillageDifficultApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Đánh dấu thôn ĐBKK · Mark an especially difficult village",
        description=doc(
            "Thôn đặc biệt khó khăn từ ngày (đến ngày), theo quyết định, như trang của thôn.",
            "Especially difficult from a date (until a date), by a decision, as the page does.",
        ),
        request=DifficultIn,
        responses={201: DifficultOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        unit = _managed(user, pk, None)
        data = _valid(DifficultIn(data=request.data), request)
        attribute = org_unit_attribute_set(
            unit=unit,
            key=OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE,
            valid_from=data["valid_from"],
            valid_to=data.get("valid_to"),
            decision=data.get("decision"),
            actor=user,
        )
        return _created(DifficultOut(attribute).data, unit.pk)


class VillageRenameApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Đổi tên thôn · Rename a village",
        description=_change_doc(
            "Thôn mang tên mới là đơn vị mới; thôn cũ kết thúc hôm trước.",
            "The renamed village is a new unit; the old one ends the day before.",
        ),
        request=RenameIn,
        responses={201: VillageOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        village = _managed(user, pk, OrgUnit.Level.VILLAGE)
        assert village.parent is not None
        data = _valid(RenameIn(data=request.data), request)
        with transaction.atomic():
            new = village_rename(
                village=village,
                name=data["name"],
                effective_on=data["effective_on"],
                decision=_decision(user, data, village.parent),
                actor=user,
            )
        return _created(VillageOut(new).data, new.pk)


class VillageSplitApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Tách thôn · Split a village",
        description=_change_doc(
            "Tách thôn thành hai thôn mới trở lên.", "Split the village into two or more."
        ),
        request=SplitIn,
        responses={201: VillageOut(many=True)},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        village = _managed(user, pk, OrgUnit.Level.VILLAGE)
        assert village.parent is not None
        data = _valid(SplitIn(data=request.data), request)
        with transaction.atomic():
            parts = village_split(
                village=village,
                names=data["names"],
                effective_on=data["effective_on"],
                decision=_decision(user, data, village.parent),
                actor=user,
            )
        return _created(VillageOut(parts, many=True).data, parts[0].pk)


class VillagesMergeApi(ApiView):
    @extend_schema(
        tags=[TAG],
        summary="Gộp thôn · Merge villages",
        description=_change_doc(
            "Gộp hai thôn trở lên của xã (các thôn hiện có) thành một thôn mới.",
            "Merge two or more of the commune's current villages into a new one.",
        ),
        request=MergeIn,
        responses={201: VillageOut},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = actor(request)
        commune = _managed(user, pk, OrgUnit.Level.COMMUNE)
        data = _valid(MergeIn(data=request.data), request)
        # The villages the page offers: the commune's today, or on its last day if it ended.
        day = commune.valid_to or timezone.localdate()
        current = {v.pk for v in org_unit_children_as_of(commune, day)}
        chosen = OrgUnit.objects.filter(
            pk__in=current & set(data["villages"]), level=OrgUnit.Level.VILLAGE
        )
        found = {v.pk: v for v in chosen.select_related("parent")}
        unknown = [pk for pk in data["villages"] if pk not in found]
        if unknown:
            raise Invalid(
                [
                    Problem(
                        "villages",
                        _("%(ids)s: not a current village of this commune.")
                        % {"ids": ", ".join(str(pk) for pk in unknown)},
                        "invalid_choice",
                    )
                ]
            )
        with transaction.atomic():
            merged = villages_merge(
                villages=[found[pk] for pk in data["villages"]],
                name=data["name"],
                effective_on=data["effective_on"],
                decision=_decision(user, data, commune),
                actor=user,
            )
        return _created(VillageOut(merged).data, merged.pk)
