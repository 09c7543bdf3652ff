import datetime
import unicodedata

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import ORGUNITS_MANAGE_VILLAGES
from duan8.core import audit
from duan8.core.problems import Invalid, Problem
from duan8.legal.models import LegalDocument
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import NATIONAL_CODE, NATIONAL_NAME, OrgUnit, OrgUnitAttribute


def path_for(unit: OrgUnit) -> str:
    """Materialised path of zero-padded ids, e.g. ``/00000001/00000045/``; prefix = subtree."""
    prefix = unit.parent.path if unit.parent_id and unit.parent else "/"
    return f"{prefix}{unit.pk:08d}/"


NATIONAL_KEY = {
    "code_scheme": OrgUnit.CodeScheme.NATIONAL,
    "level": OrgUnit.Level.NATIONAL,
    "code": NATIONAL_CODE,
}


def national_root() -> OrgUnit:
    """Việt Nam, the unit above every province of both maps, made on first use (a migration
    makes it in every database; a test that flushes the database loses it, and the next
    province made brings it back). Two first uses at once: the unique code keeps one."""
    found = OrgUnit.objects.filter(**NATIONAL_KEY).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return org_unit_save_with_path(
                OrgUnit(**NATIONAL_KEY, kind="Quốc gia", name=NATIONAL_NAME)
            )
    except IntegrityError:
        return OrgUnit.objects.get(**NATIONAL_KEY)


@transaction.atomic
def org_unit_save_with_path(unit: OrgUnit) -> OrgUnit:
    """Save a unit and set its path (needs the id, so a second write on creation). A province
    made without a parent is put under Việt Nam (``national_root``)."""
    if unit.level == OrgUnit.Level.PROVINCE and unit.parent_id is None:
        unit.parent = national_root()
    unit.full_clean()
    unit.save()
    path = path_for(unit)
    if unit.path != path:
        unit.path = path
        unit.save(update_fields=["path", "updated_at"])
    return unit


def next_village_code(commune: OrgUnit) -> str:
    prefix = f"{commune.code}-"
    taken = OrgUnit.objects.filter(
        code_scheme=OrgUnit.CodeScheme.LOCAL, level=OrgUnit.Level.VILLAGE, code__startswith=prefix
    ).values_list("code", flat=True)
    numbers = [int(code[len(prefix) :]) for code in taken if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


@transaction.atomic
def village_create(
    *,
    commune: OrgUnit,
    name: str,
    actor: User,
    kind: str = "Thôn",
    valid_from: datetime.date | None = None,
    code: str = "",
) -> OrgUnit:
    """Create a village (thôn) under a commune; villages are created by users, not loaded.
    ``code``: the commune's own code for it (unique among villages), else the next free one."""
    require_permission(actor, ORGUNITS_MANAGE_VILLAGES, commune)
    if commune.level != OrgUnit.Level.COMMUNE:
        raise Invalid(
            [
                Problem(
                    "parent",
                    _("A village must be placed under a commune; %(unit)s is not a commune.")
                    % {"unit": commune.full_name},
                )
            ]
        )
    name = unicodedata.normalize("NFC", name).strip()
    if not name:
        raise Invalid([Problem("name", _("Give the village a name."), "required")])
    siblings = commune.children.filter(level=OrgUnit.Level.VILLAGE).values_list("name", "valid_to")
    # Compared in Python: SQLite folds only ASCII case, and "Nước Đang" = "nước đang".
    taken = {
        sibling.casefold()
        for sibling, ended in siblings
        if ended is None or commune.valid_to is None or ended >= commune.valid_to
    }
    if name.casefold() in taken:
        raise Invalid(
            [
                Problem(
                    "name",
                    _("%(commune)s already has a village named %(name)s.")
                    % {"commune": commune.full_name, "name": name},
                    "unique",
                )
            ]
        )
    village = OrgUnit(
        code_scheme=OrgUnit.CodeScheme.LOCAL,
        code=code or next_village_code(commune),
        level=OrgUnit.Level.VILLAGE,
        kind=kind,
        name=name,
        parent=commune,
        valid_from=valid_from,
        valid_to=commune.valid_to,
    )
    org_unit_save_with_path(village)
    audit.record(
        actor=actor,
        action="orgunits.village.created",
        target=village,
        org_unit=village,
        after=audit.snapshot(village),
    )
    return village


@transaction.atomic
def org_unit_attribute_set(
    *,
    unit: OrgUnit,
    key: str,
    valid_from: datetime.date,
    actor: User,
    value: str = "1",
    valid_to: datetime.date | None = None,
    decision: LegalDocument | None = None,
) -> OrgUnitAttribute:
    """Record a dated attribute, e.g. "thôn ĐBKK from 16/9/2021 by QĐ 612/QĐ-UBDT"."""
    require_permission(actor, ORGUNITS_MANAGE_VILLAGES, unit)
    if (
        key == OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE
        and unit.level != OrgUnit.Level.VILLAGE
    ):
        raise Invalid([Problem("key", _("Only a village can be an especially difficult village."))])
    attribute = OrgUnitAttribute(
        org_unit=unit,
        key=key,
        value=value,
        valid_from=valid_from,
        valid_to=valid_to,
        decision=decision,
    )
    attribute.full_clean()
    attribute.save()
    audit.record(
        actor=actor,
        action="orgunits.attribute.created",
        target=attribute,
        org_unit=unit,
        after=audit.snapshot(attribute),
    )
    return attribute
