"""``/healthz``: is this web machine able to serve? (issue 18, operations)

For a load balancer, a monitoring probe or systemd: no sign-in, JSON, never stored by a cache,
not audited and not rate-limited (a probe every few seconds would flood both). It checks

- ``database``: a ``SELECT 1`` (on PostgreSQL with a short statement timeout);
- ``media``: ``MEDIA_ROOT`` exists, a small file can be written and deleted there, and at least
  ``HEALTH_MIN_FREE_MB`` are free;
- ``broker``: when ``TASK_BROKER_URL`` is set, a TCP connection to its host and port (redis://,
  amqp://) within 2 s; "not configured" otherwise.

200 with ``{"status": "ok", "checks": {...}}`` when all pass, 503 with ``"failing": [names]``
otherwise. Each check says ``ok`` and ``ms``; a failure gives a short fixed reason: no stack
trace, no path, no address, no password (the broker URL is never printed).
"""

import shutil
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

DB_TIMEOUT_MS = 2000
BROKER_TIMEOUT_S = 2.0
_BROKER_PORTS = {"redis": 6379, "rediss": 6379, "amqp": 5672, "amqps": 5671}

Check = dict[str, Any]


class Unhealthy(Exception):
    """A check failed; the message is the short public reason."""


def database_check() -> Check:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with transaction.atomic():
                cursor.execute(f"SET LOCAL statement_timeout = {DB_TIMEOUT_MS}")
                cursor.execute("SELECT 1")
                row = cursor.fetchone()
        else:
            cursor.execute("SELECT 1")
            row = cursor.fetchone()
    if row is None or row[0] != 1:
        raise Unhealthy("unexpected answer")
    return {}


def media_check() -> Check:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        raise Unhealthy("missing")
    try:
        with tempfile.NamedTemporaryFile(dir=root, prefix=".healthz-", delete=True) as probe:
            probe.write(b"ok")
            probe.flush()
    except OSError as exc:
        raise Unhealthy("not writable") from exc
    free_mb = shutil.disk_usage(root).free // (1024 * 1024)
    minimum = settings.HEALTH_MIN_FREE_MB
    if free_mb < minimum:
        raise Unhealthy(f"low free space: {free_mb} MB < {minimum} MB")
    return {"free_mb": free_mb}


def broker_check() -> Check:
    url = settings.TASK_BROKER_URL
    if not url:
        return {"detail": "not configured"}
    try:
        parts = urlsplit(url)
        scheme, host, port = parts.scheme.lower(), parts.hostname, parts.port
    except ValueError as exc:  # a malformed port
        raise Unhealthy("malformed URL") from exc
    if scheme not in _BROKER_PORTS:
        return {"detail": f"not checked ({scheme or 'no'} scheme)"}
    if not host:
        raise Unhealthy("malformed URL")
    try:
        with socket.create_connection(
            (host, port or _BROKER_PORTS[scheme]), timeout=BROKER_TIMEOUT_S
        ):
            pass
    except TimeoutError as exc:
        raise Unhealthy("timed out") from exc
    except ConnectionRefusedError as exc:
        raise Unhealthy("connection refused") from exc
    except OSError as exc:  # name not found, network unreachable
        raise Unhealthy("unreachable") from exc
    return {"detail": scheme}


CHECKS: dict[str, Callable[[], Check]] = {
    "database": database_check,
    "media": media_check,
    "broker": broker_check,
}


def _run(check: Callable[[], Check]) -> Check:
    started = time.perf_counter()
    try:
        result: Check = {"ok": True, **check()}
    except Unhealthy as exc:
        result = {"ok": False, "error": str(exc)}
    except Exception as exc:  # noqa: BLE001 (any failure is an answer, never a 500)
        # The class name only: a driver's message may hold a host name or a user name.
        result = {"ok": False, "error": type(exc).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def health_status() -> tuple[bool, dict[str, Check]]:
    checks = {name: _run(check) for name, check in CHECKS.items()}
    return all(c["ok"] for c in checks.values()), checks


@login_not_required
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, checks = health_status()
    body: dict[str, Any] = {"status": "ok" if healthy else "fail", "checks": checks}
    if not healthy:
        body["failing"] = [name for name, c in checks.items() if not c["ok"]]
    response = JsonResponse(body, status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response
