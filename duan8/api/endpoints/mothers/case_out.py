"""A case as the API shows it: the list's and the detail's serializers, each field as the caller
may see it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from duan8.api.schema import doc
from duan8.mothers.models import Pregnancy
from duan8.mothers.services.consent import consent_in_force
from duan8.mothers.visibility import Visible, id_masked


class EthnicityOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class HealthOut(serializers.Serializer):
    expected_on = serializers.DateField(allow_null=True)
    place = serializers.CharField(
        help_text=doc("facility, home hoặc rỗng.", "facility, home or ''.")
    )
    facility = serializers.CharField()
    mode = serializers.CharField(
        help_text=doc("normal, caesarean hoặc rỗng.", "normal, caesarean.")
    )
    babies = serializers.IntegerField(allow_null=True)
    days_at_facility = serializers.IntegerField(allow_null=True)


class VisitOut(serializers.Serializer):
    visited_on = serializers.DateField()
    facility = serializers.CharField()


class ChildOut(serializers.Serializer):
    sex = serializers.CharField(help_text=doc("F: nữ, M: nam.", "F: female, M: male."))
    born_on = serializers.DateField()


def _visible(serializer: serializers.Serializer, case: Pregnancy) -> Visible:
    seen: Visible = serializer.context["visible"](case)
    return seen


class CaseOut(serializers.Serializer):
    """A case (one pregnancy with its mother), as the caller may see it."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    commune = serializers.IntegerField(source="commune_id")
    commune_name = serializers.CharField(source="commune.full_name")
    village = serializers.IntegerField(source="village_id")
    village_name = serializers.CharField(source="village.full_name")
    mother = serializers.IntegerField(source="mother_id")
    full_name = serializers.CharField(source="mother.full_name")
    birth_year = serializers.IntegerField(source="mother.birth_year")
    ethnicity = serializers.SerializerMethodField()
    delivered_on = serializers.DateField(allow_null=True)
    has_carer = serializers.BooleanField()
    carer_name = serializers.CharField()
    health = serializers.SerializerMethodField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(EthnicityOut(allow_null=True))
    def get_ethnicity(self, case: Pregnancy) -> Any:
        if not _visible(self, case).identity:
            return None
        group = case.mother.ethnic_group
        return {"code": group.code, "name": group.name}

    @extend_schema_field(
        HealthOut(
            allow_null=True,
            help_text=doc(
                "Chỉ cho người có quyền mothers.health; null với người khác.",
                "Only for holders of mothers.health; null for others.",
            ),
        )
    )
    def get_health(self, case: Pregnancy) -> Any:
        if not _visible(self, case).health:
            return None
        return {
            "expected_on": case.expected_on,
            "place": case.place or "",
            "facility": case.facility or "",
            "mode": case.mode or "",
            "babies": case.babies,
            "days_at_facility": case.days_at_facility,
        }


class CaseDetailOut(CaseOut):
    id_number_masked = serializers.SerializerMethodField(
        help_text=doc(
            "Số định danh, chỉ hiện 4 số cuối.", "The ID number, all but its last 4 digits hidden."
        )
    )
    phone = serializers.SerializerMethodField()
    household = serializers.SerializerMethodField()
    status_reason = serializers.CharField()
    consent_in_force = serializers.SerializerMethodField()
    visits = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_id_number_masked(self, case: Pregnancy) -> str | None:
        if not _visible(self, case).identity:
            return None
        return id_masked(case.mother.id_number or "")

    @extend_schema_field(OpenApiTypes.STR)
    def get_phone(self, case: Pregnancy) -> str | None:
        return case.mother.phone if _visible(self, case).identity else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_household(self, case: Pregnancy) -> str | None:
        return case.mother.household if _visible(self, case).identity else None

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_consent_in_force(self, case: Pregnancy) -> bool:
        return consent_in_force(case.mother)

    @extend_schema_field(VisitOut(many=True, allow_null=True))
    def get_visits(self, case: Pregnancy) -> Any:
        if not _visible(self, case).health:
            return None
        return [
            {"visited_on": v.visited_on, "facility": v.facility or ""}
            for v in case.antenatal_visits.all()
        ]

    @extend_schema_field(ChildOut(many=True, allow_null=True))
    def get_children(self, case: Pregnancy) -> Any:
        if not _visible(self, case).identity:
            return None
        return [{"sex": c.sex, "born_on": c.born_on} for c in case.children.all()]
