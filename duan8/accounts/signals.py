"""Logins, logouts and failed logins go to the audit trail (Django sends these signals itself);
a login also counts as the session's renewal (accounts.sessions)."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from duan8.accounts.sessions import session_mark_renewed
from duan8.core import audit


@receiver(user_logged_in, dispatch_uid="duan8_audit_login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(actor=user, action="accounts.login", target=user)
    if request is not None:
        session_mark_renewed(request)


@receiver(user_logged_out, dispatch_uid="duan8_audit_logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(actor=user, action="accounts.logout", target=user)


@receiver(user_login_failed, dispatch_uid="duan8_audit_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    audit.record(
        actor=None,
        action="accounts.login_failed",
        actor_name=str(credentials.get("username", ""))[:150],
    )
