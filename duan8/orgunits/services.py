from django.db import transaction

from duan8.orgunits.models import OrgUnit


def path_for(unit: OrgUnit) -> str:
    """Materialised path of zero-padded ids, e.g. ``/00000001/00000045/``; prefix = subtree."""
    prefix = unit.parent.path if unit.parent_id and unit.parent else "/"
    return f"{prefix}{unit.pk:08d}/"


@transaction.atomic
def org_unit_save_with_path(unit: OrgUnit) -> OrgUnit:
    """Save a unit and set its path (needs the id, so a second write on creation)."""
    unit.full_clean()
    unit.save()
    path = path_for(unit)
    if unit.path != path:
        unit.path = path
        unit.save(update_fields=["path", "updated_at"])
    return unit
