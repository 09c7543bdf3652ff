"""Personal API tokens: made by their owner (web page or ``duan8 api_token``), revoked by the owner
or by an administrator who manages the owner; refused once expired or revoked.

The key (``prefix.secret``) is printed once. What is kept is djangorestframework-api-key's
SHA-512 hash of it and its public prefix; the prefix names the token in the audit trail.
"""

from __future__ import annotations

import datetime
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import AuthenticationFailed

from duan8.accounts.models import User
from duan8.api.models import ApiToken
from duan8.core import audit
from duan8.core.compiled import Compiled
from duan8.core.problems import Problems
from duan8.orgunits.users.services import user_manage_check

DEFAULT_DAYS = 90
# A token in use is marked "last used" at most this often (one write per minute, not per request).
TOUCH_EVERY = datetime.timedelta(minutes=1)


def api_token_list(*, actor: User, user: User | None = None) -> QuerySet[ApiToken]:
    """The tokens of ``user`` (default: the actor's own); another user's only for one who
    manages that user."""
    owner = user or actor
    if owner.pk != actor.pk:
        user_manage_check(actor=actor, user=owner)
    return ApiToken.objects.filter(user=owner).select_related("revoked_by").order_by("-created")


@transaction.atomic
def api_token_create(
    *, actor: User, name: str, read_only: bool = True, days: int = DEFAULT_DAYS
) -> tuple[ApiToken, str]:
    """A new token of the actor's own; returns it and its key (shown once, never again)."""
    problems = Problems()
    name = " ".join((name or "").split())
    if not name:
        problems.add("name", _("Give the token a name that says where it is used."), "required")
    elif len(name) > 50:
        problems.add("name", _("At most 50 characters."), "max_length")
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        problems.add(
            "days",
            _("A token lasts from 1 to %(most)s days.") % {"most": settings.API_TOKEN_MAX_DAYS},
            "range",
        )
    if not actor.is_active:
        problems.add("user", _("This account is deactivated."), "inactive")
    problems.raise_if_any()
    scope = ApiToken.Scope.READ if read_only else ApiToken.Scope.WRITE
    made, key = ApiToken.objects.create_key(
        user=actor,
        name=name,
        scope=scope,
        expiry_date=timezone.now() + datetime.timedelta(days=days),
    )
    token = cast(ApiToken, made)
    audit.record(
        actor=actor,
        action="api.token.created",
        after={"prefix": token.prefix, "name": name, "scope": scope, "days": days},
        message=token.prefix,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token: its owner may, and an administrator who manages its owner."""
    if token.user_id != actor.pk:
        try:
            user_manage_check(actor=actor, user=token.user)
        except PermissionDenied as exc:
            raise PermissionDenied(_("You may not revoke this user's API tokens.")) from exc
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked:
        return token
    token.revoked, token.revoked_at, token.revoked_by = True, timezone.now(), actor
    token.save(update_fields=["revoked", "revoked_at", "revoked_by"])
    audit.record(
        actor=actor,
        action="api.token.revoked",
        after={"prefix": token.prefix, "owner": token.user.get_username()},
        message=token.prefix,
    )
    return token


# Every API request reads its token: its SQL built once a process (core.compiled).
_TOKEN_BY_PREFIX = Compiled(
    lambda prefix: ApiToken.objects.select_related("user").filter(prefix=prefix).order_by()[:1],
    prepared=True,
)


def api_token_authenticate(key: str) -> ApiToken:
    """The token a request's key names, or ``AuthenticationFailed`` saying why (in the request's
    language). Marks the request as made with the token, for the audit trail."""
    prefix, dot, _secret = key.partition(".")
    token = _TOKEN_BY_PREFIX.first(prefix) if dot and 0 < len(prefix) <= 8 else None
    if token is None or not token.is_valid(key):
        raise AuthenticationFailed(_("This API token is not valid."), code="token_invalid")
    refusal = _refusal(token)
    if refusal:
        audit.record(actor=token.user, action="api.token.refused", message=refusal)
        raise AuthenticationFailed(refusal, code="token_refused")
    audit.via_token(token.prefix)
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def _refusal(token: ApiToken) -> str:
    if token.revoked:
        return _("This API token was revoked; make a new one on your account page.")
    if token.has_expired:
        assert token.expiry_date is not None
        return _("This API token expired on %(date)s; make a new one on your account page.") % {
            "date": timezone.localtime(token.expiry_date).strftime("%d/%m/%Y")
        }
    if not token.user.is_active:
        return _("The account of this API token is deactivated.")
    return ""
