"""Sessions end after ``SESSION_COOKIE_AGE`` seconds without activity, renewed at most once every
``SESSION_RENEW_SECONDS`` (5 minutes).

Renewing on every request (``SESSION_SAVE_EVERY_REQUEST``) wrote the session row back on every page
view: a transaction and a committed write to the database per request, the cost of a whole small
page under load. Renewing when the last renewal is older than a few minutes keeps the idle limit
within those minutes (a session idle for ``SESSION_COOKIE_AGE`` minus at most 5 minutes may end)
and writes the row once in a while instead.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from duan8.core.compiled import Compiled

RENEWED_KEY = "_renewed"

# Every signed-in page reads its session: the SQL built once a process (core.compiled).
_SESSION_BY_KEY = Compiled(lambda key: Session.objects.filter(session_key=key)[:1], prepared=True)


class SessionStore(DatabaseSessionStore):
    """Django's sessions in the database (``SESSION_ENGINE = "duan8.accounts.sessions"``), each
    request's session read by its key with the SQL built once a process. An expired session is
    not found, as in Django's own store, which asks the database for an expiry date in the
    future; here the row's date is compared after the read."""

    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        found = _SESSION_BY_KEY.first(key) if isinstance(key, str) else None
        if found is None or found.expire_date <= timezone.now():
            self._session_key = None
            return None
        return found


def session_mark_renewed(request: HttpRequest) -> None:
    """Signing in saves the session: count that as its renewal (accounts.signals)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[RENEWED_KEY] = int(time.time())


class SessionRenewMiddleware:
    """Marks the session modified when its last renewal is older than ``SESSION_RENEW_SECONDS``;
    Django's SessionMiddleware (outside this one) then saves it and sends a fresh cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a signed-in browser's session: an API call (a token, no cookie) or an anonymous
        # visit must not make one.
        if session is None or SESSION_KEY not in session:
            return response
        renewed = session.get(RENEWED_KEY)
        if not isinstance(renewed, int) or time.time() - renewed >= settings.SESSION_RENEW_SECONDS:
            session_mark_renewed(request)
        return response
