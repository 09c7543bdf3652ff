"""User management by commune and higher administrators.

An administrator manages users only in units where they hold ``users.manage`` (and below), and
can never grant a role with a permission they do not hold there themselves.
"""

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import Membership, Role, User
from duan8.core import audit
from duan8.orgunits.access import active_memberships, require_permission
from duan8.orgunits.models import OrgUnit


def permissions_held(actor: User, unit: OrgUnit) -> set[str]:
    """Every permission the actor holds in ``unit`` through roles held there or above."""
    held: set[str] = set()
    for m in active_memberships(actor):
        if unit.path.startswith(m.org_unit.path):
            held.update(m.role.permissions)
    return held


def _require_can_grant(actor: User, role: Role, unit: OrgUnit) -> None:
    require_permission(actor, "users.manage", unit)
    if actor.is_superuser:
        return
    missing = set(role.permissions) - permissions_held(actor, unit)
    if missing:
        raise PermissionDenied(
            _("You cannot grant the role “%(role)s”: it gives rights you do not hold (%(rights)s).")
            % {"role": role.name, "rights": ", ".join(sorted(missing))}
        )


def _require_can_manage_user(actor: User, user: User) -> None:
    """The actor must manage every unit where the user holds a role (no reaching sideways or up)."""
    if actor.is_superuser:
        return
    if user.is_superuser:
        raise PermissionDenied(_("Only a system administrator can manage this account."))
    memberships = list(user.memberships.select_related("org_unit"))
    if not memberships:
        raise PermissionDenied(_("This user holds no role in a unit you manage."))
    for m in memberships:
        require_permission(actor, "users.manage", m.org_unit)


@transaction.atomic
def user_create(
    *,
    actor: User,
    unit: OrgUnit,
    role: Role,
    username: str,
    password: str,
    full_name: str = "",
    phone: str = "",
    valid_from: datetime.date | None = None,
) -> User:
    _require_can_grant(actor, role, unit)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("The user name “%(name)s” is taken.") % {"name": username}}
        )
    user = User(username=username, full_name=full_name.strip(), phone=phone.strip())
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    membership = Membership.objects.create(
        user=user, org_unit=unit, role=role, valid_from=valid_from or timezone.localdate()
    )
    audit.record(
        actor=actor,
        action="accounts.user.created",
        target=user,
        org_unit=unit,
        after={"username": user.username, "full_name": user.full_name, "role": role.code},
    )
    audit.record(
        actor=actor,
        action="accounts.role.granted",
        target=membership,
        org_unit=unit,
        after=audit.snapshot(membership),
    )
    return user


@transaction.atomic
def role_grant(
    *,
    actor: User,
    user: User,
    unit: OrgUnit,
    role: Role,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Membership:
    _require_can_grant(actor, role, unit)
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(_("Only a system administrator can manage this account."))
    membership = Membership(
        user=user,
        org_unit=unit,
        role=role,
        valid_from=valid_from or timezone.localdate(),
        valid_to=valid_to,
    )
    if valid_to and membership.valid_from and valid_to < membership.valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    membership.full_clean()
    membership.save()
    audit.record(
        actor=actor,
        action="accounts.role.granted",
        target=membership,
        org_unit=unit,
        after=audit.snapshot(membership),
    )
    return membership


@transaction.atomic
def role_end(*, actor: User, membership: Membership, on: datetime.date | None = None) -> Membership:
    require_permission(actor, "users.manage", membership.org_unit)
    before = audit.snapshot(membership)
    membership.valid_to = on or timezone.localdate()
    membership.save(update_fields=["valid_to", "updated_at"])
    audit.record(
        actor=actor,
        action="accounts.role.ended",
        target=membership,
        org_unit=membership.org_unit,
        before=before,
        after=audit.snapshot(membership),
    )
    return membership


@transaction.atomic
def user_password_reset(*, actor: User, user: User, password: str) -> User:
    _require_can_manage_user(actor, user)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=actor, action="accounts.password.reset", target=user)
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    _require_can_manage_user(actor, user)
    if user == actor:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="accounts.user.deactivated",
        target=user,
        before={"is_active": True},
        after={"is_active": False},
    )
    return user
