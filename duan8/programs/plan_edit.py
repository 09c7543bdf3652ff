"""Edits of the text a plan prints (issue 12, point 2): its header, body texts and signature,
its legal bases, the focus text of each content (and which contents section III has: ``plan_focus``)
and the responsibilities of each agency.

Each service checks the right to write the plan (``plan_access``), refuses an approved plan,
checks all the input first (problems keyed by field, nothing saved when any is wrong), then
claims the plan's version (a copy opened before someone else's save is refused, saying who
changed what) and records the change with its before and after, all in one transaction.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.core import audit
from duan8.core.problems import Invalid, Problem, Problems
from duan8.legal.models import LegalDocument
from duan8.programs.models import (
    Plan,
    PlanFocus,
    PlanLegalBasis,
    PlanResponsibility,
    ProgramElement,
)
from duan8.programs.plan_access import require_plan_write
from duan8.programs.plan_focus import (
    content_label,
    focus_contents_available,
    focus_field,
    focus_removals,
    focus_renumber,
)
from duan8.programs.services import (
    _claim_version,
    _number_taken_message,
    _record,
    _require_editable,
    nfc,
    plan_check_number_free,
)

# The longest text each field takes (the model's max_length where it has one; a bound for the
# free texts so a pasted file cannot fill the database).
SHORT_LIMITS = {
    "symbol": 40,
    "place": 80,
    "issuing_body": 255,
    "parent_body": 255,
    "signer_authority": 80,
    "signer_title": 80,
    "signer_name": 120,
}
LONG_LIMIT = 20_000
TITLE_LIMIT = 2_000
# Texts printed one item per line: blank lines and spaces around each line go.
LINE_FIELDS = ("purposes", "requirements", "recipients")
TEXT_FIELDS = (
    *("symbol", "place", "issuing_body", "parent_body", "title", "proposal"),
    *("purposes", "requirements", "budget_text", "closing", "recipients"),
    *("signer_authority", "signer_title", "signer_name"),
)
REQUIRED = ("symbol", "issuing_body", "title")
PLAN_TEXT_FIELDS = (*TEXT_FIELDS, "number", "issued_on", "budget_source")
# A collective body signs "TM." (on behalf of), a deputy "KT." (for the head).
AUTHORITY_PREFIXES = ("TM.", "KT.")


def clean_lines(text: str) -> str:
    """One item per line, NFC, without blank lines or surrounding spaces."""
    return "\n".join(line.strip() for line in nfc(text or "").splitlines() if line.strip())


def _text_problems(name: str, value: str, problems: Problems) -> None:
    limit = SHORT_LIMITS.get(name, TITLE_LIMIT if name == "title" else LONG_LIMIT)
    if name in REQUIRED and not value:
        problems.add(name, _("This field is required."), "required")
    elif len(value) > limit:
        problems.add(
            name,
            _("At most %(limit)s characters (this has %(count)s).")
            % {"limit": limit, "count": len(value)},
            "max_length",
        )
    if name == "signer_authority" and value and not value.upper().startswith(AUTHORITY_PREFIXES):
        problems.add(
            name,
            _("The signing authority begins with “TM.” (on behalf of) or “KT.” (for the head)."),
            "authority",
        )


def _after_plan(document_date: date, plan_date: date | None) -> str | None:
    if plan_date is None or document_date <= plan_date:
        return None
    return _("Dated %(date)s, after the plan itself (%(plan_date)s).") % {
        "date": date_format(document_date, "d/m/Y"),
        "plan_date": date_format(plan_date, "d/m/Y"),
    }


def _texts_clean(plan: Plan, changes: Mapping[str, Any]) -> dict[str, Any]:
    problems = Problems()
    unknown = sorted(set(changes) - set(PLAN_TEXT_FIELDS))
    for name in unknown:
        problems.add(name, _("This field cannot be changed here."), "unknown")
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if name in TEXT_FIELDS:
            text = clean_lines(value) if name in LINE_FIELDS else nfc(value or "")
            _text_problems(name, text, problems)
            cleaned[name] = text
        elif name in PLAN_TEXT_FIELDS:
            cleaned[name] = value
    number = cleaned.get("number")
    if number is not None and not 0 < number < 100_000:
        problems.add("number", _("A number from 1 to 99999."), "invalid")
    issued_on = cleaned.get("issued_on", plan.issued_on)
    if "issued_on" in cleaned and issued_on is not None:
        for basis in plan.legal_bases.select_related("document"):
            if _after_plan(basis.document.issued_on, issued_on):
                problems.add(
                    "issued_on",
                    _("The legal basis %(reference)s is dated %(date)s, after this date.")
                    % {
                        "reference": basis.document.reference,
                        "date": date_format(basis.document.issued_on, "d/m/Y"),
                    },
                    "before_legal_basis",
                )
    problems.raise_if_any()
    return cleaned


PLAN_HEADER_FIELDS = (
    *("number", "symbol", "issued_on", "place", "issuing_body", "parent_body", "title"),
    *("proposal", "purposes", "requirements", "budget_text", "closing", "recipients"),
    *("signer_authority", "signer_title", "signer_name"),
)


@transaction.atomic
def plan_update(
    *, plan: Plan, actor: User, expected_version: int | None, **changes: object
) -> Plan:
    """Change the plan's header and body texts (not its targets)."""
    require_plan_write(actor, plan)
    _require_editable(plan)
    unknown = sorted(set(changes) - set(PLAN_HEADER_FIELDS))
    if unknown:
        raise Invalid(Problem(name, _("This field cannot be changed here.")) for name in unknown)
    before = audit.snapshot(plan, changes)
    for name, value in changes.items():
        setattr(plan, name, nfc(value) if isinstance(value, str) else value)
    plan.full_clean(validate_unique=False, validate_constraints=False)
    plan_fields_save(
        plan=plan,
        actor=actor,
        before=before,
        after=audit.snapshot(plan, changes),
        expected_version=expected_version,
        action="programs.plan.changed",
    )
    return plan


def plan_fields_save(
    *,
    plan: Plan,
    actor: User,
    before: dict[str, Any],
    after: dict[str, Any],
    expected_version: int | None,
    action: str,
) -> bool:
    """Save the plan's own fields that differ between the snapshots ``before`` and ``after`` (the
    new values already set on ``plan``): a new number checked free, the version claimed, the
    changed fields written, the audit recorded. Returns whether anything changed."""
    changed = audit.changes(before, after)
    if not changed:
        return False
    if "number" in changed or "symbol" in changed:
        plan_check_number_free(plan)
    version = _claim_version(plan, expected_version)
    try:
        with transaction.atomic():
            plan.save(update_fields=[*changed.keys(), "updated_at"])
    except IntegrityError as exc:
        raise Invalid([Problem("number", _number_taken_message(plan), "unique")]) from exc
    _record(plan, actor, action, before, after, version)
    return True


@transaction.atomic
def plan_texts_update(
    *, plan: Plan, actor: User, expected_version: int | None, changes: Mapping[str, Any]
) -> bool:
    """Change the plan's header (number, date, place, bodies, title), body texts (proposal,
    purposes, requirements, budget and its source, closing, recipients) and signature.
    Returns whether anything changed."""
    require_plan_write(actor, plan)
    _require_editable(plan)
    cleaned = _texts_clean(plan, changes)
    before = audit.snapshot(plan, cleaned)
    for name, value in cleaned.items():
        setattr(plan, name, value)
    return plan_fields_save(
        plan=plan,
        actor=actor,
        before=before,
        after=audit.snapshot(plan, cleaned),
        expected_version=expected_version,
        action="programs.plan.texts_changed",
    )


# --- legal bases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegalBasisInput:
    """One legal basis: a document of the register, or a new one described by its parts."""

    document: LegalDocument | None = None
    kind: str = ""
    number: str = ""
    symbol: str = ""
    issued_on: date | None = None
    issuer: str = ""
    title: str = ""


NEW_DOCUMENT_LIMITS = {"number": 20, "symbol": 40, "issuer": 255, "title": TITLE_LIMIT}


def _new_document(item: LegalBasisInput, at: str, problems: Problems) -> LegalDocument | None:
    parts = {name: nfc(getattr(item, name) or "") for name in NEW_DOCUMENT_LIMITS}
    for name, limit in NEW_DOCUMENT_LIMITS.items():
        if name != "title" and not parts[name]:
            problems.add(f"{at}.{name}", _("This field is required."), "required")
        elif len(parts[name]) > limit:
            problems.add(
                f"{at}.{name}", _("At most %(limit)s characters.") % {"limit": limit}, "max_length"
            )
    if item.kind not in LegalDocument.Kind.values:
        problems.add(f"{at}.kind", _("Choose the type of document."), "required")
    if item.issued_on is None:
        problems.add(f"{at}.issued_on", _("This field is required."), "required")
        return None
    key = {k: parts[k] for k in ("number", "symbol", "issuer")}
    found = LegalDocument.objects.filter(issued_on=item.issued_on, **key).first()
    return found or LegalDocument(kind=item.kind, issued_on=item.issued_on, **parts)


def _legal_bases_clean(plan: Plan, items: Sequence[LegalBasisInput]) -> list[LegalDocument]:
    problems = Problems()
    documents: list[LegalDocument] = []
    seen: set[tuple] = set()
    for index, item in enumerate(items):
        at = f"legal_bases.{index}"
        document = item.document or _new_document(item, at, problems)
        if document is None:
            continue
        late = _after_plan(document.issued_on, plan.issued_on)
        if late:
            where = f"{at}.document" if item.document else f"{at}.issued_on"
            problems.add(where, late, "after_plan")
        key = (document.number, document.symbol, document.issued_on, document.issuer)
        if key in seen:
            problems.add(
                f"{at}.document" if item.document else f"{at}.number",
                _("%(reference)s is already among the legal bases.")
                % {"reference": document.reference},
                "duplicate",
            )
        seen.add(key)
        documents.append(document)
    problems.raise_if_any()
    return documents


def _legal_bases_text(documents: Sequence[LegalDocument]) -> str:
    return "\n".join(
        f"{document} ngày {date_format(document.issued_on, 'd/m/Y')}" for document in documents
    )


@transaction.atomic
def plan_legal_bases_set(
    *, plan: Plan, actor: User, expected_version: int | None, items: Sequence[LegalBasisInput]
) -> bool:
    """Make ``items`` the plan's legal bases, in that order; a new document joins the register
    (or is matched with the one already there). Returns whether anything changed."""
    require_plan_write(actor, plan)
    _require_editable(plan)
    documents = _legal_bases_clean(plan, items)
    old = [basis.document for basis in plan.legal_bases.select_related("document")]
    before = {"legal_bases": _legal_bases_text(old)}
    after = {"legal_bases": _legal_bases_text(documents)}
    if [d.pk for d in old] == [d.pk for d in documents]:
        return False
    version = _claim_version(plan, expected_version)
    for document in documents:
        if document.pk is None:
            document.save()
            audit.record(
                actor=actor,
                action="programs.legal_document.added",
                target=document,
                org_unit=plan.issuing_unit,
                after=audit.snapshot(document),
            )
    plan.legal_bases.all().delete()
    PlanLegalBasis.objects.bulk_create(
        PlanLegalBasis(plan=plan, document=document, order=order)
        for order, document in enumerate(documents, start=1)
    )
    _record(plan, actor, "programs.plan.legal_bases_changed", before, after, version)
    return True


# --- responsibilities and focus texts ------------------------------------------------------------


@dataclass(frozen=True)
class ResponsibilityInput:
    agency: str
    body: str


def _responsibilities_clean(items: Sequence[ResponsibilityInput]) -> list[ResponsibilityInput]:
    problems = Problems()
    cleaned = []
    for index, item in enumerate(items):
        agency, body = nfc(item.agency or ""), clean_lines(item.body)
        for name, value, limit in (("agency", agency, 255), ("body", body, LONG_LIMIT)):
            if not value:
                problems.add(f"responsibilities.{index}.{name}", _("This field is required."))
            elif len(value) > limit:
                problems.add(
                    f"responsibilities.{index}.{name}",
                    _("At most %(limit)s characters.") % {"limit": limit},
                    "max_length",
                )
        cleaned.append(ResponsibilityInput(agency=agency, body=body))
    problems.raise_if_any()
    return cleaned


def _responsibilities_text(items: Sequence[ResponsibilityInput | PlanResponsibility]) -> str:
    return "\n".join(f"{item.agency}: {' / '.join(item.body.splitlines())}" for item in items)


@transaction.atomic
def plan_responsibilities_set(
    *,
    plan: Plan,
    actor: User,
    expected_version: int | None,
    items: Sequence[ResponsibilityInput],
) -> bool:
    """Make ``items`` the plan's responsibilities (section V), in that order."""
    require_plan_write(actor, plan)
    _require_editable(plan)
    cleaned = _responsibilities_clean(items)
    before = {"responsibilities": _responsibilities_text(list(plan.responsibilities.all()))}
    after = {"responsibilities": _responsibilities_text(cleaned)}
    if before == after:
        return False
    version = _claim_version(plan, expected_version)
    plan.responsibilities.all().delete()
    PlanResponsibility.objects.bulk_create(
        PlanResponsibility(plan=plan, agency=item.agency, body=item.body, order=order)
        for order, item in enumerate(cleaned, start=1)
    )
    _record(plan, actor, "programs.plan.responsibilities_changed", before, after, version)
    return True


ADD_FIELD = "focuses.add"  # where problems of the content being added are keyed (.content, .body)


@dataclass(frozen=True)
class FocusInput:
    """A content to add to section III, with its focus text."""

    content: ProgramElement
    body: str


def _focus_body(raw: str, field: str, problems: Problems) -> str:
    body = clean_lines(raw)
    if not body:
        problems.add(field, _("This field is required."), "required")
    elif len(body) > LONG_LIMIT:
        message = _("At most %(limit)s characters.") % {"limit": LONG_LIMIT}
        problems.add(field, message, "max_length")
    return body


def _focus_additions(plan: Plan, add: Sequence[FocusInput], problems: Problems) -> list[PlanFocus]:
    allowed = {content.pk for content in focus_contents_available(plan)}
    added = []
    for item in add:
        body = _focus_body(item.body, f"{ADD_FIELD}.body", problems)
        if item.content.pk not in allowed:
            message = _(
                "%(content)s is not a content of this plan's program in %(year)s, or the plan "
                "already has it."
            ) % {"content": content_label(item.content), "year": plan.year}
            problems.add(f"{ADD_FIELD}.content", message, "invalid_choice")
        elif body:
            added.append(PlanFocus(plan=plan, content=item.content, body=body))
    return added


@transaction.atomic
def plan_focus_set(
    *,
    plan: Plan,
    actor: User,
    expected_version: int | None,
    bodies: Mapping[int, str],
    remove: Collection[int] = (),
    add: Sequence[FocusInput] = (),
) -> bool:
    """Change the focus text of the year (section III) of some contents, by ``PlanFocus`` id;
    take the contents ``remove`` names out (refused for one whose activities or targets hold
    data: ``plan_focus.content_data``) and add the contents of ``add`` with their texts."""
    require_plan_write(actor, plan)
    _require_editable(plan)
    focuses = {focus.pk: focus for focus in plan.focuses.select_related("content")}
    problems = Problems()
    changed: list[PlanFocus] = []
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for pk, raw in bodies.items():
        focus = focuses.get(pk)
        if focus is None:
            problems.add(f"focuses.{pk}", _("This content is not in the plan."), "unknown")
            continue
        if pk in remove:  # its text goes with it
            continue
        body = _focus_body(raw, focus_field(focus), problems)
        if body and body != focus.body:
            label = content_label(focus.content)[:80]
            before[label], after[label] = focus.body, body
            focus.body = body
            changed.append(focus)
    removed = focus_removals(plan, focuses, remove, problems)
    added = _focus_additions(plan, add, problems)
    problems.raise_if_any()
    if not (changed or removed or added):
        return False
    version = _claim_version(plan, expected_version)
    PlanFocus.objects.bulk_update(changed, ["body"])
    for focus in removed:
        before[content_label(focus.content)[:80]] = focus.body
        focus.delete()
    for focus in added:
        after[content_label(focus.content)[:80]] = focus.body
    PlanFocus.objects.bulk_create(added)
    if removed or added:
        focus_renumber(plan)
    _record(plan, actor, "programs.plan.focus_changed", before, after, version)
    return True
