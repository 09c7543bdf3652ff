"""Sign-in throttling that an attacker cannot turn against everyone.

- Per account: after ``LOGIN_MAX_FAILURES`` failures against one user name within
  ``LOGIN_LOCKOUT_SECONDS``, that account is locked (even its right password) until the window has
  passed. Only the account under attack is affected.
- Known devices: a browser where the account signed in before carries a signed cookie naming the
  account. While the account is locked for strangers, such a browser may still sign in, unless it
  has itself failed ``LOGIN_MAX_FAILURES`` times (so an attacker cannot lock the owner out from
  the browser they use every day).
- Per address: ``LOGIN_MAX_FAILURES_PER_ADDRESS`` failures from one address mark the address as
  suspect: its failed attempts are told so and audited, but a right password for an account that
  is not itself locked always signs in. Behind a proxy or a shared connection every user may
  share one address, so an address is never locked.

The address is the client's (``core.client_ip``: REMOTE_ADDR, or the forwarded address behind
``TRUSTED_PROXY_COUNT`` trusted proxies).
"""

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from duan8.accounts.models import LoginFailure, User
from duan8.core.client_ip import client_ip
from duan8.core.compiled import Compiled

DEVICE_COOKIE = "duan8_device"
DEVICE_SALT = "duan8.accounts.known-device"
DEVICE_COOKIE_AGE = 180 * 24 * 3600


class LockedOut(PermissionDenied):
    pass


def _recent() -> QuerySet[LoginFailure]:
    since = timezone.now() - datetime.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    return LoginFailure.objects.filter(created_at__gte=since)


def known_device(request: HttpRequest | None, username: str) -> str:
    """The id of this browser's known-device cookie if it was issued for ``username``, else ""."""
    if request is None or not username:
        return ""
    try:
        data = signing.loads(
            request.COOKIES.get(DEVICE_COOKIE, ""), salt=DEVICE_SALT, max_age=DEVICE_COOKIE_AGE
        )
    except signing.BadSignature:
        return ""
    if not isinstance(data, dict) or data.get("u") != username.casefold():
        return ""
    return str(data.get("d", ""))[:32]


def remember_device(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """After a successful sign-in: mark this browser as a known device of the account."""
    device = known_device(request, username) or secrets.token_hex(16)
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps({"u": username.casefold(), "d": device}, salt=DEVICE_SALT),
        max_age=DEVICE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def is_account_locked(username: str, request: HttpRequest | None = None) -> bool:
    """Too many recent failures against this user name: refused even with the right password,
    except from a known device of the account that has not failed too often itself."""
    if not username:
        return False
    failures = _recent().filter(username__iexact=username)
    if failures.count() < settings.LOGIN_MAX_FAILURES:
        return False
    device = known_device(request, username)
    return not device or failures.filter(device=device).count() >= settings.LOGIN_MAX_FAILURES


def is_address_suspect(address: str | None) -> bool:
    """Many recent failures from this address (it may be shared: nobody is refused for it)."""
    return bool(
        address
        and _recent().filter(ip_address=address).count() >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS
    )


def _forget_old_failures() -> None:
    """Failures older than a day count for nothing; the audit trail keeps the history."""
    cutoff = timezone.now() - datetime.timedelta(
        seconds=max(settings.LOGIN_LOCKOUT_SECONDS, 24 * 3600)
    )
    LoginFailure.objects.filter(created_at__lt=cutoff).delete()


# Every signed-in request reads its user: the SQL built once a process (core.compiled).
_USER_BY_ID = Compiled(lambda pk: User.objects.filter(pk=pk).order_by()[:1], prepared=True)


class ThrottledModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        """The signed-in user of a request, as ModelBackend finds it (an inactive one is not)."""
        if type(user_id) is not int:
            return super().get_user(user_id)
        user = _USER_BY_ID.first(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        name = (username or kwargs.get("username") or "")[:150]
        if is_account_locked(name, request):
            raise LockedOut
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            LoginFailure.objects.create(
                username=name,
                ip_address=client_ip(request) if request is not None else None,
                device=known_device(request, name),
            )
            _forget_old_failures()
        return user
