"""Request ids and the access log (issue 18, operations).

Every request gets an id: the caller's ``X-Request-ID`` when it is a sane token (a proxy such as
nginx's ``$request_id``, or a client retrying), otherwise a new one. The id is kept on the request
and in a context variable, so every log line written while the request runs carries it (the filter
in ``core/logs.py``), and it is sent back in the ``X-Request-ID`` response header: a user who
reports a problem can quote it and the administrator finds the matching log lines.

One access line per request goes to the logger ``duan8.request`` at INFO: method, path (without
the query string, which may hold search words), status, duration and the id.
"""

import contextvars
import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.log import log_response

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9._-]{1,64}")

access_logger = logging.getLogger("duan8.request")

# The request being answered (None outside a request): its id, and the request itself so the log
# filter can add the signed-in user's id once authentication has run.
current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "duan8_request_id", default=None
)
current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "duan8_request", default=None
)


def request_id_from(value: str | None) -> str:
    """The caller's id when it is a sane token (≤ 64 of ``[A-Za-z0-9._-]``), else a new one."""
    if value and _SANE.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in ``MIDDLEWARE``: even a redirect to HTTPS or a refused host carries an id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id  # type: ignore[attr-defined]
        id_token = current_request_id.set(request_id)
        request_token = current_request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            if response.status_code >= 400:
                # Django's own "Not Found: /x" line, written here while the id is still set (the
                # handler would write it after the middleware; it skips a response logged once).
                log_response(
                    "%s: %s",
                    response.reason_phrase,
                    request.path,
                    response=response,
                    request=request,
                )
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            access_logger.info(
                "%s %s %s %.1f ms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            current_request.reset(request_token)
            current_request_id.reset(id_token)
