"""Pages of the rules part (issue 13, point 2): a case's entitlement explained, the commune
leader's approval list, and the administrator's rules and items. Views only translate: the
engine computes, the services check rights and write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import MOTHERS_APPROVE, MOTHERS_VIEW
from duan8.core.audit import NotVisible
from duan8.core.idempotency import create_once
from duan8.core.problems import on_form, problems_of
from duan8.mothers.entitlement import (
    RuleSet,
    entitlement_for,
    for_entitlement,
    money,
    period_of,
    source_of,
)
from duan8.mothers.forms_rules import (
    ApproveForm,
    ItemForm,
    ItemNewPeriodForm,
    RuleForm,
    RuleNewPeriodForm,
)
from duan8.mothers.models import BenefitItem, EligibilityRule, EntitlementLine, Pregnancy
from duan8.mothers.services.approval import cases_approve
from duan8.mothers.services.registry import case_viewed
from duan8.mothers.services.rules import (
    item_new_period,
    item_update,
    rule_new_period,
    rule_update,
    rules_editable,
)
from duan8.mothers.visibility import fields_visible
from duan8.orgunits.access import can, require_permission
from duan8.orgunits.models import OrgUnit

# --- a case's entitlement --------------------------------------------------------------------


def case_entitlement_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Why a case is (not) eligible and what is due, item by item; an approved case shows the
    lines fixed at its approval."""
    case = get_object_or_404(
        for_entitlement(Pregnancy.objects.filter(pk=pk)).select_related("approved_by")
    )
    if not fields_visible(request.user, case.village).identity:
        raise NotVisible
    case_viewed(actor=request.user, pregnancy=case, parts=["entitlement"])
    fixed = list(
        EntitlementLine.objects.filter(pregnancy=case).select_related("item__legal_source")
    )
    entitlement = None if fixed else entitlement_for(case)
    lines = fixed if entitlement is None else entitlement.lines
    context: dict[str, Any] = {
        "case": case,
        "fixed": bool(fixed),
        "entitlement": entitlement,
        "lines": [
            {
                "name": line.item.name,
                "quantity": line.quantity,
                "amount": money(line.amount),
                "explanation": line.explanation,
            }
            for line in lines
        ],
        "total": money(sum((line.amount for line in lines), 0)),
    }
    return render(request, "mothers/rules_entitlement.html", context)


# --- the leader's approval ---------------------------------------------------------------------


def approve_list_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The verified cases of the commune with their totals; tick and approve."""
    commune = get_object_or_404(OrgUnit, pk=pk, level=OrgUnit.Level.COMMUNE)
    if not can(request.user, MOTHERS_VIEW, commune):
        raise NotVisible
    require_permission(request.user, MOTHERS_APPROVE, commune)
    cases = list(
        for_entitlement(
            Pregnancy.objects.filter(commune=commune, status=Pregnancy.Status.VERIFIED)
        ).order_by("village__name", "mother__name_key", "pk")
    )
    rules = RuleSet.load(villages={case.village_id for case in cases})
    rows = [(case, entitlement_for(case, rules=rules)) for case in cases]
    choices = [(case.pk, case.mother.full_name) for case, _e in rows]
    form = ApproveForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = {case.pk: case for case in cases}
        try:
            done = cases_approve(
                actor=request.user,
                commune=commune,
                pregnancies=[chosen[pk] for pk in form.cleaned_data["cases"]],
                expected_versions=form.versions(),
            )
        except ValidationError as exc:
            for problem in problems_of(exc):
                messages.error(request, problem.message)
        else:
            messages.success(
                request,
                _("%(count)s case(s) approved; their entitlements are fixed.")
                % {"count": len(done)},
            )
            return redirect("mothers:approve_list", commune.pk)
    context = {
        "commune": commune,
        "form": form,
        "rows": [{"case": case, "entitlement": e, "total": money(e.total)} for case, e in rows],
        "total": money(sum((e.total for _c, e in rows if e.eligible), 0)),
    }
    return render(request, "mothers/rules_approve.html", context)


# --- the administrator's rules ---------------------------------------------------------------


def rule_list_view(request: AuthedRequest) -> HttpResponse:
    """Every rule and item with its period and legal source: the administrator's page (a case's
    entitlement page cites the rules that apply to it for everyone else)."""
    editable = rules_editable(request.user)
    if not editable:
        raise PermissionDenied
    rules = EligibilityRule.objects.select_related("legal_source").prefetch_related("provinces")
    items = BenefitItem.objects.select_related("legal_source")
    context = {
        "editable": editable,
        "rules": [
            {"row": rule, "period": period_of(rule), "source": source_of(rule)} for rule in rules
        ],
        "items": [
            {
                "row": item,
                "period": period_of(item),
                "source": source_of(item),
                "amount": money(item.amount),
            }
            for item in items
        ],
    }
    return render(request, "mothers/rules_list.html", context)


def _version(form: Any) -> int | None:
    version = form.cleaned_data.get("version")
    return int(version) if version is not None else None


def _edit(request: AuthedRequest, row: Any, form_class: Any, save: Any) -> HttpResponse:
    if not rules_editable(request.user):
        raise PermissionDenied
    form = form_class(request.POST or None, row=row)
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except ValidationError as exc:
            on_form(form, exc)
        else:
            messages.success(
                request, _("Saved. Approved cases keep the amounts fixed at their approval.")
            )
            return redirect("mothers:rule_list")
    return render(request, "mothers/rules_form.html", {"form": form, "row": row, "new": False})


def rule_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(EligibilityRule, pk=pk)
    return _edit(
        request,
        rule,
        RuleForm,
        lambda form: rule_update(
            actor=request.user,
            rule=rule,
            expected_version=_version(form),
            data=form.data_for_service(),
        ),
    )


def item_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(BenefitItem, pk=pk)
    return _edit(
        request,
        item,
        ItemForm,
        lambda form: item_update(
            actor=request.user,
            item=item,
            expected_version=_version(form),
            data=form.data_for_service(),
        ),
    )


def _new_period(request: AuthedRequest, row: Any, form_class: Any, save: Any) -> HttpResponse:
    if not rules_editable(request.user):
        raise PermissionDenied
    form = form_class(request.POST or None, row=row)
    if request.method == "POST":

        def create() -> HttpResponse | None:
            if not form.is_valid():
                return None
            try:
                save(form)
            except ValidationError as exc:
                on_form(form, exc)
                return None
            messages.success(
                request, _("The new period is added; the previous one ends the day before.")
            )
            return redirect(reverse("mothers:rule_list"))

        response = create_once(request, create)
        if response is not None:
            return response
    return render(request, "mothers/rules_form.html", {"form": form, "row": row, "new": True})


def rule_new_period_view(request: AuthedRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(EligibilityRule, pk=pk)
    return _new_period(
        request,
        rule,
        RuleNewPeriodForm,
        lambda form: rule_new_period(
            actor=request.user,
            rule=rule,
            expected_version=_version(form),
            data=form.data_for_service(),
        ),
    )


def item_new_period_view(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(BenefitItem, pk=pk)
    return _new_period(
        request,
        item,
        ItemNewPeriodForm,
        lambda form: item_new_period(
            actor=request.user,
            item=item,
            expected_version=_version(form),
            data=form.data_for_service(),
        ),
    )
