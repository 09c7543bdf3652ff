"""Login throttling: after too many failures for a user name (or from one address) in a window,
every attempt is refused, even with the right password, until the window has passed."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from duan8.accounts.models import LoginFailure
from duan8.core.audit import client_address


class LockedOut(PermissionDenied):
    pass


def is_locked_out(username: str, address: str | None) -> bool:
    since = timezone.now() - datetime.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    recent = LoginFailure.objects.filter(created_at__gte=since)
    if recent.filter(username__iexact=username).count() >= settings.LOGIN_MAX_FAILURES:
        return True
    return bool(
        address
        and recent.filter(ip_address=address).count() >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS
    )


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        name = (username or kwargs.get("username") or "")[:150]
        address = client_address(request) if request is not None else None
        if is_locked_out(name, address):
            raise LockedOut
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            LoginFailure.objects.create(username=name, ip_address=address)
        return user
