"""A plan's estimate (dự toán, issue 14, point 3): lines of quantity × norm per activity of the
plan (and per village where useful), within what the holder was allocated for the plan's year
and source. The WU officer writes it (``finance.propose``); the commune leader approves it once
the plan is approved (``finance.approve``); an approved estimate no longer changes.

A line copies its unit amount: the norm's fixed amount, a typed amount up to the norm's ceiling,
or a typed amount where there is no norm (or the norm's amount is not known yet), so a later
change of the norm does not alter an estimate already made.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import FINANCE_APPROVE, FINANCE_PROPOSE
from duan8.activities.services.events import plan_activities
from duan8.core import audit
from duan8.core.concurrency import claim_version
from duan8.core.problems import Problems
from duan8.finance.balance import allocated, allocations_of, estimate_lines_of
from duan8.finance.models import Estimate, EstimateLine, Source, SpendingNorm
from duan8.finance.money import money
from duan8.finance.services.allocations import whole_dong
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement

MAX_QUANTITY = 1_000_000


@dataclass(frozen=True)
class EstimateLineInput:
    activity: ProgramElement | None
    source: str
    quantity: int | None
    norm: SpendingNorm | None = None
    unit_amount: Decimal | None = None
    description: str = ""
    village: OrgUnit | None = None


def estimate_of(plan: Plan) -> Estimate:
    """The plan's estimate, made (empty, draft) on first use."""
    estimate, _created = Estimate.objects.get_or_create(plan=plan)
    return estimate


def _require_draft(estimate: Estimate) -> None:
    if estimate.status != Estimate.Status.DRAFT:
        raise ValidationError(_("The estimate was approved with the plan; it no longer changes."))


def norm_in_force(norm: SpendingNorm, year: int) -> bool:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return norm.valid_from <= end and (norm.valid_to is None or norm.valid_to >= start)


def _unit_amount(data: EstimateLineInput, year: int, problems: Problems) -> Decimal:
    norm, typed = data.norm, data.unit_amount
    if norm is not None and not norm_in_force(norm, year):
        message = _("The norm “%(norm)s” does not apply in %(year)s.")
        problems.add("norm", message % {"norm": norm.name, "year": year}, "out_of_period")
        return Decimal(0)
    if norm is not None and norm.amount and not norm.is_ceiling:
        if typed is not None and typed != norm.amount:
            message = _("The norm sets %(amount)s đ; leave the unit amount empty or equal.")
            problems.add("unit_amount", message % {"amount": money(norm.amount)}, "norm_fixed")
        return norm.amount
    if typed is None and norm is not None and norm.amount:
        return norm.amount
    amount = whole_dong(typed, problems, "unit_amount")
    if norm is not None and norm.is_ceiling and norm.amount and amount > norm.amount:
        message = _("Above the norm's ceiling of %(amount)s đ.")
        problems.add("unit_amount", message % {"amount": money(norm.amount)}, "above_ceiling")
    return amount


def _line_check(plan: Plan, data: EstimateLineInput) -> tuple[Decimal, Problems]:
    problems = Problems()
    activities = {element.pk for element in plan_activities(plan)}
    if data.activity is None or data.activity.pk not in activities:
        code = data.activity.code if data.activity is not None else "—"
        message = _("%(code)s is not an activity of the plan.") % {"code": code}
        problems.add("activity", message, "invalid_choice")
    if data.source not in Source.values:
        problems.add("source", _("Choose the source."), "invalid_choice")
    if data.quantity is None or not 1 <= data.quantity <= MAX_QUANTITY:
        message = _("Enter a whole number from 1 to %(max)s.") % {"max": MAX_QUANTITY}
        problems.add("quantity", message, "min_value")
    village = data.village
    if village is not None and (
        village.level != OrgUnit.Level.VILLAGE
        or not village.path.startswith(plan.issuing_unit.path)
    ):
        message = _("%(unit)s is not a village of %(root)s.")
        names = {"unit": village.full_name, "root": plan.issuing_unit.full_name}
        problems.add("village", message % names, "outside")
    description = data.description.strip() or (data.norm.name if data.norm else "")
    if not description:
        problems.add("description", _("Say what the line pays for."), "required")
    elif len(description) > 255:
        problems.add("description", _("At most %(limit)s characters.") % {"limit": 255})
    unit_amount = _unit_amount(data, plan.year, problems)
    return unit_amount, problems


def _contents_of(codes: set[str]) -> dict[str, ProgramElement]:
    """The content (Nội dung) above each activity code, in one query."""
    prefixes = {
        code: [".".join(code.split(".")[:n]) for n in range(1, code.count(".") + 1)]
        for code in codes
    }
    wanted = {prefix for found in prefixes.values() for prefix in found}
    contents = {
        element.code: element
        for element in ProgramElement.objects.filter(
            code__in=wanted, kind=ProgramElement.Kind.CONTENT
        )
    }
    return {
        code: next(contents[p] for p in found if p in contents)
        for code, found in prefixes.items()
        if any(p in contents for p in found)
    }


def within_allocation(plan: Plan, *, line: str = "") -> Problems:
    """The estimate's total per source stays within the holder's allocation for the plan's year
    and source, and per content within what that content may use (its own allocations and the
    project's). ``line`` names the line just added, in the message."""
    problems = Problems()
    holder, year = plan.issuing_unit, plan.year
    lines = list(estimate_lines_of(plan).select_related("activity"))
    contents = _contents_of({row.activity.code for row in lines})
    totals: dict[tuple[str, str], Decimal] = {}
    for row in lines:
        content = contents.get(row.activity.code)
        keys = [(row.source, "")] + ([(row.source, content.code)] if content else [])
        for key in keys:
            totals[key] = totals.get(key, Decimal(0)) + row.amount
    by_code = {content.code: content for content in contents.values()}
    labels = dict(Source.choices)
    for (source, content_code), total in sorted(totals.items()):
        element = by_code.get(content_code)
        limit = allocated(holder=holder, year=year, source=source, element=element)
        if total <= limit:
            continue
        if limit <= 0 and element is None:
            message = _("%(line)s: nothing is allocated to %(unit)s from %(source)s in %(year)s.")
        else:
            message = _(
                "%(line)s: the estimate (%(total)s đ) goes above the allocation of %(unit)s "
                "from %(source)s in %(year)s (%(limit)s đ)%(content)s."
            )
        problems.add(
            "amount",
            message
            % {
                "line": line or _("The estimate"),
                "unit": holder.full_name,
                "source": labels.get(source, source),
                "year": year,
                "total": money(total),
                "limit": money(limit),
                "content": f" — {element}" if element is not None else "",
            },
            "over_allocation" if limit > 0 else "not_allocated",
        )
    return problems


def _lock(plan: Plan) -> None:
    """Lock the holder's allocations of the year: a reduction recorded at the same moment waits."""
    list(allocations_of(holder=plan.issuing_unit, year=plan.year).select_for_update())


@transaction.atomic
def estimate_line_add(
    *, actor: User, plan: Plan, data: EstimateLineInput, expected_version: int | None
) -> EstimateLine:
    """Add a line; refused whole (nothing saved) when it is wrong or goes over the allocation."""
    require_permission(actor, FINANCE_PROPOSE, plan.issuing_unit)
    estimate = estimate_of(plan)
    _require_draft(estimate)
    unit_amount, problems = _line_check(plan, data)
    problems.raise_if_any()
    assert data.activity is not None and data.quantity is not None  # noqa: S101 (checked)
    claim_version(estimate, expected_version)
    _lock(plan)
    order = (estimate.lines.aggregate(last=Max("order"))["last"] or 0) + 1
    line = EstimateLine.objects.create(
        estimate=estimate,
        activity=data.activity,
        village=data.village,
        norm=data.norm,
        description=(data.description.strip() or (data.norm.name if data.norm else ""))[:255],
        quantity=data.quantity,
        unit_amount=unit_amount,
        amount=unit_amount * data.quantity,
        source=data.source,
        order=order,
    )
    name = _("Line %(number)s (%(text)s)") % {"number": order, "text": line.description}
    within_allocation(plan, line=name).raise_if_any()
    audit.record(
        actor=actor,
        action="finance.estimate.line_added",
        target=estimate,
        org_unit=plan.issuing_unit,
        after={**audit.snapshot(line), "amount": int(line.amount)},
        version=estimate.version,
    )
    return line


@transaction.atomic
def estimate_line_remove(*, actor: User, line: EstimateLine, expected_version: int | None) -> None:
    estimate = line.estimate
    plan = estimate.plan
    require_permission(actor, FINANCE_PROPOSE, plan.issuing_unit)
    _require_draft(estimate)
    claim_version(estimate, expected_version)
    before = {**audit.snapshot(line), "amount": int(line.amount)}
    line.delete()
    audit.record(
        actor=actor,
        action="finance.estimate.line_removed",
        target=estimate,
        org_unit=plan.issuing_unit,
        before=before,
        version=estimate.version,
    )


@transaction.atomic
def estimate_approve(*, actor: User, plan: Plan, expected_version: int | None) -> Estimate:
    """Approve the estimate with the plan: refused while the plan is not approved, when the
    estimate is empty, or when it is (still) above the allocation."""
    require_permission(actor, FINANCE_APPROVE, plan.issuing_unit)
    estimate = estimate_of(plan)
    _require_draft(estimate)
    problems = Problems()
    if plan.status != Plan.Status.APPROVED:
        problems.add("status", _("Approve the plan first: the estimate is approved with it."))
    if not estimate.lines.exists():
        problems.add("status", _("The estimate has no line."), "empty")
    problems.raise_if_any()
    claim_version(estimate, expected_version)
    _lock(plan)
    within_allocation(plan).raise_if_any()
    estimate.status = Estimate.Status.APPROVED
    estimate.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="finance.estimate.approved",
        target=estimate,
        org_unit=plan.issuing_unit,
        after={"status": estimate.status, "approved_at": timezone.now()},
        version=estimate.version,
    )
    return estimate
