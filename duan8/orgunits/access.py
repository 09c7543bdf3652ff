"""The one access function: who may see and do what, on which unit.

Every view, form, download, API call and command asks ``can``/``require_permission`` and
filters lists through ``selectors.org_units_visible_to``. A user holds roles in units
(``accounts.Membership``); a role held in a unit applies to that unit and every unit below it.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import Membership, User
from duan8.orgunits.models import OrgUnit


def active_memberships(actor: User, on: datetime.date | None = None) -> list[Membership]:
    """The actor's role assignments in force on ``on`` (today by default), cached per request."""
    if not actor.is_authenticated or not actor.is_active:
        return []
    day = on or timezone.localdate()
    cache = actor.__dict__.setdefault("_duan8_memberships", {})
    if day not in cache:
        cache[day] = [
            m
            for m in Membership.objects.filter(user=actor).select_related("org_unit", "role")
            if m.is_active_on(day)
        ]
    return cache[day]


def can(actor: User, permission: str, unit: OrgUnit) -> bool:
    """True when the actor holds, in ``unit`` or a unit above it, a role granting ``permission``."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    return any(
        unit.path.startswith(m.org_unit.path) and permission in m.role.permissions
        for m in active_memberships(actor)
    )


def require_permission(actor: User, permission: str, unit: OrgUnit) -> None:
    if not can(actor, permission, unit):
        raise PermissionDenied(
            _("You do not have the right to do this in %(unit)s.") % {"unit": unit.full_name}
        )
