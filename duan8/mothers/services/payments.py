"""Payment cycles (issue 13, point 4): a commune's approved cases become a payment list (danh
sách chi trả / ký nhận); the commune leader approves it; the accountant records each payment.

A payment is final (the model refuses to change or delete one): a mistake is corrected by a
reversal, a negative payment pointing at the one it cancels, made once. The amount still due of
an entry is its amount due less the payments net of reversals; a payment above it is refused.
The entry's row is locked (``select_for_update``) while a payment is checked and written, so two
accountants paying the same mother at the same time cannot together pay more than is due.

The audit trail records amounts, dates and receipt numbers, never a health value: a case is
named by its id in the trail, never by the mother's name.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_APPROVE, MOTHERS_PAY
from duan8.core import audit
from duan8.core.concurrency import claim_version
from duan8.core.problems import WHOLE, Problems
from duan8.finance.money import money
from duan8.finance.services.vouchers import package_voucher_record
from duan8.mothers.models import (
    EntitlementLine,
    Payment,
    PaymentList,
    PaymentListEntry,
    Pregnancy,
)
from duan8.mothers.services.consent import consent_in_force, consent_require
from duan8.orgunits.access import can, require_permission
from duan8.orgunits.models import OrgUnit

TITLE_DEFAULT = "Danh sách chi trả hỗ trợ phụ nữ dân tộc thiểu số sinh đẻ an toàn năm {year}"
NOT_PAYABLE = (Pregnancy.Status.REJECTED, Pregnancy.Status.DUPLICATE)


def cases_waiting(*, commune: OrgUnit, year: int) -> list[Pregnancy]:
    """The commune's approved cases of ``year`` (delivered that year, or approved that year when
    no delivery date is known) that no payment list holds yet."""
    of_year = Q(delivered_on__year=year) | Q(delivered_on__isnull=True, approved_at__year=year)
    return list(
        Pregnancy.objects.filter(
            of_year,
            commune=commune,
            status=Pregnancy.Status.APPROVED,
            list_entries__isnull=True,
        )
        .select_related("mother", "village")
        .order_by("village__name", "mother__name_key", "pk")
    )


def _dues(cases: list[Pregnancy]) -> dict[int, Decimal]:
    rows = (
        EntitlementLine.objects.filter(pregnancy__in=cases)
        .values("pregnancy_id")
        .annotate(total=Sum("amount"))
    )
    return {row["pregnancy_id"]: row["total"] or Decimal(0) for row in rows}


def _may_make_list(actor: User, commune: OrgUnit) -> None:
    if not (can(actor, MOTHERS_PAY, commune) or can(actor, MOTHERS_APPROVE, commune)):
        require_permission(actor, MOTHERS_PAY, commune)


def _list_header_check(*, title: str, number: str, year: int) -> None:
    problems = Problems()
    if not title:
        problems.add("title", _("Give the list a title."), "required")
    elif len(title) > 255:
        problems.add("title", _("At most 255 characters."), "max_length")
    if len(number) > 40:
        problems.add("number", _("At most 40 characters."), "max_length")
    if not 2000 <= year <= 2100:
        problems.add("year", _("Give a year between 2000 and 2100."), "invalid")
    problems.raise_if_any()


@transaction.atomic
def payment_list_create(
    *, actor: User, commune: OrgUnit, year: int, title: str, number: str = ""
) -> PaymentList:
    """A draft payment list of every approved case of the commune and year not yet on a list;
    each entry's amount due is the sum of the case's entitlement lines fixed at approval. Made
    by the accountant (``mothers.pay``) or the commune leader (``mothers.approve``)."""
    _may_make_list(actor, commune)
    title, number = (title or "").strip(), (number or "").strip()
    _list_header_check(title=title, number=number, year=year)
    cases = cases_waiting(commune=commune, year=year)
    dues = _dues(cases)
    # a mother whose consent is not in force (withdrawn) is left out: her record is not processed
    payable = [
        case
        for case in cases
        if dues.get(case.pk, Decimal(0)) > 0 and consent_in_force(case.mother)
    ]
    if not payable:
        problems = Problems()
        problems.add(
            WHOLE,
            _("No approved case of %(year)s in %(commune)s is waiting for a payment list.")
            % {"year": year, "commune": commune.full_name},
            "empty",
        )
        problems.raise_if_any()
    payment_list = PaymentList.objects.create(
        commune=commune, year=year, title=title, number=number, created_by=actor
    )
    try:
        with transaction.atomic():
            PaymentListEntry.objects.bulk_create(
                PaymentListEntry(
                    payment_list=payment_list,
                    pregnancy=case,
                    amount_due=dues[case.pk],
                    order=index,
                )
                for index, case in enumerate(payable, start=1)
            )
    except IntegrityError:
        problems = Problems()
        problems.add(
            WHOLE,
            _("Another payment list took some of these cases at the same time; make it again."),
            "conflict",
        )
        problems.raise_if_any()
    audit.record(
        actor=actor,
        action="mothers.payment_list.created",
        target=payment_list,
        org_unit=commune,
        after={
            "year": year,
            "number": number,
            "title": title,
            "entries": len(payable),
            "total": int(sum((dues[case.pk] for case in payable), Decimal(0))),
        },
    )
    return payment_list


@transaction.atomic
def payment_list_approve(
    *, actor: User, payment_list: PaymentList, expected_version: int | None
) -> PaymentList:
    """The commune leader approves a draft list; payments may be recorded from then on."""
    require_permission(actor, MOTHERS_APPROVE, payment_list.commune)
    if payment_list.status != PaymentList.Status.DRAFT:
        problems = Problems()
        problems.add(WHOLE, _("This payment list is already approved."), "status")
        problems.raise_if_any()
    claim_version(payment_list, expected_version)
    payment_list.status = PaymentList.Status.APPROVED
    payment_list.approved_by = actor
    payment_list.approved_at = timezone.now()
    payment_list.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit.record(
        actor=actor,
        action="mothers.payment_list.approved",
        target=payment_list,
        org_unit=payment_list.commune,
        after={"status": payment_list.status},
        version=payment_list.version,
    )
    return payment_list


def paid_net(entry: PaymentListEntry) -> Decimal:
    """What was paid on the entry, net of reversals."""
    total = Payment.objects.filter(entry=entry).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


def _payment_check(
    entry: PaymentListEntry, *, paid_on: datetime.date, amount: Decimal, receipt: str
) -> None:
    """Everything that refuses a payment, each problem by field; nothing is written before."""
    problems = Problems()
    payment_list = entry.payment_list
    if payment_list.status != PaymentList.Status.APPROVED:
        problems.add(
            WHOLE, _("The payment list is not approved yet: nothing may be paid."), "status"
        )
    if entry.pregnancy.status in NOT_PAYABLE:
        problems.add(
            WHOLE,
            _("This case is %(status)s: it may not be paid.")
            % {"status": entry.pregnancy.get_status_display().lower()},
            "not_payable",
        )
    elif entry.pregnancy.status != Pregnancy.Status.APPROVED:
        problems.add(WHOLE, _("This case is no longer approved: it may not be paid."), "status")
    if paid_on > timezone.localdate():
        problems.add("paid_on", _("The date is in the future."), "future")
    elif payment_list.approved_at and paid_on < timezone.localdate(payment_list.approved_at):
        problems.add("paid_on", _("The date is before the list was approved."), "too_early")
    if len(receipt) > 60:
        problems.add("receipt", _("At most 60 characters."), "max_length")
    remaining = entry.amount_due - paid_net(entry)
    if amount <= 0:
        problems.add("amount", _("Give an amount above zero."), "min_value")
    elif amount > remaining:
        problems.add(
            "amount",
            _("%(amount)s VND is more than the %(remaining)s VND still due to her.")
            % {"amount": money(amount), "remaining": money(max(remaining, Decimal(0)))},
            "above_due",
        )
    problems.raise_if_any()


def _locked(entry: PaymentListEntry) -> PaymentListEntry:
    """The entry read again under a row lock held to the end of the transaction."""
    return (
        PaymentListEntry.objects.select_for_update(of=("self",))
        .select_related("payment_list__commune", "pregnancy__mother")
        .get(pk=entry.pk)
    )


@transaction.atomic
def payment_record(
    *,
    actor: User,
    entry: PaymentListEntry,
    paid_on: datetime.date,
    amount: Decimal | int,
    receipt: str = "",
) -> Payment:
    """Record a payment to the mother of ``entry`` (the accountant, ``mothers.pay``): only on an
    approved list, for a case still approved, never beyond what is still due; with its voucher
    in the commune's accounts (``finance``), so never beyond the allocation left either."""
    require_permission(actor, MOTHERS_PAY, entry.payment_list.commune)
    entry = _locked(entry)
    consent_require(entry.pregnancy.mother, field="amount")  # withdrawn: not paid further
    amount, receipt = Decimal(amount), (receipt or "").strip()
    _payment_check(entry, paid_on=paid_on, amount=amount, receipt=receipt)
    payment = Payment.objects.create(
        entry=entry,
        paid_on=paid_on,
        amount=amount,
        paid_by=actor,
        payer_unit=entry.payment_list.commune,
        receipt=receipt,
    )
    # the same money in the commune's accounts: refused (nothing saved) without an allocation
    package_voucher_record(entry=entry, payment=payment, actor=actor)
    audit.record(
        actor=actor,
        action="mothers.payment.recorded",
        target=payment,
        org_unit=entry.payment_list.commune,
        after={
            "payment_list": entry.payment_list_id,
            "entry": entry.pk,
            "amount": int(amount),
            "paid_on": paid_on,
            "receipt": receipt,
        },
    )
    return payment


@transaction.atomic
def payment_reverse(*, actor: User, payment: Payment, reason: str) -> Payment:
    """Cancel a payment by a reversal: a negative payment of the same amount pointing at it,
    dated today, with the reason. A payment is reversed once; a reversal is never reversed."""
    entry = payment.entry
    require_permission(actor, MOTHERS_PAY, entry.payment_list.commune)
    entry = _locked(entry)
    consent_require(entry.pregnancy.mother, field="amount")  # withdrawn: not paid further
    reason = (reason or "").strip()
    problems = Problems()
    if not reason:
        problems.add("reason", _("Say why the payment is reversed."), "required")
    if payment.reverses_id is not None or payment.amount <= 0:
        problems.add(WHOLE, _("A reversal cannot be reversed."), "reversal")
    elif Payment.objects.filter(reverses=payment).exists():
        problems.add(WHOLE, _("This payment was already reversed."), "reversed")
    problems.raise_if_any()
    reversal = Payment.objects.create(
        entry=entry,
        paid_on=timezone.localdate(),
        amount=-payment.amount,
        paid_by=actor,
        payer_unit=entry.payment_list.commune,
        receipt=payment.receipt,
        reverses=payment,
        reason=reason,
    )
    package_voucher_record(entry=entry, payment=reversal, actor=actor)
    audit.record(
        actor=actor,
        action="mothers.payment.reversed",
        target=reversal,
        org_unit=entry.payment_list.commune,
        after={
            "payment_list": entry.payment_list_id,
            "entry": entry.pk,
            "reverses": payment.pk,
            "amount": int(reversal.amount),
            "reason": reason,
        },
    )
    return reversal
