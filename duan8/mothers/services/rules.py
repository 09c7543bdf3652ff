"""The administrator's changes to the packages' rules and items (issue 13, point 2).

A correction edits a row (version-checked, audited); a change of the law from a date is a new
row for the new period, the old one ending the day before, so cases before that date keep the
old rule. Either way, approved cases are not touched: their entitlement was fixed as lines at
approval (``services.approval``). Only holders of ``mothers.rules`` (the system administrator)
change them; the rules are national, so the right is asked wherever it is held.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_RULES
from duan8.core import audit
from duan8.core.concurrency import claim_version
from duan8.core.problems import Problems
from duan8.mothers.models import BenefitItem, EligibilityRule, EntitlementLine
from duan8.orgunits.access import holds_somewhere

RULE_UPDATED = "mothers.rule.updated"
RULE_CREATED = "mothers.rule.created"
ITEM_UPDATED = "mothers.item.updated"
ITEM_CREATED = "mothers.item.created"

RULE_FIELDS = ("name", "legal_source", "legal_article", "valid_from", "valid_to", "verified")
ITEM_FIELDS = (
    "name",
    "amount",
    "basis",
    "with_carer",
    "needs_facility_delivery",
    "max_days_normal",
    "max_days_caesarean",
    "max_visits",
    "legal_source",
    "legal_article",
    "valid_from",
    "valid_to",
    "verified",
    "order",
)
Row = EligibilityRule | BenefitItem


def rules_editable(actor: User) -> bool:
    return holds_somewhere(actor, MOTHERS_RULES)


def _require(actor: User) -> None:
    if not holds_somewhere(actor, MOTHERS_RULES):
        raise PermissionDenied(_("You do not have the right to change the packages' rules."))


def _period_problems(
    row: Row, valid_from: datetime.date | None, valid_to: datetime.date | None
) -> Problems:
    """The period is ordered and overlaps no other row of the same code."""
    problems = Problems()
    if valid_from is None:
        problems.add("valid_from", _("Give the date the rule applies from."), "required")
        return problems
    if valid_to is not None and valid_to < valid_from:
        problems.add("valid_to", _("The end comes before the start."), "order")
        return problems
    others = type(row)._default_manager.filter(code=row.code).exclude(pk=row.pk)
    for other in others:
        if (other.valid_to is None or valid_from <= other.valid_to) and (
            valid_to is None or other.valid_from <= valid_to
        ):
            end = other.valid_to.strftime("%d/%m/%Y") if other.valid_to else "…"
            message = _(
                "Overlaps the period %(start)s – %(end)s of the same code; end that one first."
            )
            problems.add(
                "valid_from",
                message % {"start": other.valid_from.strftime("%d/%m/%Y"), "end": end},
                "overlap",
            )
    return problems


def _snapshot(row: Row, fields: tuple[str, ...]) -> dict[str, Any]:
    """``audit.snapshot`` with the amount as a whole number (``audit.plain`` writes a round
    Decimal as "1.2E+6")."""
    values = audit.snapshot(row, fields)
    if isinstance(row, BenefitItem):
        values["amount"] = int(row.amount)
    return values


def _approved_lines(row: Row) -> int:
    if isinstance(row, BenefitItem):
        return EntitlementLine.objects.filter(item=row).count()
    return 0


@transaction.atomic
def _update(
    *,
    actor: User,
    row: Row,
    expected_version: int | None,
    data: Mapping[str, Any],
    fields: tuple[str, ...],
    action: str,
) -> int:
    _require(actor)
    _period_problems(
        row, data.get("valid_from", row.valid_from), data.get("valid_to", row.valid_to)
    ).raise_if_any()
    before = _snapshot(row, fields)
    claim_version(row, expected_version)
    for name in fields:
        if name in data:
            setattr(row, name, data[name])
    row.full_clean(exclude=["provinces"])
    row.save(update_fields=[name for name in fields if name in data] + ["updated_at"])
    provinces_changed = _provinces_set(row, data)
    after = _snapshot(row, fields)
    changed = audit.changes(before, after)
    audit.record(
        actor=actor,
        action=action,
        target=row,
        before={name: old for name, (old, _new) in changed.items()},
        after={
            **{name: new for name, (_old, new) in changed.items()},
            **provinces_changed,
        },
        version=row.version,
    )
    return _approved_lines(row)


def _provinces_set(row: Row, data: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(row, EligibilityRule) or "provinces" not in data:
        return {}
    old = sorted(row.provinces.values_list("pk", flat=True))
    new = sorted(unit.pk for unit in data["provinces"])
    if old == new:
        return {}
    row.provinces.set(data["provinces"])
    return {"provinces": new}


def rule_update(
    *, actor: User, rule: EligibilityRule, expected_version: int | None, data: Mapping[str, Any]
) -> EligibilityRule:
    """Correct a rule (its name, source, period, provinces, whether it is verified)."""
    _update(
        actor=actor,
        row=rule,
        expected_version=expected_version,
        data=data,
        fields=RULE_FIELDS,
        action=RULE_UPDATED,
    )
    return rule


def item_update(
    *, actor: User, item: BenefitItem, expected_version: int | None, data: Mapping[str, Any]
) -> int:
    """Correct an item; the number of approved cases' lines of it, which keep their amounts."""
    return _update(
        actor=actor,
        row=item,
        expected_version=expected_version,
        data=data,
        fields=ITEM_FIELDS,
        action=ITEM_UPDATED,
    )


@transaction.atomic
def _new_period(
    *,
    actor: User,
    row: Row,
    expected_version: int | None,
    data: Mapping[str, Any],
    fields: tuple[str, ...],
    action: str,
) -> Row:
    _require(actor)
    problems = Problems()
    start = data.get("valid_from")
    if start is None or start <= row.valid_from:
        message = _("The new period must start after %(start)s, when this one starts.")
        problems.add("valid_from", message % {"start": row.valid_from.strftime("%d/%m/%Y")})
    problems.raise_if_any()
    assert start is not None
    claim_version(row, expected_version)
    if row.valid_to is None or row.valid_to >= start:
        row.valid_to = start - datetime.timedelta(days=1)
        row.save(update_fields=["valid_to", "updated_at"])
    new = type(row)(code=row.code)
    for name in fields:
        setattr(new, name, data.get(name, getattr(row, name)))
    if isinstance(row, EligibilityRule) and isinstance(new, EligibilityRule):
        new.kind = row.kind
    _period_problems(new, new.valid_from, new.valid_to).raise_if_any()
    new.full_clean(exclude=["provinces"])
    new.save()
    if isinstance(row, EligibilityRule) and isinstance(new, EligibilityRule):
        new.provinces.set(data.get("provinces", row.provinces.all()))
    audit.record(
        actor=actor,
        action=action,
        target=new,
        before={"ended": row.pk, "valid_to": row.valid_to},
        after=_snapshot(new, fields),
        version=new.version,
    )
    return new


def rule_new_period(
    *, actor: User, rule: EligibilityRule, expected_version: int | None, data: Mapping[str, Any]
) -> EligibilityRule:
    """A new version of the rule from ``data["valid_from"]``; the old one ends the day before."""
    new = _new_period(
        actor=actor,
        row=rule,
        expected_version=expected_version,
        data=data,
        fields=RULE_FIELDS,
        action=RULE_CREATED,
    )
    assert isinstance(new, EligibilityRule)
    return new


def item_new_period(
    *, actor: User, item: BenefitItem, expected_version: int | None, data: Mapping[str, Any]
) -> BenefitItem:
    """A new version of the item (a new amount, cap…) from ``data["valid_from"]``."""
    new = _new_period(
        actor=actor,
        row=item,
        expected_version=expected_version,
        data=data,
        fields=ITEM_FIELDS,
        action=ITEM_CREATED,
    )
    assert isinstance(new, BenefitItem)
    return new
