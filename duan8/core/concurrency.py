"""The one version check of every optimistic-concurrency write (plans, reports, records, users).

A form or API client says which version of a row it was made on; ``claim_version`` raises the
row's version with one conditional UPDATE, which is atomic on both databases: of two saves made
on the same copy, the second waits for the first to commit, then matches no row and is refused
with ``EditConflict``. A write that does not say which version it changes is refused too: a
caller that has no form (a loader, the system) passes the version it just read.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _


class EditConflict(ValidationError):
    """The row changed since the user loaded it; the messages say who changed what."""


def claim_version(
    instance: models.Model,
    expected_version: int | None,
    *,
    explain: Callable[[], str | list[str]] | None = None,
) -> int:
    """Raise ``instance``'s version if it is still ``expected_version``; set and return the new
    one. Refuse with ``EditConflict`` (its messages from ``explain``) otherwise."""
    model = type(instance)
    if expected_version is None:
        raise EditConflict(
            _("This form does not say which version of the record it changes; reload the page.")
        )
    changed = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not changed:
        raise EditConflict(
            explain()
            if explain is not None
            else _("This record was changed by someone else after you opened it; reload the page.")
        )
    version: int = model._default_manager.values_list("version", flat=True).get(pk=instance.pk)
    instance.version = version  # type: ignore[attr-defined]
    return version
