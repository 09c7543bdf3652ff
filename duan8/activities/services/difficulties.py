"""Difficulties raised in a village or commune: raising one, escalating it to the commune's
People's Committee, answering or resolving it; a batch of them (an import) in one transaction.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import PLANS_EDIT, REPORTS_REVIEW
from duan8.activities.models import Difficulty
from duan8.activities.services.shared import (
    EDIT,
    TEXT_MAX,
    LockTable,
    Upload,
    batch_write,
    day_in_range,
    not_before,
    not_in_future,
    record_version_claim,
    refuse,
    require_in_year,
    require_unlocked,
    required,
    text_length,
    upload_record,
)
from duan8.core import audit
from duan8.core.problems import WHOLE, Problem, problems_of
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement


@dataclass
class DifficultyInput:
    org_unit: OrgUnit
    raised_by: str
    raised_on: datetime.date
    description: str
    plan: Plan | None = None
    activity: ProgramElement | None = None


def difficulty_check(data: DifficultyInput) -> list[Problem]:
    """Every problem with a difficulty to raise, keyed by the input's field; empty when it can
    be saved."""
    problems = [] if data.description.strip() else [Problem("description", _("describe it."))]
    problems += text_length(data.description, field="description", limit=TEXT_MAX)
    problems += required(data.raised_by, "raised_by")
    problems += day_in_range(data.raised_on, field="raised_on", future_checked=True)
    problems += not_in_future(data.raised_on, field="raised_on")
    if data.plan is not None:
        problems += require_in_year(data.raised_on, data.plan.year, field="raised_on")
        if not data.org_unit.path.startswith(data.plan.issuing_unit.path):
            message = _("the unit is not in the plan's commune.")
            problems.append(Problem("org_unit", message, "outside"))
    return problems


@dataclass
class DifficultyChange:
    """Who raised a recorded difficulty and the activity it concerns, changed by an import."""

    difficulty: Difficulty
    data: DifficultyInput
    expected_version: int | None


_RAISED = ["org_unit", "raised_by", "raised_on", "description", "plan", "activity"]
_CHANGED = ["raised_by", "activity"]


def difficulty_lock_problems(
    locks: LockTable, item: DifficultyInput | DifficultyChange
) -> list[Problem]:
    """The lock over the day a difficulty was raised."""
    if isinstance(item, DifficultyInput):
        return locks.problems(item.org_unit, item.raised_on, "raised_on")
    return locks.problems(item.difficulty.org_unit, item.difficulty.raised_on, "raised_on")


def _difficulties_problems(
    actor: User, items: list[DifficultyInput | DifficultyChange]
) -> list[Problem]:
    inputs = [item if isinstance(item, DifficultyInput) else item.data for item in items]
    units = {data.org_unit.pk: data.org_unit for data in inputs}
    for unit in units.values():
        require_permission(actor, EDIT, unit)
    many = len(items) > 1
    problems: list[Problem] = []
    for row, data in enumerate(inputs, start=1):
        problems += problems_of(difficulty_check(data), row=row if many else None)
    if problems:
        return problems
    locks = LockTable(units.values())
    for row, item in enumerate(items, start=1):
        problems += problems_of(difficulty_lock_problems(locks, item), row=row if many else None)
    return problems


@transaction.atomic
def difficulties_save_many(
    *,
    actor: User,
    new: Sequence[DifficultyInput] = (),
    changes: Sequence[DifficultyChange] = (),
    upload: Upload | None = None,
) -> list[Difficulty]:
    """Raise difficulties and change who raised recorded ones, all or none: rights, checks,
    locks and versions first, then bulk writes, then the audit (one entry per difficulty raised,
    or one for an ``upload``; changes come from uploads only)."""
    new, changes = list(new), list(changes)
    if changes and upload is None:
        raise ValueError("Changes to difficulties are saved from an upload.")
    refuse(_difficulties_problems(actor, [*new, *changes]))
    created = [Difficulty() for _data in new]
    changed = [change.difficulty for change in changes]
    batch_write(
        Difficulty,
        new=list(zip(created, new, strict=True)),
        changes=[(c.difficulty, c.data, c.expected_version) for c in changes],
        names=_RAISED,
        changed_names=_CHANGED,
    )
    if upload is not None:
        upload_record(actor=actor, upload=upload, created=len(created), updated=len(changed))
        return [*created, *changed]
    for difficulty in created:
        audit.record(
            actor=actor,
            action="activities.difficulty.raised",
            target=difficulty,
            org_unit=difficulty.org_unit,
            after=audit.snapshot(difficulty, ["raised_by", "raised_on", "description", "status"]),
            version=difficulty.version,
        )
    return created


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
    data = DifficultyInput(org_unit, raised_by, raised_on, description, plan, activity)
    return difficulties_save_many(actor=actor, new=[data])[0]


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
    require_permission(actor, PLANS_EDIT, commune)
    if difficulty.status not in (Difficulty.Status.OPEN,):
        refuse([Problem(WHOLE, _("Only an open difficulty can be escalated."), "status")])
    problems = day_in_range(on, field="on", future_checked=True)
    problems += not_in_future(on, field="on")
    problems += not_before(on, difficulty.raised_on, _("before the day it was raised."), field="on")
    problems += text_length(to, field="to", limit=255)
    refuse(problems)
    require_unlocked(difficulty.org_unit, difficulty.raised_on)
    before = audit.snapshot(difficulty, ["status", "escalated_on", "escalated_to"])
    record_version_claim(difficulty, expected_version)
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
    permission = REPORTS_REVIEW if difficulty.status == Difficulty.Status.ESCALATED else PLANS_EDIT
    require_permission(actor, permission, commune)
    problems: list[Problem] = []
    if difficulty.status == Difficulty.Status.RESOLVED:
        problems.append(Problem(WHOLE, _("This difficulty is already resolved."), "status"))
    problems += required(answer, "answer")
    problems += text_length(answer, field="answer", limit=TEXT_MAX)
    problems += required(answered_by, "answered_by")
    problems += text_length(answered_by, field="answered_by", limit=255)
    problems += day_in_range(on, field="on", future_checked=True)
    problems += not_in_future(on, field="on")
    problems += not_before(on, difficulty.raised_on, _("before the day it was raised."), field="on")
    refuse(problems)
    require_unlocked(difficulty.org_unit, difficulty.raised_on)
    before = audit.snapshot(difficulty, ["status", "answer", "answered_by", "answered_on"])
    record_version_claim(difficulty, expected_version)
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
