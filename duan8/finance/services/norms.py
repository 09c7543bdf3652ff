"""The administrator's changes to the spending norms (issue 14, point 2).

A correction edits a norm (version-checked, audited); a change of the text from a date is a new
norm for the new period, the old one ending the day before, so estimates made under the old
norm keep their amounts (an estimate line copies the unit amount). The norms are national: the
right (``finance.norms``, the system administrator) is asked wherever it is held.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import FINANCE_NORMS
from duan8.core import audit
from duan8.core.concurrency import claim_version
from duan8.core.problems import Problems
from duan8.finance.models import SpendingNorm
from duan8.orgunits.access import holds_somewhere

FIELDS = (
    "cost_line",
    "name",
    "unit",
    "amount",
    "is_ceiling",
    "legal_source",
    "legal_article",
    "valid_from",
    "valid_to",
    "verified",
)


def norms_editable(actor: User) -> bool:
    return holds_somewhere(actor, FINANCE_NORMS)


def _require(actor: User) -> None:
    if not norms_editable(actor):
        raise PermissionDenied(_("You do not have the right to change the spending norms."))


def _problems(norm: SpendingNorm, values: Mapping[str, Any]) -> Problems:
    problems = Problems()
    amount = values.get("amount")
    if not isinstance(amount, Decimal | int) or amount < 0:
        problems.add("amount", _("Enter an amount in đồng, 0 or more."), "min_value")
    elif Decimal(amount) != Decimal(amount).to_integral_value():
        problems.add("amount", _("Amounts are whole đồng: no decimals."), "decimals")
    elif values.get("verified") and not amount:
        problems.add("amount", _("A verified norm has its amount."), "required")
    start, end = values.get("valid_from"), values.get("valid_to")
    if start is None:
        problems.add("valid_from", _("Give the date the norm applies from."), "required")
        return problems
    if end is not None and end < start:
        problems.add("valid_to", _("The end comes before the start."), "order")
        return problems
    for other in SpendingNorm.objects.filter(code=norm.code).exclude(pk=norm.pk):
        if (other.valid_to is None or start <= other.valid_to) and (
            end is None or other.valid_from <= end
        ):
            finish = other.valid_to.strftime("%d/%m/%Y") if other.valid_to else "…"
            message = _(
                "Overlaps the period %(start)s – %(end)s of the same code; end that one first."
            ) % {"start": other.valid_from.strftime("%d/%m/%Y"), "end": finish}
            problems.add("valid_from", message, "overlap")
    return problems


def _snapshot(norm: SpendingNorm) -> dict[str, Any]:
    values = audit.snapshot(norm, FIELDS)
    values["amount"] = int(norm.amount)
    return values


@transaction.atomic
def norm_update(
    *, actor: User, norm: SpendingNorm, expected_version: int | None, data: Mapping[str, Any]
) -> SpendingNorm:
    """Correct a norm (its wording, amount, source, period, whether it is verified)."""
    _require(actor)
    values = {name: data.get(name, getattr(norm, name)) for name in FIELDS}
    _problems(norm, values).raise_if_any()
    before = _snapshot(norm)
    claim_version(norm, expected_version)
    for name, value in values.items():
        setattr(norm, name, value)
    norm.full_clean()
    norm.save(update_fields=[*FIELDS, "updated_at"])
    changed = audit.changes(before, _snapshot(norm))
    audit.record(
        actor=actor,
        action="finance.norm.changed",
        target=norm,
        before={name: old for name, (old, _new) in changed.items()},
        after={name: new for name, (_old, new) in changed.items()},
        version=norm.version,
    )
    return norm


@transaction.atomic
def norm_new_period(
    *, actor: User, norm: SpendingNorm, expected_version: int | None, data: Mapping[str, Any]
) -> SpendingNorm:
    """The norm again from ``data["valid_from"]`` (a new amount…); the old one ends the day
    before."""
    _require(actor)
    start = data.get("valid_from")
    if start is None or start <= norm.valid_from:
        problems = Problems()
        message = _("The new period must start after %(start)s, when this one starts.")
        problems.add("valid_from", message % {"start": norm.valid_from.strftime("%d/%m/%Y")})
        problems.raise_if_any()
    assert isinstance(start, datetime.date)  # noqa: S101 (checked above)
    claim_version(norm, expected_version)
    if norm.valid_to is None or norm.valid_to >= start:
        norm.valid_to = start - datetime.timedelta(days=1)
        norm.save(update_fields=["valid_to", "updated_at"])
    new = SpendingNorm(code=norm.code)
    values = {name: data.get(name, getattr(norm, name)) for name in FIELDS}
    values["valid_to"] = data.get("valid_to")
    _problems(new, values).raise_if_any()
    for name, value in values.items():
        setattr(new, name, value)
    new.full_clean()
    new.save()
    audit.record(
        actor=actor,
        action="finance.norm.created",
        target=new,
        before={"ended": norm.pk, "valid_to": norm.valid_to},
        after=_snapshot(new),
        version=new.version,
    )
    return new
