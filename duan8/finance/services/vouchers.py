"""Vouchers (chứng từ chi, issue 14, point 4): the accountant records what was paid out of the
holder's allocation, for a plan activity, an event, a payment request or a mothers' package
payment. A voucher is final: a correction is its reversal, a negative voucher written once.

Spending above the remaining allocation is refused under a row lock on the holder's allocation
rows of the year and source (``voucher_checks.lock_allocations``), so two accountants recording
at the same moment on PostgreSQL cannot together spend more than was given.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import FINANCE_EDIT
from duan8.activities.models import Event
from duan8.core import audit
from duan8.core.concurrency import claim_version
from duan8.core.problems import WHOLE, Problems
from duan8.finance.balance import allocations_of
from duan8.finance.models import PaymentRequest, Source, Voucher
from duan8.finance.services import voucher_checks as checks
from duan8.finance.services.allocations import whole_dong
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement

REVERSAL_SUFFIX = "-ĐC"


@dataclass(frozen=True)
class VoucherInput:
    holder: OrgUnit
    plan: Plan | None
    number: str
    paid_on: datetime.date | None
    payee: str
    amount: Decimal | int | str | None
    content: str
    activity: ProgramElement | None
    source: str
    event: Event | None = None
    request: PaymentRequest | None = None
    request_version: int | None = None
    receipt: UploadedFile | None = None


@dataclass(frozen=True)
class _Entry:
    """A voucher's checked values, as written."""

    holder: OrgUnit
    year: int
    plan: Plan
    activity: ProgramElement
    source: str
    amount: Decimal
    paid_on: datetime.date
    number: str
    payee: str
    content: str


def _number_check(holder: OrgUnit, year: int, number: str, problems: Problems) -> None:
    if number and Voucher.objects.filter(holder=holder, year=year, number=number).exists():
        message = _("Voucher number %(number)s is already used in %(year)s.") % {
            "number": number,
            "year": year,
        }
        problems.add("number", message, "unique")


def _request_check(data: VoucherInput, problems: Problems) -> None:
    request = data.request
    if request is None:
        return
    if request.holder_id != data.holder.pk:
        problems.add("request", _("This payment request is another unit's."), "invalid_choice")
    elif request.status != PaymentRequest.Status.PROPOSED:
        message = _("This payment request is %(status)s: it cannot be paid.") % {
            "status": request.get_status_display().lower()
        }
        problems.add("request", message, "status")


def _check(data: VoucherInput, problems: Problems) -> tuple[Decimal, str]:
    """Every check that needs no lock; returns the amount and the receipt's type."""
    values = {"number": data.number, "payee": data.payee, "content": data.content}
    checks.text_checks(values, problems)
    amount = whole_dong(data.amount, problems, "amount")
    checks.plan_check(data.holder, data.plan, data.activity, problems)
    checks.source_check(data.source, problems)
    if data.plan is not None:
        checks.date_check(data.paid_on, data.plan.year, problems)
        _number_check(data.holder, data.plan.year, data.number, problems)
    checks.lock_check(data.holder, data.paid_on, problems)
    checks.settled_check(data.holder, data.plan.year if data.plan else None, problems)
    _request_check(data, problems)
    receipt_type = checks.receipt_check(data.receipt, problems)
    return amount, receipt_type


def _money_check(entry: _Entry, *, event: Event | None, problems: Problems) -> None:
    """The checks under the row locks: the allocation left, and the event's cost."""
    checks.lock_allocations(holder=entry.holder, year=entry.year, source=entry.source)
    checks.allocation_check(
        holder=entry.holder,
        year=entry.year,
        source=entry.source,
        activity=entry.activity,
        amount=entry.amount,
        problems=problems,
    )
    if event is not None and not problems.fields() & {"amount"}:
        checks.event_check(
            event,
            plan=entry.plan,
            amount=entry.amount,
            problems=problems,
            activity=entry.activity,
        )


def _write(
    entry: _Entry, *, actor: User, receipt: UploadedFile | None = None, **links: object
) -> Voucher:
    voucher = Voucher(
        holder=entry.holder,
        year=entry.year,
        number=entry.number,
        paid_on=entry.paid_on,
        payee=entry.payee,
        amount=entry.amount,
        content=entry.content,
        plan=entry.plan,
        activity=entry.activity,
        source=entry.source,
        recorded_by=actor,
        **links,
    )
    if receipt is not None:
        _attach(voucher, receipt)
    try:
        with transaction.atomic():
            voucher.save()
    except IntegrityError:
        problems = Problems()
        _number_check(entry.holder, entry.year, entry.number, problems)
        if not problems:
            problems.add(WHOLE, _("The voucher could not be saved; try again."), "conflict")
        problems.raise_if_any()
    return voucher


def _audit(voucher: Voucher, *, actor: User, action: str) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=voucher,
        org_unit=voucher.holder,
        after={
            "number": voucher.number,
            "year": voucher.year,
            "paid_on": voucher.paid_on,
            "payee": voucher.payee,
            "amount": int(voucher.amount),
            "content": voucher.content,
            "activity": voucher.activity.code,
            "source": voucher.source,
            "event": voucher.event_id,
            "package_entry": voucher.package_entry_id,
            "request": voucher.request_id,
            "reverses": voucher.reverses_id,
            "receipt": voucher.receipt_name,
        },
    )


def _attach(voucher: Voucher, receipt: UploadedFile) -> None:
    digest = hashlib.sha256()
    for chunk in receipt.chunks():
        digest.update(chunk)
    receipt.seek(0)
    name = receipt.name or "file"
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    voucher.receipt.save(f"{digest.hexdigest()[:16]}{suffix}", receipt, save=False)
    voucher.receipt_name = name[:255]


@transaction.atomic
def voucher_record(*, actor: User, data: VoucherInput) -> Voucher:
    """Record a voucher (the holder's accountant, ``finance.edit``); refused, with nothing
    saved, on bad input, in a locked period, or above the remaining allocation."""
    require_permission(actor, FINANCE_EDIT, data.holder)
    problems = Problems()
    amount, _receipt_type = _check(data, problems)
    problems.raise_if_any()
    assert data.plan is not None and data.activity is not None and data.paid_on is not None
    entry = _Entry(
        holder=data.holder,
        year=data.plan.year,
        plan=data.plan,
        activity=data.activity,
        source=data.source,
        amount=amount,
        paid_on=data.paid_on,
        number=data.number,
        payee=data.payee,
        content=data.content,
    )
    _money_check(entry, event=data.event, problems=problems)
    problems.raise_if_any()
    if data.request is not None:
        claim_version(data.request, data.request_version)
        data.request.status = PaymentRequest.Status.PAID
        data.request.save(update_fields=["status", "updated_at"])
    voucher = _write(
        entry, actor=actor, receipt=data.receipt, event=data.event, request=data.request
    )
    _audit(voucher, actor=actor, action="finance.voucher.recorded")
    return voucher


def reversal_problems(voucher: Voucher, reason: str, on: datetime.date) -> Problems:
    problems = Problems()
    if not reason:
        problems.add("reason", _("Say why the voucher is reversed."), "required")
    elif len(reason) > 1000:
        problems.add("reason", _("At most %(limit)s characters.") % {"limit": 1000}, "max_length")
    if voucher.reverses_id is not None or voucher.amount <= 0:
        problems.add(WHOLE, _("A reversal cannot be reversed."), "reversal")
    elif Voucher.objects.filter(reverses=voucher).exists():
        problems.add(WHOLE, _("This voucher was already reversed."), "reversed")
    checks.lock_check(voucher.holder, on, problems)
    checks.settled_check(voucher.holder, voucher.year, problems)
    return problems


def reverse_entry(
    voucher: Voucher, *, actor: User, reason: str, on: datetime.date, number: str = ""
) -> Voucher:
    """The negative voucher cancelling ``voucher`` (checked by ``reversal_problems`` first)."""
    checks.lock_allocations(holder=voucher.holder, year=voucher.year, source=voucher.source)
    reversal = Voucher(
        holder=voucher.holder,
        year=voucher.year,
        number=(number or f"{voucher.number}{REVERSAL_SUFFIX}")[:40],
        paid_on=on,
        payee=voucher.payee,
        amount=-voucher.amount,
        content=voucher.content,
        plan=voucher.plan,
        activity=voucher.activity,
        source=voucher.source,
        event=voucher.event,
        package_entry=voucher.package_entry,
        request=voucher.request,
        reverses=voucher,
        reason=reason,
        recorded_by=actor,
    )
    try:
        with transaction.atomic():
            reversal.save()
    except IntegrityError:
        problems = Problems()
        problems.add(WHOLE, _("This voucher was already reversed."), "reversed")
        problems.raise_if_any()
    _audit(reversal, actor=actor, action="finance.voucher.reversed")
    return reversal


@transaction.atomic
def voucher_reverse(*, actor: User, voucher: Voucher, reason: str) -> Voucher:
    """Cancel a voucher by a negative voucher of the same amount dated today, with the reason;
    once; a reversal is never reversed."""
    require_permission(actor, FINANCE_EDIT, voucher.holder)
    reason = (reason or "").strip()
    today = timezone.localdate()
    reversal_problems(voucher, reason, today).raise_if_any()
    return reverse_entry(voucher, actor=actor, reason=reason, on=today)


# The package payments' activity: Nội dung 1, Hoạt động 4 of the project ("Triển khai gói chính
# sách hỗ trợ phụ nữ dân tộc thiểu số sinh đẻ an toàn…", programs/data/structure, phase I).
PACKAGE_ACTIVITY = "ND1.HD4"
PACKAGE_NUMBER = "TS-{pk}"


def package_plan(commune: OrgUnit, year: int) -> Plan | None:
    """The commune's plan in force for the year (the approved one, else its first draft)."""
    plans = Plan.objects.filter(issuing_unit=commune, year=year).select_related("project")
    return (
        plans.filter(status=Plan.Status.APPROVED).order_by("-pk").first()
        or plans.filter(status=Plan.Status.DRAFT, amends__isnull=True).order_by("pk").first()
    )


def _package_source(commune: OrgUnit, year: int, activity: ProgramElement) -> str | None:
    """The first source (central budget, then local) with an allocation for the activity."""
    for source in Source.values:
        if allocations_of(holder=commune, year=year, source=source, element=activity).exists():
            return str(source)
    return None


def _package_where(commune: OrgUnit, year: int, problems: Problems) -> tuple | None:
    """(plan, activity, source) a package payment is paid from; a problem when there is none."""
    plan = package_plan(commune, year)
    if plan is None:
        message = _(
            "%(commune)s has no plan for %(year)s: a package payment is paid from the plan's "
            "activity for the packages; make the plan first."
        ) % {"commune": commune.full_name, "year": year}
        problems.add(WHOLE, message, "no_plan")
        return None
    code = f"{plan.project.code}.{PACKAGE_ACTIVITY}"
    activity = ProgramElement.objects.filter(code=code).first()
    if activity is None:
        message = _("The plan %(plan)s has no activity for the packages (%(code)s).") % {
            "plan": plan.reference,
            "code": code,
        }
        problems.add(WHOLE, message, "no_activity")
        return None
    source = _package_source(commune, year, activity)
    if source is None:
        message = _(
            "%(commune)s has no allocation for %(year)s for the packages: the payment cannot "
            "be made until the allocation is recorded (Money › Allocations)."
        ) % {"commune": commune.full_name, "year": year}
        problems.add("amount", message, "not_allocated")
        return None
    return plan, activity, source


def _package_reversal(*, entry: Any, payment: Any, actor: User) -> Voucher | None:
    commune = entry.payment_list.commune
    original = Voucher.objects.filter(
        holder=commune,
        package_entry_id=entry.pk,
        number=PACKAGE_NUMBER.format(pk=payment.reverses_id),
    ).first()
    if original is None:  # paid before the money was recorded in finance
        return None
    reversal_problems(original, payment.reason or "-", payment.paid_on).raise_if_any()
    return reverse_entry(
        original,
        actor=actor,
        reason=payment.reason,
        on=payment.paid_on,
        number=PACKAGE_NUMBER.format(pk=payment.pk),
    )


def package_voucher_record(*, entry: Any, payment: Any, actor: User) -> Voucher | None:
    """The voucher of a mothers' package payment (``mothers.Payment`` of the payment-list entry
    ``entry``), or of its reversal, written by the payments service in its own transaction (the
    payment's right, ``mothers.pay``, was checked there): one money, entered once. Refused, so
    the payment is not saved, when the commune has no plan or no allocation for the year, the
    day is locked, or the amount is above what is left of the allocation."""
    if payment.reverses_id is not None:
        return _package_reversal(entry=entry, payment=payment, actor=actor)
    payment_list = entry.payment_list
    commune, year = payment_list.commune, payment_list.year
    problems = Problems()
    checks.lock_check(commune, payment.paid_on, problems)
    checks.settled_check(commune, year, problems)
    where = _package_where(commune, year, problems)
    problems.raise_if_any()
    assert where is not None
    plan, activity, source = where
    record = _Entry(
        holder=commune,
        year=year,
        plan=plan,
        activity=activity,
        source=source,
        amount=Decimal(payment.amount),
        paid_on=payment.paid_on,
        number=PACKAGE_NUMBER.format(pk=payment.pk),
        payee=_("Mother no. %(row)s of payment list %(list)s")
        % {"row": entry.order, "list": payment_list.number or payment_list.pk},
        content=(payment_list.title or _("Safe-motherhood package"))[:255],
    )
    _money_check(record, event=None, problems=problems)
    problems.raise_if_any()
    voucher = _write(record, actor=actor, package_entry_id=entry.pk)
    _audit(voucher, actor=actor, action="finance.voucher.recorded")
    return voucher
