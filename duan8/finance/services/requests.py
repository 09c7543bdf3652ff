"""Payment requests (đề nghị thanh toán, issue 14, point 4): the Women's Union officer
(``finance.propose``) asks the accountant to pay for a plan activity or an event; the
accountant (``finance.edit``) pays it by a voucher (``vouchers.voucher_record`` with the request,
which marks it paid) or refuses it with a reason. Each change names the version it was made on.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import FINANCE_EDIT, FINANCE_PROPOSE
from duan8.activities.models import Event
from duan8.core import audit
from duan8.core.concurrency import claim_version
from duan8.core.problems import WHOLE, Problems
from duan8.finance.models import PaymentRequest
from duan8.finance.services import voucher_checks as checks
from duan8.finance.services.allocations import whole_dong
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement

REASON_MAX = 1000


@dataclass(frozen=True)
class RequestInput:
    holder: OrgUnit
    plan: Plan | None
    activity: ProgramElement | None
    payee: str
    content: str
    amount: Decimal | int | str | None
    source: str
    event: Event | None = None


def _check(data: RequestInput) -> Decimal:
    problems = Problems()
    checks.text_checks({"payee": data.payee, "content": data.content}, problems)
    amount = whole_dong(data.amount, problems, "amount")
    checks.plan_check(data.holder, data.plan, data.activity, problems)
    checks.source_check(data.source, problems)
    if data.event is not None and data.plan is not None and data.event.plan_id != data.plan.pk:
        problems.add("event", _("This event belongs to another plan."), "invalid_choice")
    problems.raise_if_any()
    return amount


@transaction.atomic
def request_propose(*, actor: User, data: RequestInput) -> PaymentRequest:
    """The WU officer proposes a payment; nothing is spent until the accountant pays it."""
    require_permission(actor, FINANCE_PROPOSE, data.holder)
    amount = _check(data)
    assert data.plan is not None and data.activity is not None
    request = PaymentRequest.objects.create(
        holder=data.holder,
        plan=data.plan,
        activity=data.activity,
        event=data.event,
        payee=data.payee,
        content=data.content,
        amount=amount,
        source=data.source,
        proposed_by=actor,
    )
    audit.record(
        actor=actor,
        action="finance.request.proposed",
        target=request,
        org_unit=data.holder,
        after={
            "payee": request.payee,
            "content": request.content,
            "amount": int(amount),
            "source": request.source,
            "activity": data.activity.code,
            "event": request.event_id,
        },
        version=request.version,
    )
    return request


@transaction.atomic
def request_refuse(
    *, actor: User, request: PaymentRequest, reason: str, expected_version: int | None
) -> PaymentRequest:
    """The accountant refuses a proposed payment, saying why."""
    require_permission(actor, FINANCE_EDIT, request.holder)
    reason = (reason or "").strip()
    problems = Problems()
    if request.status != PaymentRequest.Status.PROPOSED:
        message = _("This payment request is %(status)s: it cannot be refused.") % {
            "status": request.get_status_display().lower()
        }
        problems.add(WHOLE, message, "status")
    if not reason:
        problems.add("reason", _("Say why the request is refused."), "required")
    elif len(reason) > REASON_MAX:
        message = _("At most %(limit)s characters.") % {"limit": REASON_MAX}
        problems.add("reason", message, "max_length")
    problems.raise_if_any()
    claim_version(request, expected_version)
    request.status = PaymentRequest.Status.REFUSED
    request.status_reason = reason
    request.save(update_fields=["status", "status_reason", "updated_at"])
    audit.record(
        actor=actor,
        action="finance.request.refused",
        target=request,
        org_unit=request.holder,
        after={"status": request.status, "reason": reason},
        version=request.version,
    )
    return request
