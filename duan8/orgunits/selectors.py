import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.orgunits.access import active_memberships
from duan8.orgunits.models import OrgUnit


def org_units_visible_to(actor: User, permission: str = "plans.view") -> QuerySet[OrgUnit]:
    """Units the actor may see: where a role of theirs grants ``permission``, and all below."""
    if actor.is_authenticated and actor.is_active and actor.is_superuser:
        return OrgUnit.objects.all()
    paths = {m.org_unit.path for m in active_memberships(actor) if permission in m.role.permissions}
    if not paths:
        return OrgUnit.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return OrgUnit.objects.filter(condition)


def org_unit_resolve(
    *, code: str, on: datetime.date, level: int | None = None
) -> OrgUnit:
    """The unit that carried ``code`` on ``on``.

    Codes are reused across schemes (21520 was xã Ba Trang until 30/6/2025 and is xã Đặng Thùy Trâm
    from 1/7/2025), so a code alone never identifies a unit: the date decides.
    """
    qs = OrgUnit.objects.filter(code=code).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
    )
    if level is not None:
        qs = qs.filter(level=level)
    units = list(qs.order_by("level")[:2])
    if not units:
        raise OrgUnit.DoesNotExist(
            _("No administrative unit has code %(code)s on %(date)s.")
            % {"code": code, "date": on.strftime("%d/%m/%Y")}
        )
    if len(units) > 1 and level is None and units[0].level == units[1].level:
        raise OrgUnit.MultipleObjectsReturned(
            _("Code %(code)s is ambiguous on %(date)s; give the level.")
            % {"code": code, "date": on.strftime("%d/%m/%Y")}
        )
    return units[0]


def org_unit_ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """From the top (province) down to the unit's parent, in one query."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part][:-1]
    by_id = {u.pk: u for u in OrgUnit.objects.filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]
