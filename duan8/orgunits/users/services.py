"""User management by commune and higher administrators.

An administrator manages users only in units where they hold ``users.manage`` (and below), and
can never grant a role with a permission they do not hold there themselves.
"""

import datetime
import unicodedata

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import Membership, Role, User
from duan8.accounts.permissions import USERS_MANAGE
from duan8.core import audit
from duan8.core.problems import WHOLE, Invalid, Problem, problems_of
from duan8.orgunits.access import active_memberships, can, require_permission
from duan8.orgunits.models import OrgUnit


def permissions_held(actor: User, unit: OrgUnit) -> set[str]:
    """Every permission the actor holds in ``unit`` through roles held there or above."""
    held: set[str] = set()
    for m in active_memberships(actor):
        if unit.path.startswith(m.org_unit.path):
            held.update(m.role.permissions)
    return held


def _require_can_grant(actor: User, role: Role, unit: OrgUnit) -> None:
    """Refuse (audited; call outside the transaction) a role above the actor's own rights."""
    if not can(actor, USERS_MANAGE, unit):
        reason = _("You do not have the right to do this in %(unit)s.") % {"unit": unit.full_name}
    elif actor.is_superuser:
        return
    elif missing := set(role.permissions) - permissions_held(actor, unit):
        reason = _(
            "You cannot grant the role “%(role)s”: it gives rights you do not hold (%(rights)s)."
        ) % {"role": role.name, "rights": ", ".join(sorted(missing))}
    else:
        return
    audit.record(actor=actor, action="access.denied", org_unit=unit, message=reason)
    raise PermissionDenied(reason)


def _rights_in_force(user: User) -> list[Membership]:
    """The user's role assignments that give rights today or later (ended ones give none)."""
    today = timezone.localdate()
    return [
        m
        for m in user.memberships.select_related("org_unit", "role")
        if m.valid_to is None or m.valid_to >= today
    ]


def _manage_refusal(actor: User, user: User) -> str | None:
    """Why the actor may not manage ``user``, or None when they may.

    The actor must hold ``users.manage`` in every unit where the user holds a role in force, and
    every right the user holds there: whoever can reset a password can sign in as its owner, so
    managing someone must never give more than one already holds (as for granting a role).
    """
    if actor.is_superuser:
        return None
    if user.is_superuser:
        return _("Only a system administrator can manage this account.")
    memberships = _rights_in_force(user)
    if not memberships:
        past = [m.org_unit for m in user.memberships.select_related("org_unit")]
        if any(can(actor, USERS_MANAGE, unit) for unit in past):
            return None
        return _("This user holds no role in a unit you manage.")
    for m in memberships:
        if not can(actor, USERS_MANAGE, m.org_unit):
            return _("You do not have the right to do this in %(unit)s.") % {
                "unit": m.org_unit.full_name
            }
        missing = set(m.role.permissions) - permissions_held(actor, m.org_unit)
        if missing:
            return _(
                "You cannot manage the account of %(user)s: as “%(role)s” in %(unit)s they hold"
                " rights you do not hold there (%(rights)s). Ask an administrator at a higher"
                " level."
            ) % {
                "user": user,
                "role": m.role.name,
                "unit": m.org_unit.full_name,
                "rights": ", ".join(sorted(missing)),
            }
    return None


def user_manage_refusal(*, actor: User, user: User) -> str | None:
    """Why the actor may not manage ``user`` (for pages that hide the actions), or None."""
    return _manage_refusal(actor, user)


def user_manage_check(*, actor: User, user: User) -> None:
    """Refuse, audited, a page that manages ``user`` (the services check again on saving)."""
    _require_can_manage_user(actor, user)


def _require_can_manage_user(actor: User, user: User) -> None:
    """Refuse (and audit the refusal) unless the actor may manage ``user``.

    Call it outside the service's transaction, so the audit entry outlives the refusal.
    """
    reason = _manage_refusal(actor, user)
    if reason is not None:
        audit.record(actor=actor, action="access.denied", target=user, message=reason)
        raise PermissionDenied(reason)


def _validate_password(password: str, user: User, *, field: str) -> None:
    """Django's password rules, each problem keyed by the password's field."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(Problem(field, message, "password") for message in exc.messages) from exc


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
        raise Invalid(
            [
                Problem(
                    "username",
                    _("The user name “%(name)s” is taken.") % {"name": username},
                    "unique",
                )
            ]
        )
    # The first password is chosen by someone else, who knows it: the new user replaces it at
    # first sign-in, as after a reset.
    user = User(
        username=username,
        full_name=full_name.strip(),
        phone=phone.strip(),
        must_change_password=True,
    )
    _validate_password(password, user, field="password")
    user.set_password(password)
    user.full_clean()
    with transaction.atomic():
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
    _require_can_manage_user(actor, user)
    membership = Membership(
        user=user,
        org_unit=unit,
        role=role,
        valid_from=valid_from or timezone.localdate(),
        valid_to=valid_to,
    )
    if valid_to and membership.valid_from and valid_to < membership.valid_from:
        raise Invalid([Problem("valid_to", _("The end date is before the start date."))])
    try:
        membership.full_clean()
    except ValidationError as exc:  # the model's ``org_unit`` is the form's ``unit``
        raise Invalid(
            Problem("unit" if p.field == "org_unit" else p.field, p.message, p.code)
            for p in problems_of(exc)
        ) from exc
    with transaction.atomic():
        membership.save()
        audit.record(
            actor=actor,
            action="accounts.role.granted",
            target=membership,
            org_unit=unit,
            after=audit.snapshot(membership),
        )
    return membership


def role_end(*, actor: User, membership: Membership, on: datetime.date | None = None) -> Membership:
    require_permission(actor, USERS_MANAGE, membership.org_unit)
    _require_can_manage_user(actor, membership.user)
    with transaction.atomic():
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


def user_update(
    *, actor: User, user: User, full_name: str, phone: str, shown: tuple[str, str] | None
) -> User:
    """Change the name and phone of a user one may manage.

    ``shown`` is the (name, phone) the form was filled from. The row is written only if it still
    holds them (one conditional UPDATE), so of two people editing the same user at once the second
    is refused instead of silently overwriting the first; a form that does not say what it showed
    is refused too.
    """
    _require_can_manage_user(actor, user)
    if shown is None:
        raise Invalid(
            [Problem(WHOLE, _("The form does not say which details it changed; reload the page."))]
        )
    before = audit.snapshot(user, ["full_name", "phone"])
    user.full_name = unicodedata.normalize("NFC", full_name.strip())
    user.phone = phone.strip()
    user.full_clean(exclude=["password", "username"])
    with transaction.atomic():
        written = User.objects.filter(pk=user.pk, full_name=shown[0], phone=shown[1]).update(
            full_name=user.full_name, phone=user.phone
        )
        if not written:
            raise Invalid(
                [
                    Problem(
                        WHOLE,
                        _(
                            "The details of %(user)s were changed by someone else meanwhile; "
                            "reload the page."
                        )
                        % {"user": user.get_username()},
                        "conflict",
                    )
                ]
            )
        audit.record(
            actor=actor,
            action="accounts.user.updated",
            target=user,
            before=before,
            after=audit.snapshot(user, ["full_name", "phone"]),
        )
    return user


def user_password_reset(*, actor: User, user: User, password: str) -> User:
    """An administrator sets a new password; its owner must change it at the next sign-in."""
    _require_can_manage_user(actor, user)
    _validate_password(password, user, field="password1")
    user.set_password(password)
    user.must_change_password = user.pk != actor.pk
    with transaction.atomic():
        user.save(update_fields=["password", "must_change_password"])
        audit.record(actor=actor, action="accounts.password.reset", target=user)
    return user


def user_deactivate(*, actor: User, user: User) -> User:
    _require_can_manage_user(actor, user)
    if user == actor:
        raise Invalid([Problem(WHOLE, _("You cannot deactivate your own account."))])
    with transaction.atomic():
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
