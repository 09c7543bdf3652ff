"""Pages of the spending part: the holder's vouchers of a year, recording and reversing one, and
the payment requests (đề nghị thanh toán).

Reading needs ``finance.view`` on the holder (404 otherwise, ``selectors_budget.holder_get``);
writing is checked by the services (403 for a reader who may not do it).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import (
    FINANCE_APPROVE,
    FINANCE_EDIT,
    FINANCE_PROPOSE,
    RECORDS_PERSONAL,
)
from duan8.activities.models import Event
from duan8.core.audit import NotVisible
from duan8.core.idempotency import create_once
from duan8.finance.forms_spending import (
    ReasonForm,
    RequestForm,
    VoucherForm,
    holder_plans,
    initial_from,
    plan_activity_choices,
)
from duan8.finance.models import PaymentRequest, Source, Voucher
from duan8.finance.selectors_budget import holder_get
from duan8.finance.services.voucher_checks import event_paid
from duan8.finance.spent import voucher_list
from duan8.finance.views_budget import year_of
from duan8.orgunits.access import can, require_permission


def _month(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and 1 <= int(raw) <= 12 else None


def may_see_payees(actor: Any, holder: Any) -> bool:
    """Payees are often persons, and receipts carry their names and signatures: shown to the
    commune's money roles (who pay, propose and approve) and to readers of persons' names; the
    other readers of the money (reviewers above, the Fatherland Front) see figures only."""
    return any(
        can(actor, code, holder)
        for code in (FINANCE_EDIT, FINANCE_PROPOSE, FINANCE_APPROVE, RECORDS_PERSONAL)
    )


def vouchers_view(request: AuthedRequest, pk: int) -> HttpResponse:
    holder = holder_get(actor=request.user, unit_id=pk)
    year = year_of(request.GET.get("nam"), timezone.localdate().year)
    month = _month(request.GET.get("thang"))
    source = request.GET.get("nguon") or None
    source = source if source in Source.values else None
    activity_code = request.GET.get("hoat-dong") or ""
    activities = list(plan_activity_choices(list(holder_plans(holder))))
    activity = next((a for a in activities if a.code == activity_code), None)
    table = voucher_list(holder=holder, year=year, month=month, source=source, activity=activity)
    return render(
        request,
        "finance/spending_vouchers.html",
        {
            "holder": holder,
            "year": year,
            "years": list(range(timezone.localdate().year, 2020, -1)),
            "month": month,
            "months": range(1, 13),
            "source": source,
            "sources": Source.choices,
            "activity": activity,
            "activities": activities,
            "table": table,
            "source_totals": [
                (label, table.by_source[value])
                for value, label in Source.choices
                if value in table.by_source
            ],
            "may_record": can(request.user, FINANCE_EDIT, holder),
            "may_see_payees": may_see_payees(request.user, holder),
        },
    )


def _prefill(request: AuthedRequest, holder_pk: int) -> dict:
    event_id, request_id = request.GET.get("su-kien", ""), request.GET.get("de-nghi", "")
    event = (
        Event.objects.filter(pk=event_id, plan__issuing_unit_id=holder_pk).first()
        if event_id.isdigit()
        else None
    )
    payment_request = (
        PaymentRequest.objects.filter(pk=request_id, holder_id=holder_pk).first()
        if request_id.isdigit()
        else None
    )
    paid = event_paid(event) if event is not None else 0
    return initial_from(event=event, request=payment_request, paid=paid)  # type: ignore[arg-type]


def voucher_record_view(request: AuthedRequest, pk: int) -> HttpResponse:
    holder = holder_get(actor=request.user, unit_id=pk)
    require_permission(request.user, FINANCE_EDIT, holder)
    posted = request.method == "POST"
    form = VoucherForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        holder=holder,
        initial=None if posted else _prefill(request, holder.pk),
    )
    if posted:

        def create() -> HttpResponse | None:
            voucher = form.save(actor=request.user) if form.is_valid() else None
            if voucher is None:
                return None
            messages.success(
                request, _("Voucher %(number)s was recorded.") % {"number": voucher.number}
            )
            response = redirect("finance:vouchers", pk=holder.pk)
            response["Location"] += f"?nam={voucher.year}"
            return response

        if response := create_once(request, create):
            return response
    return render(request, "finance/spending_voucher_form.html", {"holder": holder, "form": form})


def voucher_reverse_view(request: AuthedRequest, pk: int) -> HttpResponse:
    voucher = Voucher.objects.select_related("holder", "activity", "event").filter(pk=pk).first()
    if voucher is None:
        raise NotVisible
    holder = holder_get(actor=request.user, unit_id=voucher.holder_id)
    require_permission(request.user, FINANCE_EDIT, holder)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and form.is_valid()
        and form.reverse(actor=request.user, voucher=voucher) is not None
    ):
        messages.success(
            request, _("Voucher %(number)s was reversed.") % {"number": voucher.number}
        )
        response = redirect("finance:vouchers", pk=holder.pk)
        response["Location"] += f"?nam={voucher.year}"
        return response
    return render(
        request,
        "finance/spending_voucher_reverse.html",
        {"holder": holder, "voucher": voucher, "form": form},
    )


RECEIPT_TYPES = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}


@require_safe
def voucher_receipt_view(request: AuthedRequest, pk: int) -> FileResponse:
    """A voucher's receipt, to those who read the holder's money."""
    voucher = Voucher.objects.filter(pk=pk).only("holder_id", "receipt", "receipt_name").first()
    if voucher is None or not voucher.receipt:
        raise NotVisible
    holder = holder_get(actor=request.user, unit_id=voucher.holder_id)
    if not may_see_payees(request.user, holder):
        raise PermissionDenied
    suffix = "." + voucher.receipt.name.rsplit(".", 1)[-1].lower()
    try:
        handle = voucher.receipt.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("File not found.")) from exc
    response = FileResponse(
        handle,
        filename=voucher.receipt_name or f"receipt{suffix}",
        content_type=RECEIPT_TYPES.get(suffix.replace(".jpeg", ".jpg"), "application/pdf"),
    )
    response["Cache-Control"] = "private, no-store"
    return response


def requests_view(request: AuthedRequest, pk: int) -> HttpResponse:
    holder = holder_get(actor=request.user, unit_id=pk)
    rows = list(
        PaymentRequest.objects.filter(holder=holder)
        .select_related("activity", "event", "proposed_by", "plan")
        .order_by("-created_at", "-pk")[:200]
    )
    return render(
        request,
        "finance/spending_requests.html",
        {
            "holder": holder,
            "rows": rows,
            "may_propose": can(request.user, FINANCE_PROPOSE, holder),
            "may_pay": can(request.user, FINANCE_EDIT, holder),
            "may_see_payees": may_see_payees(request.user, holder),
        },
    )


def request_propose_view(request: AuthedRequest, pk: int) -> HttpResponse:
    holder = holder_get(actor=request.user, unit_id=pk)
    require_permission(request.user, FINANCE_PROPOSE, holder)
    form = RequestForm(request.POST if request.method == "POST" else None, holder=holder)
    if request.method == "POST":

        def create() -> HttpResponse | None:
            made = form.save(actor=request.user) if form.is_valid() else None
            if made is None:
                return None
            messages.success(request, _("The payment request was sent to the accountant."))
            return redirect("finance:requests", pk=holder.pk)

        if response := create_once(request, create):
            return response
    return render(request, "finance/spending_request_form.html", {"holder": holder, "form": form})


def request_refuse_view(request: AuthedRequest, pk: int) -> HttpResponse:
    payment_request = PaymentRequest.objects.select_related("holder").filter(pk=pk).first()
    if payment_request is None:
        raise NotVisible
    holder = holder_get(actor=request.user, unit_id=payment_request.holder_id)
    require_permission(request.user, FINANCE_EDIT, holder)
    form = ReasonForm(
        request.POST if request.method == "POST" else None,
        initial={"version": payment_request.version},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and form.refuse(actor=request.user, request=payment_request) is not None
    ):
        messages.success(request, _("The payment request was refused."))
        return redirect("finance:requests", pk=holder.pk)
    return render(
        request,
        "finance/spending_request_refuse.html",
        {"holder": holder, "payment_request": payment_request, "form": form},
    )
