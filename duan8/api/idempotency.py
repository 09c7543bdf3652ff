"""``Idempotency-Key`` on every POST: a retried submission never creates a second record.

The first POST with a key claims it (a row unique on user and key) in the same transaction as
what the POST writes, and keeps its answer (status, JSON body, Location, ETag). A retry with the
same key and the same request gets that answer again, with ``Idempotent-Replayed: true``, and
nothing is run; the same key with a different request is refused (422). Two POSTs arriving
together: the second one's insert waits for the first transaction (the unique index), then
replays its answer.
A POST that fails (4xx, or an exception) claims nothing, so the corrected request may be sent with
the same key. Keys are kept two days: an older one is free again (its row is replaced), and old
rows are removed by a later POST, at most once every ten minutes in each process (not on every
POST: a query each time for rows that are seldom there).

Every ``post`` of an endpoint is wrapped with ``@idempotent``; a test walks the URLs to check it.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from duan8.api.errors import BadRequest, KeyReused
from duan8.api.models import IdempotentRequest
from duan8.api.who import actor
from duan8.core.idempotency import PURGE_EVERY, Throttle, claim_row

HEADER = "Idempotency-Key"
KEEP = datetime.timedelta(days=2)
_purge = Throttle(PURGE_EVERY)  # this process's removal of old keys
_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,100}$")

Handler = Callable[..., HttpResponse]


def request_key(request: Request) -> str:
    key = request.headers.get(HEADER, "").strip()
    if not key:
        raise BadRequest(
            HEADER,
            _("Send an Idempotency-Key header (8–100 letters, digits, - _ . :) with every POST."),
            "required",
        )
    if not _KEY.match(key):
        raise BadRequest(
            HEADER, _("The Idempotency-Key must be 8–100 letters, digits, - _ . or :."), "invalid"
        )
    return key


def _fingerprint(request: Request) -> str:
    raw = request._request.body  # read before DRF parses it; Django keeps a copy for the parser
    head = f"{request.method} {request.path}\n".encode()
    return hashlib.sha256(head + raw).hexdigest()


def _replay(first: IdempotentRequest) -> HttpResponse:
    content = json.dumps(first.body, ensure_ascii=False).encode() if first.body is not None else b""
    response = HttpResponse(content, status=first.status, content_type="application/json")
    if first.location:
        response["Location"] = first.location
    if first.etag:
        response["ETag"] = first.etag
    response["Idempotent-Replayed"] = "true"
    return response


def _purge_old(now: datetime.datetime) -> None:
    """Remove the keys older than ``KEEP``, when this process has not for ``PURGE_EVERY``."""
    if _purge.due(now):
        IdempotentRequest.objects.filter(created_at__lt=now - KEEP).delete()


def _claim(
    user: Any, key: str, fingerprint: str, now: datetime.datetime
) -> IdempotentRequest | None:
    """The key's row, inserted; None when the key is already claimed (``claim_row``)."""
    values = {"user": user.pk, "key": key, "fingerprint": fingerprint}
    values |= {"location": "", "etag": "", "created_at": now}
    pk = claim_row(IdempotentRequest, values, ("user", "key"))
    if pk is None:
        return None
    claim = IdempotentRequest(pk=pk, user=user, key=key, fingerprint=fingerprint)
    claim.created_at = now
    claim._state.adding = False
    return claim


def idempotent(handler: Handler) -> Handler:
    """Wrap an endpoint's ``post`` (a method of an APIView)."""

    @functools.wraps(handler)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        key, user = request_key(request), actor(request)
        fingerprint = _fingerprint(request)
        now = timezone.now()
        _purge_old(now)
        with transaction.atomic():
            claim = None
            for attempt in (1, 2):
                claim = _claim(user, key, fingerprint, now)
                if claim is not None:
                    break
                first = IdempotentRequest.objects.filter(user=user, key=key).first()
                assert first is not None and first.status is not None  # committed, answered
                if attempt == 1 and first.created_at < now - KEEP:
                    # kept no longer: the key is free again (a second POST claiming it at the
                    # same time finds the first's new row on the next attempt)
                    IdempotentRequest.objects.filter(pk=first.pk).delete()
                    continue
                if first.fingerprint != fingerprint:
                    raise KeyReused(
                        _("This Idempotency-Key was already used for a different request.")
                    )
                return _replay(first)
            assert claim is not None
            response = handler(view, request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
                return response
            data = getattr(response, "data", None)
            claim.status = response.status_code
            claim.body = (
                json.loads(JSONRenderer().render(data)) if isinstance(response, Response) else None
            )
            claim.location = str(response.get("Location", ""))[:500]
            claim.etag = str(response.get("ETag", ""))[:40]
            claim.save(update_fields=["status", "body", "location", "etag"])
            return response

    wrapper.idempotent = True  # type: ignore[attr-defined]
    return wrapper
