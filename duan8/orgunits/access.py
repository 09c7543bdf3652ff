"""The one access function: who may see and do what, on which unit.

Every view, form, download, API call and command asks ``can``/``require_permission`` and
filters lists through ``selectors.org_units_visible_to``. A user holds roles in units
(``accounts.Membership``); a role held in a unit applies to that unit and every unit below it.
A right to read (``READ_THROUGH_HISTORY``) also reaches the units that became part of them, one
step back in the map's history (``orgunits.predecessors``): a merged unit's figures for earlier
years are its predecessors', so its readers (a reviewer of the new tỉnh Quảng Ngãi) read those
too. Rights to change, approve, review or read persons' names never do.

A few rights act on a unit's own business only and must not reach the units below: the right to
write the province's plan that assigns targets to its communes is not a right to write the
communes' plans. ``can_here`` asks for such a right held in the unit itself.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import Membership, User
from duan8.accounts.permissions import PLANS_VIEW, RECORDS_VIEW
from duan8.core.compiled import Compiled
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.predecessors import predecessor_paths

READ_THROUGH_HISTORY = frozenset({PLANS_VIEW, RECORDS_VIEW})


# Read on every request that asks a right: its SQL built once a process (core.compiled).
_MEMBERSHIPS = Compiled(
    lambda user_id: (
        Membership.objects.filter(user_id=user_id)
        .select_related("org_unit", "role")
        # the model's ordering without its first key, the user: the same order for one user,
        # without joining the users' table to sort by name
        .order_by("org_unit__path", "role__name")
    ),
    prepared=True,
)


def active_memberships(actor: User, on: datetime.date | None = None) -> list[Membership]:
    """The actor's role assignments in force on ``on`` (today by default), cached per request."""
    if not actor.is_authenticated or not actor.is_active:
        return []
    day = on or timezone.localdate()
    cache = actor.__dict__.setdefault("_duan8_memberships", {})
    if day not in cache:
        cache[day] = [m for m in _MEMBERSHIPS(actor.pk) if m.is_active_on(day)]
    return cache[day]


def holds_somewhere(actor: User, permission: str) -> bool:
    """True when a role of the actor grants ``permission`` in at least one unit."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    return actor.is_superuser or any(
        permission in m.role.permissions for m in active_memberships(actor)
    )


def held_paths(actor: User, permission: str) -> list[str]:
    """Paths of the units where the actor holds a role granting ``permission``."""
    return sorted(
        {m.org_unit.path for m in active_memberships(actor) if permission in m.role.permissions}
    )


def _predecessor_paths(actor: User, permission: str) -> list[str]:
    """Paths of the units that became part of those of ``held_paths`` (cached per request)."""
    paths = held_paths(actor, permission)
    if not paths:
        return []
    cache = actor.__dict__.setdefault("_duan8_predecessor_paths", {})
    key = tuple(paths)
    if key not in cache:
        cache[key] = predecessor_paths(paths)
    return cache[key]


def can(actor: User, permission: str, unit: OrgUnit) -> bool:
    """True when the actor holds, in ``unit`` or a unit above it, a role granting ``permission``
    (for a read right: or in a unit that ``unit`` became part of)."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if any(
        unit.path.startswith(m.org_unit.path) and permission in m.role.permissions
        for m in active_memberships(actor)
    ):
        return True
    if permission not in READ_THROUGH_HISTORY:
        return False
    return any(unit.path.startswith(path) for path in _predecessor_paths(actor, permission))


def can_here(actor: User, permission: str, unit: OrgUnit) -> bool:
    """True when the actor holds, in ``unit`` itself (not a unit above it, nor a predecessor), a
    role in force today granting ``permission``; a superuser holds every right everywhere."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    return any(
        m.org_unit_id == unit.pk and permission in m.role.permissions
        for m in active_memberships(actor)
    )


def require_permission(actor: User, permission: str, unit: OrgUnit) -> None:
    if not can(actor, permission, unit):
        raise PermissionDenied(
            _("You do not have the right to do this in %(unit)s.") % {"unit": unit.full_name}
        )
