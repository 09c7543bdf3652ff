"""Writes to plans, targets and allocations. Every function checks the actor's right first."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.core import audit
from duan8.core.concurrency import claim_version
from duan8.core.models import AuditEvent
from duan8.core.problems import WHOLE, Invalid, Problem, Problems, problems_of
from duan8.programs.amendments import supersede_amended
from duan8.programs.assignments import assignment_row_problems
from duan8.programs.models import (
    AllocationCell,
    AllocationRow,
    Plan,
    ProgramElement,
    Target,
)
from duan8.programs.plan_access import require_plan_approve, require_plan_write
from duan8.programs.selectors import (
    AllocationTable,
    allocation_check,
    allocation_table,
    element_label,
)

_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


def nfc(text: str) -> str:
    """Normalise to NFC: text pasted from Word or Excel often arrives decomposed."""
    return unicodedata.normalize("NFC", text).strip()


def parse_count(raw: str, *, field: str) -> Decimal:
    """A non-negative number as typed (``01``, ``3``, ``2,5``); else ``Invalid`` on ``field``."""
    text = nfc(raw or "")
    if text == "":
        return Decimal(0)
    if text.startswith("-") and _NUMBER.match(text[1:]):
        raise Invalid(
            [
                Problem(
                    field,
                    _("“%(value)s” is negative; a target cannot be below 0.") % {"value": text},
                    "min_value",
                )
            ]
        )
    try:
        if not _NUMBER.match(text):
            raise InvalidOperation
        return Decimal(text.replace(",", "."))
    except InvalidOperation as exc:
        raise Invalid(
            [Problem(field, _("“%(value)s” is not a number.") % {"value": text}, "not_a_number")]
        ) from exc


def _require_editable(plan: Plan) -> None:
    if not plan.is_editable:
        raise Invalid([Problem(WHOLE, _("This plan is approved and can no longer be changed."))])


def _claim_version(plan: Plan, expected_version: int | None) -> int:
    """Raise the plan's version (``core.concurrency``); a conflict says who changed what."""
    return claim_version(
        plan, expected_version, explain=lambda: _conflict_messages(plan, expected_version or 0)
    )


def _record(
    plan: Plan,
    actor: User,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
    version: int,
) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=plan,
        org_unit=plan.issuing_unit,
        before=before,
        after=after,
        version=version,
    )


def _conflict_messages(plan: Plan, seen_version: int) -> list[str]:
    messages = [
        _(
            "Someone else saved this plan while you were editing it. Nothing of yours was saved;"
            " here is what they changed. Reload the page and make your change again."
        )
    ]
    events = AuditEvent.objects.filter(
        target_type=Plan._meta.label_lower,
        target_id=str(plan.pk),
        target_version__gt=seen_version,
    ).order_by("created_at", "id")
    for event in events:
        for name, (old, new) in audit.changes(event.before, event.after).items():
            messages.append(
                _("%(user)s at %(time)s — %(field)s: “%(old)s” → “%(new)s”")
                % {
                    "user": event.actor_name,
                    "time": timezone.localtime(event.created_at).strftime("%H:%M %d/%m/%Y"),
                    "field": name,
                    "old": "" if old is None else old,
                    "new": "" if new is None else new,
                }
            )
    return messages


@dataclass(frozen=True)
class TargetInput:
    """One cell of the first appendix as typed: ``kind`` "" removes the target."""

    element: ProgramElement
    scope: str
    kind: str
    value: str = ""
    text: str = ""


def target_field(element: ProgramElement, scope: str, part: str = "kind") -> str:
    """Where a problem of one cell of the first appendix is keyed: ``targets.<code>.<scope>.<part>``
    (``part`` is the cell's input: ``kind``, ``value`` or ``text``)."""
    return f"targets.{element.code}.{scope}.{part}"


def _target_prepare(plan: Plan, item: TargetInput, existing: Target | None) -> Target | None:
    """Validate one cell and return the unsaved target (None = remove); ``Invalid`` on the cell."""
    element, scope, kind = item.element, item.scope, item.kind
    where = {part: target_field(element, scope, part) for part in ("kind", "value", "text")}
    if not plan.project.code or not element.code.startswith(f"{plan.project.code}."):
        raise Invalid(
            [Problem(where["kind"], _("This indicator does not belong to the plan's project."))]
        )
    if scope not in Target.Scope.values:
        raise Invalid([Problem(where["kind"], _("Unknown level “%(scope)s”.") % {"scope": scope})])
    if not kind:
        return None
    if kind not in Target.Kind.values:
        raise Invalid([Problem(where["kind"], _("Unknown target kind."), "invalid_choice")])
    target = Target(pk=existing.pk if existing else None, plan=plan, element=element, scope=scope)
    target.kind = kind
    if existing:
        target.created_at = existing.created_at
    if kind == Target.Kind.NUMBER:
        if not nfc(item.value):
            raise Invalid([Problem(where["value"], _("A number is required."), "required")])
        target.value = parse_count(item.value, field=where["value"])
    elif kind in (Target.Kind.TEXT, Target.Kind.SUSPENDED):
        target.text = nfc(item.text)
        if not target.text:
            raise Invalid(
                [Problem(where["text"], _("Write the instruction or the reason."), "required")]
            )
    try:
        target.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise Invalid(
            Problem(where.get(p.field, where["kind"]), p.message, p.code) for p in problems_of(exc)
        ) from exc
    return target


@transaction.atomic
def targets_set(
    *,
    plan: Plan,
    items: list[TargetInput],
    actor: User,
    expected_version: int | None,
) -> int:
    """Set cells of the first appendix. All are checked first; nothing is saved on any error.

    Returns the number of cells that changed.
    """
    require_plan_write(actor, plan)
    _require_editable(plan)
    existing = {(t.element_id, t.scope): t for t in Target.objects.filter(plan=plan)}
    problems = Problems()
    planned: list[tuple[TargetInput, Target | None]] = []
    for item in items:
        try:
            planned.append(
                (item, _target_prepare(plan, item, existing.get((item.element.pk, item.scope))))
            )
        except ValidationError as exc:
            problems.extend(problems_of(exc))
    problems.raise_if_any()
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    to_delete, to_save = [], []
    for item, target in planned:
        old = existing.get((item.element.pk, item.scope))
        old_display = old.display if old else ""
        new_display = target.display if target else ""
        if (
            old is not None
            and target is not None
            and ((old.kind, old.value, old.text) == (target.kind, target.value, target.text))
        ):
            continue
        if old is None and target is None:
            continue
        label = f"{element_label(item.element)} — {Target.Scope(item.scope).label}"
        before[label], after[label] = old_display, new_display
        if target is not None:
            to_save.append(target)
        elif old is not None:
            to_delete.append(old.pk)
    if not after:
        return 0
    version = _claim_version(plan, expected_version)
    Target.objects.filter(pk__in=to_delete).delete()
    for target in to_save:
        target.save()
    _record(plan, actor, "programs.targets.changed", before, after, version)
    return len(after)


def target_set(
    *,
    plan: Plan,
    element: ProgramElement,
    scope: str,
    kind: str,
    value: str = "",
    text: str = "",
    actor: User,
    expected_version: int | None,
) -> Target | None:
    """Set one cell of the first appendix (see ``targets_set``); an empty kind removes it."""
    targets_set(
        plan=plan,
        items=[TargetInput(element=element, scope=scope, kind=kind, value=value, text=text)],
        actor=actor,
        expected_version=expected_version,
    )
    return Target.objects.filter(plan=plan, element=element, scope=scope).first()


def allocation_field(row_id: int, column_id: int | None = None) -> str:
    """Where a problem of one cell of the allocation table is keyed, by the input it came from:
    ``values.<row>.<column>``, or ``difficult_villages.<row>`` (the especially difficult villages
    column)."""
    if column_id is None:
        return f"difficult_villages.{row_id}"
    return f"values.{row_id}.{column_id}"


@dataclass
class _Allocation:
    """The allocation table as typed: its numbers and rows, and what is wrong with them."""

    table: AllocationTable
    values: dict[tuple[int, int], Decimal]
    problems: Problems


def _allocation_read(
    table: AllocationTable,
    values: dict[tuple[int, int], str],
    difficult_villages: dict[int, str],
) -> _Allocation:
    """Parse every typed value onto a copy of the table's rows; check the sums once all read."""
    rows = {row.pk: row for row in table.rows}
    columns = {column.pk for column in table.columns}
    typed = _Allocation(table, dict(table.values), Problems())
    elsewhere = _("A value refers to a row or column that is not in this plan.")
    for (row_id, column_id), raw in values.items():
        if row_id not in rows or column_id not in columns:
            typed.problems.add(allocation_field(row_id, column_id), elsewhere)
            continue
        try:
            typed.values[(row_id, column_id)] = parse_count(
                raw, field=allocation_field(row_id, column_id)
            )
        except ValidationError as exc:
            typed.problems.extend(problems_of(exc))
    for row_id, raw in difficult_villages.items():
        if row_id not in rows:
            typed.problems.add(allocation_field(row_id), elsewhere)
            continue
        try:
            rows[row_id].difficult_villages = _whole_count(raw, field=allocation_field(row_id))
        except ValidationError as exc:
            typed.problems.extend(problems_of(exc))
    if not typed.problems:
        for problem in allocation_check(table.rows, table.columns, typed.values):
            column = problem.column.pk if problem.column else None
            typed.problems.add(allocation_field(problem.row.pk, column), problem.short, "sum")
    return typed


def _whole_count(raw: str, *, field: str) -> int | None:
    """A whole number as typed, or None when empty ("not stated")."""
    text = nfc(raw or "")
    if text == "":
        return None
    number = parse_count(text, field=field)
    if number != number.to_integral_value():
        raise Invalid([Problem(field, _("A whole number is required."), "whole")])
    return int(number)


def _allocation_changes(
    typed: _Allocation, stated_before: dict[int, int | None]
) -> tuple[dict[str, object], dict[str, object]]:
    """What the save changes, by "row / column", for the audit log."""
    table = typed.table
    rows = {row.pk: row for row in table.rows}
    headings = {column.pk: column.heading for column in table.columns}
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    for (row_id, column_id), number in typed.values.items():
        old = table.values.get((row_id, column_id), Decimal(0))
        if old != number:
            label = f"{rows[row_id]} / {headings[column_id]}"
            before[label], after[label] = audit.plain(old), audit.plain(number)
    for row in table.rows:
        if stated_before[row.pk] != row.difficult_villages:
            label = f"{row} / {_('Number of especially difficult villages')}"
            before[label], after[label] = stated_before[row.pk], row.difficult_villages
    return before, after


def _allocation_write(plan: Plan, typed: _Allocation) -> None:
    existing = {(c.row_id, c.column_id): c for c in AllocationCell.objects.filter(row__plan=plan)}
    to_create, to_update = [], []
    for key, number in typed.values.items():
        cell = existing.get(key)
        if cell is None:
            to_create.append(AllocationCell(row_id=key[0], column_id=key[1], value=number))
        elif cell.value != number:
            cell.value = number
            to_update.append(cell)
    AllocationCell.objects.bulk_create(to_create)
    if to_update:
        AllocationCell.objects.bulk_update(to_update, ["value", "updated_at"])
    AllocationRow.objects.bulk_update(typed.table.rows, ["difficult_villages", "updated_at"])


@transaction.atomic
def allocation_set(
    *,
    plan: Plan,
    values: dict[tuple[int, int], str],
    difficult_villages: dict[int, str],
    actor: User,
    expected_version: int | None,
) -> None:
    """Replace the allocation table's numbers. All are checked first; nothing is saved on any error.

    ``values`` maps (row id, column id) to the typed text; ``difficult_villages`` maps row id to the
    typed number of especially difficult villages ("" = not stated). Problems are keyed by cell
    (``allocation_field``).
    """
    require_plan_write(actor, plan)
    _require_editable(plan)
    table = allocation_table(plan=plan)
    stated_before = {row.pk: row.difficult_villages for row in table.rows}
    typed = _allocation_read(table, values, difficult_villages)
    assignment_row_problems(plan, table.rows, typed.problems)  # a province's: its communes only
    typed.problems.raise_if_any()
    before, after = _allocation_changes(typed, stated_before)
    if not after:
        return
    version = _claim_version(plan, expected_version)
    _allocation_write(plan, typed)
    _record(plan, actor, "programs.allocation.changed", before, after, version)


@transaction.atomic
def plan_approval_problems(plan: Plan) -> list[Any]:
    """What the checks of ``settings.PLAN_APPROVAL_CHECKS`` find in the plan: each problem has
    ``is_error`` (errors block approval), ``level_label``, ``where`` and ``message``."""
    return [
        problem for check in settings.PLAN_APPROVAL_CHECKS for problem in import_string(check)(plan)
    ]


def _whole(*messages: str) -> Invalid:
    """Problems with the plan as a whole (shown at the top; each names what it is about)."""
    return Invalid(Problem(WHOLE, message) for message in messages)


@transaction.atomic
def plan_approve(*, plan: Plan, actor: User, expected_version: int | None) -> Plan:
    require_plan_approve(actor, plan)
    if plan.status != Plan.Status.DRAFT:
        raise _whole(_("Only a draft plan can be approved."))
    problems = allocation_table(plan=plan).problems
    if problems:
        raise _whole(_("The allocation table does not add up:"), *(p.message for p in problems))
    if plan.number is None or plan.issued_on is None:
        raise _whole(_("Give the plan its number and date before approving it."))
    # Checks of apps above this one (the documents app: NĐ 30 layout, citations, signature),
    # named in settings.PLAN_APPROVAL_CHECKS so programs never imports them: errors block,
    # warnings do not (the confirmation page shows both: ``plan_approval_problems``).
    document_errors = [p for p in plan_approval_problems(plan) if getattr(p, "is_error", True)]
    if document_errors:
        raise _whole(
            _("The document has errors; correct them before approving:"),
            *(str(problem) for problem in document_errors),
        )
    version = _claim_version(plan, expected_version)
    plan.status, plan.approved_at, plan.approved_by = Plan.Status.APPROVED, timezone.now(), actor
    plan.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    supersede_amended(plan, actor)  # an amendment replaces the version it amends
    _record(
        plan,
        actor,
        "programs.plan.approved",
        {"status": Plan.Status.DRAFT},
        {"status": plan.status},
        version,
    )
    return plan


def _number_taken_message(plan: Plan) -> str:
    return _(
        "Number %(number)s/%(symbol)s is already used by another plan of %(body)s in %(year)s."
    ) % {"number": plan.number, "symbol": plan.symbol, "body": plan.issuing_body, "year": plan.year}


def plan_check_number_free(plan: Plan) -> None:
    if plan.number is None:
        return
    taken = (
        Plan.objects.filter(
            issuing_unit=plan.issuing_unit, year=plan.year, number=plan.number, symbol=plan.symbol
        )
        .exclude(pk=plan.pk)
        .exists()
    )
    if taken:
        raise Invalid([Problem("number", _number_taken_message(plan), "unique")])
