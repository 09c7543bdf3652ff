"""Payment pages: a commune's payment lists (and what was paid per village), a list with its
entries (due, paid, still due), approving it, recording a payment, reversing one, downloads.

Selectors read (404 for anyone who may not read the commune's lists); services write and check
rights (403 for a reader who may not do it: the health station or the WU officer paying);
forms put the services' problems beside their fields, and nothing is saved then.
"""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duan8.accounts.http import AuthedRequest
from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_APPROVE, MOTHERS_PAY
from duan8.core.idempotency import create_once
from duan8.documents.pdf import ConversionError
from duan8.mothers.documents_payments import CONTENT_TYPES, payment_list_export
from duan8.mothers.forms_payments import ApproveForm, PaymentForm, PaymentListForm, ReverseForm
from duan8.mothers.models import PaymentList, PaymentListEntry
from duan8.mothers.selectors_payments import (
    paid_by_village,
    payment_commune_get,
    payment_entry_get,
    payment_get,
    payment_list_get,
    payment_list_table,
    payment_lists_of,
)
from duan8.mothers.services.payments import money, paid_net
from duan8.orgunits.access import can, require_permission
from duan8.orgunits.models import OrgUnit


def _may_make(actor: User, commune: OrgUnit) -> bool:
    return can(actor, MOTHERS_PAY, commune) or can(actor, MOTHERS_APPROVE, commune)


def _year(raw: str | None, default: int) -> int:
    try:
        year = int(raw or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def payment_lists_view(request: AuthedRequest, pk: int) -> HttpResponse:
    commune = payment_commune_get(actor=request.user, commune_id=pk)
    lists = list(payment_lists_of(actor=request.user, commune=commune))
    year = _year(request.GET.get("nam"), lists[0].year if lists else timezone.localdate().year)
    return render(
        request,
        "mothers/payments_lists.html",
        {
            "commune": commune,
            "lists": lists,
            "year": year,
            "years": sorted({pl.year for pl in lists} | {year}, reverse=True),
            "progress": paid_by_village(commune, year),
            "may_make": _may_make(request.user, commune),
        },
    )


def payment_list_create_view(request: AuthedRequest, pk: int) -> HttpResponse:
    commune = payment_commune_get(actor=request.user, commune_id=pk)
    if not _may_make(request.user, commune):
        require_permission(request.user, MOTHERS_PAY, commune)
    form = PaymentListForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":

        def create() -> HttpResponse | None:
            made = form.save(actor=request.user, commune=commune) if form.is_valid() else None
            if made is None:
                return None
            messages.success(request, _("The payment list was made; the chairman approves it."))
            return redirect("mothers:payment_list_detail", pk=made.pk)

        if response := create_once(request, create):
            return response
    return render(request, "mothers/payments_form.html", {"commune": commune, "form": form})


def _render_list(
    request: AuthedRequest, payment_list: PaymentList, *, approve_form: ApproveForm | None = None
) -> HttpResponse:
    commune = payment_list.commune
    approved = payment_list.status == PaymentList.Status.APPROVED
    may_approve = payment_list.status == PaymentList.Status.DRAFT and can(
        request.user, MOTHERS_APPROVE, commune
    )
    if may_approve and approve_form is None:
        approve_form = ApproveForm(initial={"version": payment_list.version})
    return render(
        request,
        "mothers/payments_detail.html",
        {
            "payment_list": payment_list,
            "commune": commune,
            "table": payment_list_table(payment_list),
            "may_pay": approved and can(request.user, MOTHERS_PAY, commune),
            "approve_form": approve_form if may_approve else None,
            "formats": sorted(CONTENT_TYPES),
        },
    )


def payment_list_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_list(request, payment_list_get(actor=request.user, list_id=pk))


@require_POST
def payment_list_approve_view(request: AuthedRequest, pk: int) -> HttpResponse:
    payment_list = payment_list_get(actor=request.user, list_id=pk)
    require_permission(request.user, MOTHERS_APPROVE, payment_list.commune)
    form = ApproveForm(request.POST)
    if form.is_valid() and form.save(actor=request.user, payment_list=payment_list):
        messages.success(request, _("The payment list was approved; payments may be recorded."))
        return redirect("mothers:payment_list_detail", pk=payment_list.pk)
    return _render_list(request, payment_list, approve_form=form)


def _entry_facts(entry: PaymentListEntry) -> dict[str, Any]:
    case = entry.pregnancy
    paid = paid_net(entry)
    return {
        "name": case.mother.full_name,
        "birth_year": case.mother.birth_year,
        "village": case.village.name,
        "due": entry.amount_due,
        "paid": paid,
        "remaining": entry.amount_due - paid,
    }


def payment_record_view(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = payment_entry_get(actor=request.user, entry_id=pk)
    payment_list = entry.payment_list
    require_permission(request.user, MOTHERS_PAY, payment_list.commune)
    facts = _entry_facts(entry)
    form = PaymentForm(
        request.POST if request.method == "POST" else None,
        initial={"amount": money(facts["remaining"])},
    )
    if request.method == "POST":

        def create() -> HttpResponse | None:
            paid = form.save(actor=request.user, entry=entry) if form.is_valid() else None
            if paid is None:
                return None
            messages.success(request, _("The payment was recorded."))
            url = reverse("mothers:payment_list_detail", kwargs={"pk": payment_list.pk})
            return redirect(f"{url}#entry-{entry.pk}")

        if response := create_once(request, create):
            return response
    return render(
        request,
        "mothers/payments_pay.html",
        {"entry": entry, "payment_list": payment_list, "facts": facts, "form": form},
    )


def payment_reverse_view(request: AuthedRequest, pk: int) -> HttpResponse:
    payment = payment_get(actor=request.user, payment_id=pk)
    entry = payment.entry
    payment_list = entry.payment_list
    require_permission(request.user, MOTHERS_PAY, payment_list.commune)
    form = ReverseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":

        def create() -> HttpResponse | None:
            reversal = form.save(actor=request.user, payment=payment) if form.is_valid() else None
            if reversal is None:
                return None
            messages.success(request, _("The payment was reversed."))
            url = reverse("mothers:payment_list_detail", kwargs={"pk": payment_list.pk})
            return redirect(f"{url}#entry-{entry.pk}")

        if response := create_once(request, create):
            return response
    return render(
        request,
        "mothers/payments_reverse.html",
        {
            "payment": payment,
            "payment_list": payment_list,
            "facts": _entry_facts(payment_entry_get(actor=request.user, entry_id=entry.pk)),
            "form": form,
        },
    )


def payment_list_download_view(request: AuthedRequest, pk: int, file_format: str) -> HttpResponse:
    if file_format not in CONTENT_TYPES:
        raise Http404
    payment_list = payment_list_get(actor=request.user, list_id=pk)
    try:
        exported = payment_list_export(
            actor=request.user, payment_list=payment_list, file_format=file_format
        )
    except ConversionError as exc:
        messages.error(request, str(exc))
        return redirect("mothers:payment_list_detail", pk=payment_list.pk)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response
