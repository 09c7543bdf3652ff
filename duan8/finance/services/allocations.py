"""Allocations received (issue 14, point 1): the holder's accountant records what a level above
gave, citing the decision in the legal register.

An allocation is never edited: a mistake is corrected by a reduction or a supplement citing its
own decision (or the same one), so the record of what was decided stays as it was. A reduction
may not take the allocation below what is already estimated or spent; a carry-over may not carry
more than the year before left unspent.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import FINANCE_EDIT
from duan8.core import audit
from duan8.core.problems import Problems
from duan8.finance.balance import allocated, allocations_of, element_scope, estimated
from duan8.finance.models import Allocation, Source, Voucher
from duan8.finance.money import money
from duan8.legal.models import LegalDocument
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import ProgramElement
from duan8.programs.plan_data import legal_document_register
from duan8.programs.plan_edit import NEW_DOCUMENT_LIMITS, LegalBasisInput

# The district gave the communes their money until the two-tier map (1/7/2025).
LAST_DISTRICT_DAY = datetime.date(2025, 6, 30)
# amounts are stored with 16 digits (money_field); a line's quantity × unit amount stays below too
LARGEST = Decimal(10) ** 13
ELEMENT_KINDS = (ProgramElement.Kind.PROJECT, ProgramElement.Kind.CONTENT)


@dataclass(frozen=True)
class AllocationInput:
    holder: OrgUnit
    decision: LegalBasisInput
    allocator: OrgUnit | None
    year: int | None
    element: ProgramElement | None
    source: str
    kind: str
    amount: Decimal | None
    carried_from: Allocation | None = None
    note: str = ""
    demo: bool = False


def whole_dong(amount: Decimal | int | str | None, problems: Problems, field: str) -> Decimal:
    """An amount in whole đồng above zero; a problem on ``field`` otherwise."""
    try:
        value = Decimal(str(amount)) if amount is not None and amount != "" else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        problems.add(field, _("Enter an amount in đồng."), "required")
        return Decimal(0)
    if value != value.to_integral_value():
        problems.add(field, _("Amounts are whole đồng: no decimals."), "decimals")
    elif value <= 0:
        problems.add(field, _("The amount must be above zero."), "min_value")
    elif value >= LARGEST:
        problems.add(field, _("The amount is too large."), "max_value")
    return value


def decision_resolve(item: LegalBasisInput, problems: Problems) -> LegalDocument | None:
    """The register's document chosen, or the one described (found if already there, else made
    by ``legal_document_register`` once the whole input is valid)."""
    if item.document is not None:
        return item.document
    parts = {name: (getattr(item, name) or "").strip() for name in NEW_DOCUMENT_LIMITS}
    for name, limit in NEW_DOCUMENT_LIMITS.items():
        if name != "title" and not parts[name]:
            problems.add(f"decision.{name}", _("This field is required."), "required")
        elif len(parts[name]) > limit:
            message = _("At most %(limit)s characters.") % {"limit": limit}
            problems.add(f"decision.{name}", message, "max_length")
    if item.kind not in LegalDocument.Kind.values:
        problems.add("decision.kind", _("Choose the type of document."), "required")
    if item.issued_on is None:
        problems.add("decision.issued_on", _("This field is required."), "required")
        return None
    key = {k: parts[k] for k in ("number", "symbol", "issuer")}
    found = LegalDocument.objects.filter(issued_on=item.issued_on, **key).first()
    return found or LegalDocument(kind=item.kind, issued_on=item.issued_on, **parts)


def allocator_problem(allocator: OrgUnit, holder: OrgUnit, on: datetime.date) -> str | None:
    """Why ``allocator`` may not give ``holder`` money on ``on`` (None when it may)."""
    above = holder.path.startswith(allocator.path) and allocator.pk != holder.pk
    in_force = allocator.valid_from <= on if allocator.valid_from else True
    in_force = in_force and (allocator.valid_to is None or on <= allocator.valid_to)
    if not above or not in_force:
        return _("%(unit)s was not above %(holder)s on %(date)s.") % {
            "unit": allocator.full_name,
            "holder": holder.full_name,
            "date": on.strftime("%d/%m/%Y"),
        }
    if allocator.level == OrgUnit.Level.PROVINCE:
        return None
    if allocator.level == OrgUnit.Level.DISTRICT and on <= LAST_DISTRICT_DAY:
        return None
    return _("Only the province allocates (the district until 30/6/2025).")


def spent_of(
    *, holder: OrgUnit, year: int, source: str, element: ProgramElement | None = None
) -> Decimal:
    """The vouchers' net total (reversals are negative vouchers)."""
    rows = Voucher.objects.filter(holder=holder, year=year, source=source)
    if element is not None:
        rows = rows.filter(element_scope(element, field="activity"))
    total = rows.aggregate(total=Sum("amount"))["total"]
    return Decimal(total or 0)


def _fields_check(data: AllocationInput, problems: Problems) -> LegalDocument | None:
    decision = decision_resolve(data.decision, problems)
    if data.year is None or not 2000 <= data.year <= 2100:
        problems.add("year", _("Enter a year between 2000 and 2100."), "invalid")
    if data.source not in Source.values:
        problems.add("source", _("Choose the source."), "invalid_choice")
    if data.kind not in Allocation.Kind.values:
        problems.add("kind", _("Choose the kind of allocation."), "invalid_choice")
    if data.element is None or data.element.kind not in ELEMENT_KINDS:
        problems.add("element", _("Choose the project or one of its contents."), "invalid_choice")
    if data.allocator is None:
        problems.add("allocator", _("Choose who allocated."), "required")
    elif decision is not None and decision.issued_on is not None:
        problem = allocator_problem(data.allocator, data.holder, decision.issued_on)
        if problem:
            problems.add("allocator", problem, "not_above")
    if len(data.note) > 2000:
        problems.add("note", _("At most %(limit)s characters.") % {"limit": 2000}, "max_length")
    return decision


def _limits_check(data: AllocationInput, amount: Decimal, problems: Problems) -> None:
    """A reduction keeps the allocation at or above what is estimated and spent; a carry-over
    carries no more than the year before left unspent."""
    holder, year, source, element = data.holder, data.year, data.source, data.element
    assert year is not None and element is not None  # noqa: S101 (checked before)
    if data.kind == Allocation.Kind.REDUCTION:
        after = allocated(holder=holder, year=year, source=source, element=element) - amount
        used = max(
            estimated(holder=holder, year=year, source=source, element=element),
            spent_of(holder=holder, year=year, source=source, element=element),
        )
        if after < used:
            message = _(
                "This reduction would leave %(after)s đ, below the %(used)s đ already estimated "
                "or spent for %(element)s."
            ) % {"after": money(after), "used": money(used), "element": element}
            problems.add("amount", message, "below_used")
    if data.kind == Allocation.Kind.CARRY_OVER:
        unspent = allocated(
            holder=holder, year=year - 1, source=source, element=element
        ) - spent_of(holder=holder, year=year - 1, source=source, element=element)
        carried = Allocation.objects.filter(
            holder=holder, year=year, source=source, kind=data.kind
        ).filter(element_scope(element))
        already = Decimal(carried.aggregate(total=Sum("amount"))["total"] or 0)
        if amount + already > unspent:
            message = _("%(year)s left %(unspent)s đ unspent; %(carried)s đ is already carried.")
            values = {"year": year - 1, "unspent": money(unspent), "carried": money(already)}
            problems.add("amount", message % values, "above_unspent")


@transaction.atomic
def allocation_record(*, actor: User, data: AllocationInput) -> Allocation:
    """Record an allocation received by ``data.holder``; refused whole, nothing saved."""
    require_permission(actor, FINANCE_EDIT, data.holder)
    problems = Problems()
    amount = whole_dong(data.amount, problems, "amount")
    decision = _fields_check(data, problems)
    problems.raise_if_any()
    # lock the holder's allocations of the year: two reductions at once see each other
    list(allocations_of(holder=data.holder, year=data.year or 0).select_for_update())
    _limits_check(data, amount, problems)
    problems.raise_if_any()
    assert decision is not None and data.allocator is not None  # noqa: S101 (checked)
    assert data.year is not None and data.element is not None  # noqa: S101 (checked)
    if decision.pk is None:
        decision = _register(decision, actor, data.holder)
    row = Allocation.objects.create(
        decision=decision,
        allocator=data.allocator,
        holder=data.holder,
        year=data.year,
        element=data.element,
        source=data.source,
        kind=data.kind,
        amount=amount,
        carried_from=data.carried_from,
        note=data.note.strip(),
        demo=data.demo,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="finance.allocation.recorded",
        target=row,
        org_unit=data.holder,
        after=audit.snapshot(row),
    )
    return row


def _register(document: LegalDocument, actor: User, holder: OrgUnit) -> LegalDocument:
    saved = legal_document_register(
        kind=document.kind,
        number=document.number,
        symbol=document.symbol,
        issued_on=document.issued_on,
        issuer=document.issuer,
        title=document.title,
    )
    audit.record(
        actor=actor,
        action="programs.legal_document.added",
        target=saved,
        org_unit=holder,
        after=audit.snapshot(saved),
    )
    return saved
