"""Users as an administrator may see them: those holding a role in a unit the actor manages."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from duan8.accounts.models import Membership, Role, User
from duan8.accounts.permissions import USERS_MANAGE
from duan8.core.audit import NotVisible
from duan8.orgunits.access import active_memberships
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to


def managed_units(*, actor: User) -> QuerySet[OrgUnit]:
    """Communes and villages where the actor may create users and grant roles."""
    return (
        org_units_visible_to(actor, permission=USERS_MANAGE)
        .filter(level__in=[OrgUnit.Level.COMMUNE, OrgUnit.Level.VILLAGE])
        .select_related("parent")
        .order_by("path")
    )


def grantable_roles(*, actor: User) -> list[Role]:
    """Roles that give no right the actor lacks (the service checks again, unit by unit)."""
    roles = list(Role.objects.order_by("name"))
    if actor.is_superuser:
        return roles
    held = {p for m in active_memberships(actor) for p in m.role.permissions}
    if USERS_MANAGE not in held:
        return []
    return [role for role in roles if set(role.permissions) <= held]


def user_list(*, actor: User, search: str | None = None) -> QuerySet[User]:
    """Users holding (or having held) a role in a unit the actor manages.

    Each user's ``managed_memberships`` lists only the roles in those units, so the list says
    nothing about units the actor does not manage.
    """
    units = org_units_visible_to(actor, permission=USERS_MANAGE)
    qs = User.objects.filter(pk__in=Membership.objects.filter(org_unit__in=units).values("user_id"))
    if search:
        qs = qs.filter(Q(username__icontains=search) | Q(full_name__icontains=search))
    return qs.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(org_unit__in=units)
            .select_related("org_unit", "role")
            .order_by("org_unit__path", "role__name", "pk"),
            to_attr="managed_memberships",
        )
    ).order_by("username")


def managed_memberships(user: User) -> list[Membership]:
    """The roles of a user from ``user_list`` or ``user_get`` in the units the actor manages."""
    found: list[Membership] = user.managed_memberships  # type: ignore[attr-defined]  # Prefetch to_attr
    return found


def user_get(*, actor: User, user_id: int) -> User:
    """A user the actor manages; 404 otherwise (other units' users are not even confirmed)."""
    user = user_list(actor=actor).filter(pk=user_id).first()
    if user is None:
        raise NotVisible(_("User not found."))
    return user
