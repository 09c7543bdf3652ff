"""One-time keys for create forms: a double tap, or a retry on a slow network, must not create a
second event, member, cadre, difficulty or group.

Every create form carries a hidden key (``OnceForm``, field ``once``) made when the page is
rendered. The view hands its "create and redirect" step to ``create_once``: the first POST with a
key claims it (a row unique on user and key) in the same transaction as the record it creates, and
keeps the address it redirected to; a repeated POST with the same key is sent to that address
instead of creating again. Two POSTs arriving together: the second one's insert waits for the
first transaction (the unique index), then finds the first result. A POST that fails (the form
shown again with its messages) claims nothing, so the corrected form may be sent with the same
key. Keys are kept two days, then removed by a later write, at most once every ten minutes in each
process (``Throttle``; the API's keys likewise): not a DELETE on every POST for rows that are
seldom there. A key older than that and not yet removed still leads to its first result.
"""

import datetime
import re
import secrets
from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import connection, models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIELD = "once"
KEEP = datetime.timedelta(days=2)
PURGE_EVERY = datetime.timedelta(minutes=10)
_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class IdempotencyKey(models.Model):
    """A create form's one-time key, and where its first successful POST led."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(gettext_lazy("key"), max_length=64)
    url = models.CharField(gettext_lazy("result"), max_length=500, blank=True)
    created_at = models.DateTimeField(gettext_lazy("time"), auto_now_add=True, db_index=True)

    class Meta:
        app_label = "core"
        verbose_name = gettext_lazy("form key")
        verbose_name_plural = gettext_lazy("form keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"


class Throttle:
    """Housekeeping that need not run on every request: ``due(now)`` is true at most once every
    ``every`` in this process (two threads may both find it due: the work is idempotent)."""

    def __init__(self, every: datetime.timedelta) -> None:
        self.every = every
        self.next_at: datetime.datetime | None = None

    def due(self, now: datetime.datetime) -> bool:
        if self.next_at is not None and now < self.next_at:
            return False
        self.next_at = now + self.every
        return True


_purge = Throttle(PURGE_EVERY)


def claim_row(
    model: type[models.Model], values: dict[str, Any], unique: Sequence[str]
) -> int | None:
    """Insert a row of ``model`` (``values`` by field name) unless a row with the same ``unique``
    fields exists: the new row's id, or None.

    ``INSERT … ON CONFLICT DO NOTHING RETURNING``, the claim of a form's one-time key and of the
    API's Idempotency-Key: not an INSERT in a savepoint to catch the unique index's error, two
    statements more on every POST. On PostgreSQL an INSERT that meets a claim not yet committed
    waits for it, as the plain INSERT did; it inserts when that claim is rolled back. SQLite
    writes one transaction at a time."""
    meta = model._meta
    fields = {field.name: field for field in meta.concrete_fields}
    columns = ", ".join(fields[name].column for name in values)
    places = ", ".join(["%s"] * len(values))
    conflict = ", ".join(fields[name].column for name in unique)
    # each value as the ORM would store it (a time in UTC, as SQLite's text, say)
    params = [fields[name].get_db_prep_save(value, connection) for name, value in values.items()]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {meta.db_table} ({columns}) VALUES ({places})"  # noqa: S608 — names from the model
            f" ON CONFLICT ({conflict}) DO NOTHING RETURNING {meta.pk.column}",
            params,
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def new_key() -> str:
    return secrets.token_urlsafe(24)


class OnceForm(forms.Form):
    """A form with the hidden one-time key; mix into every create form (or render alone)."""

    once = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64, initial=new_key)


def posted_key(request: HttpRequest) -> str:
    return request.POST.get(FIELD, "").strip()


def create_once(
    request: HttpRequest, create: Callable[[], HttpResponse | None]
) -> HttpResponse | None:
    """Run ``create`` once per form key.

    ``create`` validates and saves; it returns a redirect to what it created on success, or a
    page (or None) on failure. A key already used by this user returns a redirect to the first
    result, with a note, and ``create`` is not run. Without a usable key (an old page), ``create``
    simply runs.
    """
    user, key = request.user, posted_key(request)
    if not user.is_authenticated or not _KEY.match(key):
        return create()
    now = timezone.now()
    with transaction.atomic():
        if _purge.due(now):
            IdempotencyKey.objects.filter(created_at__lt=now - KEEP).delete()
        claim = claim_row(
            IdempotencyKey,
            {"user": user.pk, "key": key, "url": "", "created_at": now},
            ("user", "key"),
        )
        if claim is None:
            first = (
                IdempotencyKey.objects.filter(user=user, key=key)
                .values_list("url", flat=True)
                .first()
            )
            if not first:
                return create()
            messages.info(request, _("This form was already sent; here is what it saved."))
            return redirect(first)
        response = create()
        location = response.get("Location") if response is not None else None
        if response is None or response.status_code not in (301, 302, 303) or not location:
            transaction.set_rollback(True)
            return response
        IdempotencyKey.objects.filter(pk=claim).update(url=location[:500])
        return response
