"""Ethnic-minority women cadres: recording one and changing her position or status."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.models import EthnicGroup, WomanCadre
from duan8.activities.services.shared import (
    EDIT,
    birth_year_in_range,
    claim_version,
    day_in_range,
    require_unlocked,
    text_length,
)
from duan8.core import audit
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan


@dataclass
class CadreInput:
    org_unit: OrgUnit
    full_name: str
    ethnic_group: EthnicGroup | None
    position: str
    status: str
    since: datetime.date
    until: datetime.date | None = None
    birth_year: int | None = None
    plan: Plan | None = None
    notes: str = ""


_CADRE_FIELDS = [
    "org_unit",
    "full_name",
    "ethnic_group",
    "position",
    "status",
    "since",
    "until",
    "birth_year",
    "plan",
    "notes",
]


def woman_cadre_check(data: CadreInput) -> list[str]:
    errors: list[str] = []
    if not data.full_name.strip():
        errors.append(_("Full name: required."))
    if data.ethnic_group is None:
        errors.append(_("Ethnicity: required."))
    elif not data.ethnic_group.is_minority:
        errors.append(
            _(
                "Ethnicity: %(name)s is not an ethnic minority; this list is of ethnic-minority "
                "women."
            )
            % {"name": data.ethnic_group.name}
        )
    if not data.position.strip():
        errors.append(_("Position: required."))
    if data.status not in WomanCadre.Status.values:
        errors.append(_("Status: unknown value."))
    if data.until is not None and data.until < data.since:
        errors.append(_("Until: before the start date."))
    errors += day_in_range(data.since, label=_("From"))
    errors += day_in_range(data.until, label=_("Until"))
    errors += birth_year_in_range(data.birth_year, label=_("Year of birth"))
    errors += text_length(data.notes, label=_("Notes"))
    return errors


@transaction.atomic
def woman_cadre_save(
    *,
    actor: User,
    data: CadreInput,
    cadre: WomanCadre | None = None,
    expected_version: int | None = None,
) -> WomanCadre:
    """Record a cadre, or change one (``cadre``) as of ``expected_version``, the version the
    form was loaded with: a change over someone else's, or without a version, is refused."""
    require_permission(actor, EDIT, data.org_unit)
    if cadre is not None:
        require_permission(actor, EDIT, cadre.org_unit)
    errors = woman_cadre_check(data)
    if errors:
        raise ValidationError(errors)
    require_unlocked(data.org_unit, data.since)
    before = None
    if cadre is not None:
        require_unlocked(cadre.org_unit, cadre.since)
        before = audit.snapshot(cadre, _CADRE_FIELDS)
        cadre.version = claim_version(WomanCadre, cadre.pk, expected_version)
    cadre = cadre or WomanCadre()
    for name in _CADRE_FIELDS:
        value = getattr(data, name)
        setattr(cadre, name, value.strip() if isinstance(value, str) else value)
    cadre.save()
    audit.record(
        actor=actor,
        action="activities.cadre.updated" if before else "activities.cadre.created",
        target=cadre,
        org_unit=cadre.org_unit,
        before=before,
        after=audit.snapshot(cadre, _CADRE_FIELDS),
        version=cadre.version,
    )
    return cadre
