"""Pages of the budget part: allocations received, spending norms, a plan's estimate.

Selectors read (404 for who may not read the holder's money); services write and check rights
(403 for a reader who may not do it); forms show the services' problems beside their fields.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import (
    FINANCE_APPROVE,
    FINANCE_EDIT,
    FINANCE_PROPOSE,
    FINANCE_VIEW,
)
from duan8.core.idempotency import create_once
from duan8.finance.forms_budget import (
    AllocationForm,
    EstimateLineForm,
    NormForm,
    NormPeriodForm,
    VersionOnlyForm,
)
from duan8.finance.models import Estimate, EstimateLine
from duan8.finance.norms_data import shipped_notes
from duan8.finance.selectors_budget import (
    allocation_table,
    allocation_years,
    estimate_plan_get,
    estimate_view,
    holder_get,
    norm_get,
    norm_list,
    norms_readable,
)
from duan8.finance.services.estimates import (
    estimate_approve,
    estimate_line_remove,
)
from duan8.finance.services.norms import norms_editable
from duan8.orgunits.access import can, require_permission
from duan8.programs.models import Plan


def year_of(raw: str | None, default: int) -> int:
    try:
        year = int(raw or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def allocations_view(request: AuthedRequest, pk: int) -> HttpResponse:
    holder = holder_get(actor=request.user, unit_id=pk)
    years = allocation_years(holder)
    year = year_of(request.GET.get("nam"), years[0] if years else timezone.localdate().year)
    return render(
        request,
        "finance/budget_allocations.html",
        {
            "holder": holder,
            "year": year,
            "years": sorted({*years, year}, reverse=True),
            "table": allocation_table(holder=holder, year=year),
            "may_record": can(request.user, FINANCE_EDIT, holder),
        },
    )


def allocation_record_view(request: AuthedRequest, pk: int) -> HttpResponse:
    holder = holder_get(actor=request.user, unit_id=pk)
    require_permission(request.user, FINANCE_EDIT, holder)
    year = year_of(request.GET.get("nam"), timezone.localdate().year)
    form = AllocationForm(
        request.POST if request.method == "POST" else None,
        holder=holder,
        initial={"year": year},
    )
    if request.method == "POST":

        def create() -> HttpResponse | None:
            made = form.save(actor=request.user) if form.is_valid() else None
            if made is None:
                return None
            messages.success(request, _("The allocation was recorded."))
            url = redirect("finance:allocations", pk=holder.pk)
            url["Location"] += f"?nam={made.year}"
            return url

        if response := create_once(request, create):
            return response
    return render(request, "finance/budget_allocation_form.html", {"holder": holder, "form": form})


# --- spending norms ---------------------------------------------------------------------------


def norms_view(request: AuthedRequest) -> HttpResponse:
    if not norms_readable(request.user):  # a page of no unit: nothing to hide, a plain refusal
        raise PermissionDenied
    norms = norm_list()
    notes = shipped_notes()
    return render(
        request,
        "finance/budget_norms.html",
        {
            "norms": [(norm, "" if norm.verified else notes.get(norm.code, "")) for norm in norms],
            "may_edit": norms_editable(request.user),
        },
    )


def _norm_page(request: AuthedRequest, pk: int, *, new_period: bool) -> HttpResponse:
    norm = norm_get(actor=request.user, norm_id=pk)
    if not norms_editable(request.user):
        raise PermissionDenied
    form_class = NormPeriodForm if new_period else NormForm
    initial = NormForm.initial_of(norm)
    if new_period:
        initial.update(valid_from=None, valid_to=None)
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":

        def save() -> HttpResponse | None:
            saved = (
                form.save(actor=request.user, norm=norm, new_period=new_period)
                if (form.is_valid())
                else None
            )
            if saved is None:
                return None
            messages.success(request, _("The spending norm was saved."))
            return redirect("finance:norms")

        response = create_once(request, save) if new_period else save()
        if response:
            return response
    return render(
        request,
        "finance/budget_norm_form.html",
        {"norm": norm, "form": form, "new_period": new_period},
    )


def norm_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _norm_page(request, pk, new_period=False)


def norm_new_period_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _norm_page(request, pk, new_period=True)


# --- a plan's estimate ------------------------------------------------------------------------


def _render_estimate(
    request: AuthedRequest, plan: Plan, *, line_form: EstimateLineForm | None = None
) -> HttpResponse:
    view = estimate_view(plan)
    draft = view.status == Estimate.Status.DRAFT
    may_propose = draft and can(request.user, FINANCE_PROPOSE, plan.issuing_unit)
    if may_propose and line_form is None:
        line_form = EstimateLineForm(plan=plan, initial={"version": view.version})
    return render(
        request,
        "finance/budget_estimate.html",
        {
            "plan": plan,
            "view": view,
            "line_form": line_form if may_propose else None,
            "may_remove": may_propose,
            "may_approve": draft and can(request.user, FINANCE_APPROVE, plan.issuing_unit),
        },
    )


def estimate_page_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_estimate(request, estimate_plan_get(actor=request.user, plan_id=pk))


@require_POST
def estimate_line_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = estimate_plan_get(actor=request.user, plan_id=pk)
    require_permission(request.user, FINANCE_PROPOSE, plan.issuing_unit)
    form = EstimateLineForm(request.POST, plan=plan)

    def create() -> HttpResponse | None:
        if not (form.is_valid() and form.save(actor=request.user)):
            return None
        messages.success(request, _("The line was added to the estimate."))
        return redirect("finance:estimate", pk=plan.pk)

    return create_once(request, create) or _render_estimate(request, plan, line_form=form)


@require_POST
def estimate_line_remove_view(request: AuthedRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(EstimateLine.objects.select_related("estimate__plan"), pk=pk)
    plan = estimate_plan_get(actor=request.user, plan_id=line.estimate.plan_id)
    form = VersionOnlyForm(request.POST)
    form.is_valid()
    try:
        estimate_line_remove(
            actor=request.user, line=line, expected_version=form.cleaned_data.get("version")
        )
        messages.success(request, _("The line was removed from the estimate."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("finance:estimate", pk=plan.pk)


@require_POST
def estimate_approve_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = estimate_plan_get(actor=request.user, plan_id=pk)
    require_permission(request.user, FINANCE_APPROVE, plan.issuing_unit)
    form = VersionOnlyForm(request.POST)
    form.is_valid()
    try:
        estimate_approve(
            actor=request.user, plan=plan, expected_version=form.cleaned_data.get("version")
        )
        messages.success(request, _("The estimate was approved with the plan."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("finance:estimate", pk=plan.pk)


def plan_estimate_panel(request: AuthedRequest, plan: Plan) -> str:
    """The estimate's status and totals on the plan page (settings.PLAN_PAGE_PANELS), for the
    readers of the commune's money; empty for the others."""
    if not can(request.user, FINANCE_VIEW, plan.issuing_unit):
        return ""
    return render_to_string(
        "finance/budget_estimate_panel.html",
        {"plan": plan, "view": estimate_view(plan)},
        request=request,
    )
