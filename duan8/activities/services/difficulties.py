"""Difficulties raised in a village or commune: raising one, escalating it to the commune's
People's Committee, answering or resolving it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.models import Difficulty
from duan8.activities.services.shared import (
    EDIT,
    TEXT_MAX,
    claim_version,
    day_in_range,
    not_in_future,
    require_in_year,
    require_unlocked,
    text_length,
)
from duan8.core import audit
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement


def difficulty_check(
    *,
    org_unit: OrgUnit,
    raised_by: str,
    raised_on: datetime.date,
    description: str,
    plan: Plan | None = None,
) -> list[str]:
    """Every problem with a difficulty to raise; empty when it can be saved (Excel imports)."""
    errors: list[str] = []
    if not description.strip():
        errors.append(_("Difficulty: describe it."))
    errors += text_length(description, label=_("Difficulty"), limit=TEXT_MAX)
    if not raised_by.strip():
        errors.append(_("Raised by: required."))
    errors += day_in_range(raised_on, label=_("Raised on"), future_checked=True)
    errors += not_in_future(raised_on, label=_("Raised on"))
    if plan is not None:
        errors += require_in_year(raised_on, plan.year, label=_("Raised on"))
        if not org_unit.path.startswith(plan.issuing_unit.path):
            errors.append(_("Raised in: the unit is not in the plan's commune."))
    return errors


@transaction.atomic
def difficulty_raise(
    *,
    actor: User,
    org_unit: OrgUnit,
    raised_by: str,
    raised_on: datetime.date,
    description: str,
    plan: Plan | None = None,
    activity: ProgramElement | None = None,
) -> Difficulty:
    require_permission(actor, EDIT, org_unit)
    errors = difficulty_check(
        org_unit=org_unit,
        raised_by=raised_by,
        raised_on=raised_on,
        description=description,
        plan=plan,
    )
    if errors:
        raise ValidationError(errors)
    require_unlocked(org_unit, raised_on)
    difficulty = Difficulty.objects.create(
        org_unit=org_unit,
        raised_by=raised_by.strip(),
        raised_on=raised_on,
        description=description.strip(),
        plan=plan,
        activity=activity,
    )
    audit.record(
        actor=actor,
        action="activities.difficulty.raised",
        target=difficulty,
        org_unit=org_unit,
        after=audit.snapshot(difficulty, ["raised_by", "raised_on", "description", "status"]),
        version=difficulty.version,
    )
    return difficulty


def _commune_of(unit: OrgUnit) -> OrgUnit:
    return unit.parent if unit.level == OrgUnit.Level.VILLAGE and unit.parent else unit


@transaction.atomic
def difficulty_escalate(
    *,
    actor: User,
    difficulty: Difficulty,
    on: datetime.date,
    to: str = "",
    expected_version: int | None = None,
) -> Difficulty:
    """The commune Women's Union passes a difficulty beyond its authority to the commune PC."""
    commune = _commune_of(difficulty.org_unit)
    require_permission(actor, "plans.edit", commune)
    if difficulty.status not in (Difficulty.Status.OPEN,):
        raise ValidationError(_("Only an open difficulty can be escalated."))
    errors = day_in_range(on, label=_("Escalated on"), future_checked=True)
    errors += not_in_future(on, label=_("Escalated on"))
    if on < difficulty.raised_on:
        errors.append(_("Escalated on: before the day it was raised."))
    errors += text_length(to, label=_("Escalated to"), limit=255)
    if errors:
        raise ValidationError(errors)
    require_unlocked(difficulty.org_unit, difficulty.raised_on)
    before = audit.snapshot(difficulty, ["status", "escalated_on", "escalated_to"])
    difficulty.version = claim_version(Difficulty, difficulty.pk, expected_version)
    difficulty.status = Difficulty.Status.ESCALATED
    difficulty.escalated_on = on
    # "Ủy ban nhân dân xã Ba Trang": the unit's kind in lower case inside a name.
    in_name = f"{commune.kind.lower()} {commune.name}".strip()
    difficulty.escalated_to = to.strip() or _("People's Committee of %(commune)s") % {
        "commune": in_name
    }
    difficulty.save(update_fields=["status", "escalated_on", "escalated_to", "updated_at"])
    audit.record(
        actor=actor,
        action="activities.difficulty.escalated",
        target=difficulty,
        org_unit=difficulty.org_unit,
        before=before,
        after=audit.snapshot(difficulty, ["status", "escalated_on", "escalated_to"]),
        version=difficulty.version,
    )
    return difficulty


@transaction.atomic
def difficulty_answer(
    *,
    actor: User,
    difficulty: Difficulty,
    answer: str,
    answered_by: str,
    on: datetime.date,
    resolved: bool = False,
    expected_version: int | None = None,
) -> Difficulty:
    """Answered by the commune WU (open ones) or the commune PC (escalated ones)."""
    commune = _commune_of(difficulty.org_unit)
    permission = (
        "reports.review" if difficulty.status == Difficulty.Status.ESCALATED else "plans.edit"
    )
    require_permission(actor, permission, commune)
    errors: list[str] = []
    if difficulty.status == Difficulty.Status.RESOLVED:
        errors.append(_("This difficulty is already resolved."))
    if not answer.strip():
        errors.append(_("Answer: required."))
    errors += text_length(answer, label=_("Answer"), limit=TEXT_MAX)
    if not answered_by.strip():
        errors.append(_("Answered by: required."))
    errors += text_length(answered_by, label=_("Answered by"), limit=255)
    errors += day_in_range(on, label=_("Answered on"), future_checked=True)
    errors += not_in_future(on, label=_("Answered on"))
    if on < difficulty.raised_on:
        errors.append(_("Answered on: before the day it was raised."))
    if errors:
        raise ValidationError(errors)
    require_unlocked(difficulty.org_unit, difficulty.raised_on)
    before = audit.snapshot(difficulty, ["status", "answer", "answered_by", "answered_on"])
    difficulty.version = claim_version(Difficulty, difficulty.pk, expected_version)
    difficulty.answer = answer.strip()
    difficulty.answered_by = answered_by.strip()
    difficulty.answered_on = on
    difficulty.status = Difficulty.Status.RESOLVED if resolved else Difficulty.Status.ANSWERED
    difficulty.save(update_fields=["answer", "answered_by", "answered_on", "status", "updated_at"])
    audit.record(
        actor=actor,
        action="activities.difficulty.answered",
        target=difficulty,
        org_unit=difficulty.org_unit,
        before=before,
        after=audit.snapshot(difficulty, ["status", "answer", "answered_by", "answered_on"]),
        version=difficulty.version,
    )
    return difficulty
