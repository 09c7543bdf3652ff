"""Writes to plans, targets and allocations. Every function checks the actor's right first."""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.core import audit
from duan8.core.models import AuditEvent
from duan8.orgunits.access import require_permission
from duan8.programs.models import (
    AllocationCell,
    AllocationRow,
    Plan,
    ProgramElement,
    Target,
)
from duan8.programs.selectors import allocation_check, allocation_table, element_label

_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")


def nfc(text: str) -> str:
    """Normalise to NFC: text pasted from Word or Excel often arrives decomposed."""
    return unicodedata.normalize("NFC", text).strip()


def parse_count(raw: str, *, field: str) -> Decimal:
    """A non-negative number as typed (``01``, ``3``, ``2,5``); else an error naming ``field``."""
    text = nfc(raw or "")
    if text == "":
        return Decimal(0)
    if text.startswith("-") and _NUMBER.match(text[1:]):
        raise ValidationError(
            _("%(field)s: “%(value)s” is negative; a target cannot be below 0.")
            % {"field": field, "value": text}
        )
    if not _NUMBER.match(text):
        raise ValidationError(
            _("%(field)s: “%(value)s” is not a number.") % {"field": field, "value": text}
        )
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards
        raise ValidationError(
            _("%(field)s: “%(value)s” is not a number.") % {"field": field, "value": text}
        ) from exc


def _require_editable(plan: Plan) -> None:
    if not plan.is_editable:
        raise ValidationError(_("This plan is approved and can no longer be changed."))


class EditConflict(ValidationError):
    """The plan changed since the user loaded it; the message says who changed what."""


def _claim_version(plan: Plan, expected_version: int | None) -> int:
    """Raise the plan's version, refusing if it is no longer ``expected_version``.

    The conditional UPDATE is atomic on both databases: of two concurrent saves made on the same
    copy, the second waits for the first to commit, then matches no row and is refused.
    """
    rows = Plan.objects.filter(pk=plan.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(version=F("version") + 1, updated_at=timezone.now()):
        raise EditConflict(_conflict_messages(plan, expected_version or 0))
    plan.version = Plan.objects.values_list("version", flat=True).get(pk=plan.pk)
    return plan.version


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


def _target_prepare(plan: Plan, item: TargetInput, existing: Target | None) -> Target | None:
    """Validate one cell and return the unsaved target (None = remove); raises naming the cell."""
    element, scope, kind = item.element, item.scope, item.kind
    if not plan.project.code or not element.code.startswith(f"{plan.project.code}."):
        raise ValidationError(_("This indicator does not belong to the plan's project."))
    if scope not in Target.Scope.values:
        raise ValidationError(_("Unknown level “%(scope)s”.") % {"scope": scope})
    label = f"{element_label(element)} — {Target.Scope(scope).label}"
    if not kind:
        return None
    if kind not in Target.Kind.values:
        raise ValidationError(_("%(field)s: unknown target kind.") % {"field": label})
    target = Target(pk=existing.pk if existing else None, plan=plan, element=element, scope=scope)
    target.kind = kind
    if existing:
        target.created_at = existing.created_at
    if kind == Target.Kind.NUMBER:
        if not nfc(item.value):
            raise ValidationError(_("%(field)s: a number is required.") % {"field": label})
        target.value = parse_count(item.value, field=label)
    elif kind in (Target.Kind.TEXT, Target.Kind.SUSPENDED):
        target.text = nfc(item.text)
        if not target.text:
            raise ValidationError(
                _("%(field)s: write the instruction or the reason.") % {"field": label}
            )
    target.full_clean(validate_unique=False, validate_constraints=False)
    return target


@transaction.atomic
def targets_set(
    *,
    plan: Plan,
    items: list[TargetInput],
    actor: User,
    expected_version: int | None = None,
) -> int:
    """Set cells of the first appendix. All are checked first; nothing is saved on any error.

    Returns the number of cells that changed.
    """
    require_permission(actor, "plans.edit", plan.issuing_unit)
    _require_editable(plan)
    existing = {(t.element_id, t.scope): t for t in Target.objects.filter(plan=plan)}
    errors: list[str] = []
    planned: list[tuple[TargetInput, Target | None]] = []
    for item in items:
        try:
            planned.append(
                (item, _target_prepare(plan, item, existing.get((item.element.pk, item.scope))))
            )
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
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
        if target is None:
            to_delete.append(old.pk)
        else:
            to_save.append(target)
    if not after:
        return 0
    version = _claim_version(plan, expected_version)
    Target.objects.filter(pk__in=to_delete).delete()
    for target in to_save:
        target.save()
    audit.record(
        actor=actor,
        action="programs.targets.changed",
        target=plan,
        org_unit=plan.issuing_unit,
        before=before,
        after=after,
        version=version,
    )
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
    expected_version: int | None = None,
) -> Target | None:
    """Set one cell of the first appendix (see ``targets_set``); an empty kind removes it."""
    targets_set(
        plan=plan,
        items=[TargetInput(element=element, scope=scope, kind=kind, value=value, text=text)],
        actor=actor,
        expected_version=expected_version,
    )
    return Target.objects.filter(plan=plan, element=element, scope=scope).first()


@transaction.atomic
def allocation_set(
    *,
    plan: Plan,
    values: dict[tuple[int, int], str],
    difficult_villages: dict[int, str],
    actor: User,
    expected_version: int | None = None,
) -> None:
    """Replace the allocation table's numbers. All are checked first; nothing is saved on any error.

    ``values`` maps (row id, column id) to the typed text; ``difficult_villages`` maps row id to the
    typed number of especially difficult villages ("" = not stated).
    """
    require_permission(actor, "plans.edit", plan.issuing_unit)
    _require_editable(plan)
    table = allocation_table(plan=plan)
    rows = {row.pk: row for row in table.rows}
    table_dbkk = {row.pk: row.difficult_villages for row in table.rows}
    columns = {column.pk: column for column in table.columns}
    errors: list[str] = []
    parsed: dict[tuple[int, int], Decimal] = dict(table.values)
    for (row_id, column_id), raw in values.items():
        row, column = rows.get(row_id), columns.get(column_id)
        if row is None or column is None:
            errors.append(_("A value refers to a row or column that is not in this plan."))
            continue
        field = _("Row “%(row)s”, column “%(column)s”") % {"row": row, "column": column.heading}
        try:
            parsed[(row_id, column_id)] = parse_count(raw, field=field)
        except ValidationError as exc:
            errors.extend(exc.messages)
    for row_id, raw in difficult_villages.items():
        row = rows.get(row_id)
        if row is None:
            errors.append(_("A value refers to a row or column that is not in this plan."))
            continue
        field = _("Row “%(row)s”, column “%(column)s”") % {
            "row": row,
            "column": _("Number of especially difficult villages"),
        }
        text = nfc(raw or "")
        if text == "":
            row.difficult_villages = None
            continue
        try:
            number = parse_count(text, field=field)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if number != number.to_integral_value():
            errors.append(_("%(field)s: a whole number is required.") % {"field": field})
            continue
        row.difficult_villages = int(number)
    if not errors:
        errors = [p.message for p in allocation_check(table.rows, table.columns, parsed)]
    if errors:
        raise ValidationError(errors)
    existing = {(c.row_id, c.column_id): c for c in AllocationCell.objects.filter(row__plan=plan)}
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    for key, number in parsed.items():
        old = table.values.get(key, Decimal(0))
        if old != number:
            label = f"{rows[key[0]]} / {columns[key[1]].heading}"
            before[label], after[label] = audit.plain(old), audit.plain(number)
    for row in rows.values():
        old_count = table_dbkk[row.pk]
        if old_count != row.difficult_villages:
            label = f"{row} / {_('Number of especially difficult villages')}"
            before[label], after[label] = old_count, row.difficult_villages
    if not after:
        return
    version = _claim_version(plan, expected_version)
    to_create, to_update = [], []
    for key, number in parsed.items():
        cell = existing.get(key)
        if cell is None:
            to_create.append(AllocationCell(row_id=key[0], column_id=key[1], value=number))
        elif cell.value != number:
            cell.value = number
            to_update.append(cell)
    AllocationCell.objects.bulk_create(to_create)
    if to_update:
        AllocationCell.objects.bulk_update(to_update, ["value", "updated_at"])
    AllocationRow.objects.bulk_update(list(rows.values()), ["difficult_villages", "updated_at"])
    audit.record(
        actor=actor,
        action="programs.allocation.changed",
        target=plan,
        org_unit=plan.issuing_unit,
        before=before,
        after=after,
        version=version,
    )


@transaction.atomic
def plan_approval_problems(plan: Plan) -> list[Any]:
    """What the checks of ``settings.PLAN_APPROVAL_CHECKS`` find in the plan: each problem has
    ``is_error`` (errors block approval), ``level_label``, ``where`` and ``message``."""
    return [
        problem for check in settings.PLAN_APPROVAL_CHECKS for problem in import_string(check)(plan)
    ]


def plan_approve(*, plan: Plan, actor: User, expected_version: int | None = None) -> Plan:
    require_permission(actor, "plans.approve", plan.issuing_unit)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("Only a draft plan can be approved."))
    problems = allocation_table(plan=plan).problems
    if problems:
        raise ValidationError(
            [_("The allocation table does not add up:")] + [p.message for p in problems]
        )
    if plan.number is None or plan.issued_on is None:
        raise ValidationError(_("Give the plan its number and date before approving it."))
    # Checks of apps above this one (the documents app: NĐ 30 layout, citations, signature),
    # named in settings.PLAN_APPROVAL_CHECKS so programs never imports them: errors block,
    # warnings do not (the confirmation page shows both: ``plan_approval_problems``).
    document_errors = [p for p in plan_approval_problems(plan) if getattr(p, "is_error", True)]
    if document_errors:
        raise ValidationError(
            [_("The document has errors; correct them before approving:")]
            + [str(problem) for problem in document_errors]
        )
    version = _claim_version(plan, expected_version)
    plan.status, plan.approved_at, plan.approved_by = Plan.Status.APPROVED, timezone.now(), actor
    plan.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    audit.record(
        actor=actor,
        action="programs.plan.approved",
        target=plan,
        org_unit=plan.issuing_unit,
        before={"status": Plan.Status.DRAFT},
        after={"status": plan.status},
        version=version,
    )
    return plan


PLAN_HEADER_FIELDS = (
    "number",
    "symbol",
    "issued_on",
    "place",
    "issuing_body",
    "parent_body",
    "title",
    "proposal",
    "purposes",
    "requirements",
    "budget_text",
    "closing",
    "recipients",
    "signer_authority",
    "signer_title",
    "signer_name",
)


@transaction.atomic
def plan_update(
    *, plan: Plan, actor: User, expected_version: int | None = None, **changes: object
) -> Plan:
    """Change the plan's header and body texts (not its targets)."""
    require_permission(actor, "plans.edit", plan.issuing_unit)
    _require_editable(plan)
    unknown = set(changes) - set(PLAN_HEADER_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    before = audit.snapshot(plan, changes)
    for name, value in changes.items():
        setattr(plan, name, nfc(value) if isinstance(value, str) else value)
    plan_check_number_free(plan)
    plan.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            plan.save(update_fields=[*changes.keys(), "updated_at"])
    except IntegrityError as exc:
        raise ValidationError({"number": _number_taken_message(plan)}) from exc
    after = audit.snapshot(plan, changes)
    if audit.changes(before, after):
        version = _claim_version(plan, expected_version)
        audit.record(
            actor=actor,
            action="programs.plan.changed",
            target=plan,
            org_unit=plan.issuing_unit,
            before=before,
            after=after,
            version=version,
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
        raise ValidationError({"number": _number_taken_message(plan)})
