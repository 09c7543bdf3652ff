"""Sign-in throttling that an attacker cannot turn against everyone.

- Per account: after ``LOGIN_MAX_FAILURES`` failures against one user name within
  ``LOGIN_LOCKOUT_SECONDS``, that account is locked (even its right password) until the window has
  passed. Only the account under attack is affected.
- Per address: ``LOGIN_MAX_FAILURES_PER_ADDRESS`` failures from one address mark the address as
  suspect: its failed attempts are told so and audited, but a right password for an account that
  is not itself locked always signs in. Behind a proxy or a shared connection every user may
  share one address, so an address is never locked.

The address is the client's (``core.client_ip``: REMOTE_ADDR, or the forwarded address behind
``TRUSTED_PROXY_COUNT`` trusted proxies).
"""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from duan8.accounts.models import LoginFailure
from duan8.core.client_ip import client_ip


class LockedOut(PermissionDenied):
    pass


def _recent() -> QuerySet[LoginFailure]:
    since = timezone.now() - datetime.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    return LoginFailure.objects.filter(created_at__gte=since)


def is_account_locked(username: str) -> bool:
    """Too many recent failures against this user name: refused even with the right password."""
    return (
        bool(username)
        and _recent().filter(username__iexact=username).count() >= settings.LOGIN_MAX_FAILURES
    )


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


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        name = (username or kwargs.get("username") or "")[:150]
        if is_account_locked(name):
            raise LockedOut
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            address = client_ip(request) if request is not None else None
            LoginFailure.objects.create(username=name, ip_address=address)
            _forget_old_failures()
        return user
