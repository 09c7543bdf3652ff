"""The pages that edit the text a plan prints (issue 12, point 2): header, texts and signature;
legal bases; focus contents; responsibilities. Reachable from the plan page by whoever may
write the draft (``plan_access``); the services check the right again and refuse an approved
plan."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import BaseFormSet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duan8.accounts.http import AuthedRequest
from duan8.accounts.models import User
from duan8.programs.forms_edit import (
    LegalBasisFormSet,
    PlanFocusForm,
    PlanTextsForm,
    ResponsibilityFormSet,
    VersionForm,
    legal_bases_initial,
    legal_bases_save,
    responsibilities_initial,
    responsibilities_save,
)
from duan8.programs.models import Plan
from duan8.programs.views import _editable_plan, _not_editable

SECTIONS = [
    ("programs:plan_text_edit", gettext_lazy("Header, texts and signature")),
    ("programs:plan_legal_bases_edit", gettext_lazy("Legal bases")),
    ("programs:plan_focus_edit", gettext_lazy("Focus contents")),
    ("programs:plan_responsibilities_edit", gettext_lazy("Responsibilities")),
]


def _done(request: AuthedRequest, plan: Plan, saved: bool) -> HttpResponse:
    if saved:
        messages.success(request, _("The plan's text was saved."))
    else:
        messages.info(request, _("Nothing was changed."))
    return redirect("programs:plan_detail", pk=plan.pk)


def _page(request: AuthedRequest, plan: Plan, current: str, **context: Any) -> HttpResponse:
    return render(
        request,
        "programs/plan_text_form.html",
        {"plan": plan, "sections": SECTIONS, "current": current, **context},
    )


def _form_page(request: AuthedRequest, pk: int, form_class: type[Any], name: str) -> HttpResponse:
    plan = _editable_plan(request, pk)
    if not plan.is_editable:
        return _not_editable(request, plan)
    form = form_class(request.POST if request.method == "POST" else None, plan=plan)
    if request.method == "POST" and form.is_valid():
        saved = form.save(actor=request.user)
        if saved is not None:
            return _done(request, plan, saved)
    return _page(request, plan, name, form=form)


def plan_text_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _form_page(request, pk, PlanTextsForm, "programs:plan_text_edit")


def plan_focus_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _form_page(request, pk, PlanFocusForm, "programs:plan_focus_edit")


Saver = Callable[..., bool | None]


def _formset_page(
    request: AuthedRequest,
    pk: int,
    formset_class: type[BaseFormSet],
    initial: Callable[[Plan], list[dict[str, Any]]],
    save: Saver,
    name: str,
) -> HttpResponse:
    plan = _editable_plan(request, pk)
    if not plan.is_editable:
        return _not_editable(request, plan)
    data = request.POST if request.method == "POST" else None
    head = VersionForm(data, plan=plan)
    formset = formset_class(data, initial=initial(plan), prefix="rows")
    if data is not None and head.is_valid() and formset.is_valid():
        user: User = request.user
        saved = save(head=head, formset=formset, actor=user)
        if saved is not None:
            return _done(request, plan, saved)
    return _page(request, plan, name, form=head, formset=formset)


def plan_legal_bases_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _formset_page(
        request,
        pk,
        LegalBasisFormSet,
        legal_bases_initial,
        legal_bases_save,
        "programs:plan_legal_bases_edit",
    )


def plan_responsibilities_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _formset_page(
        request,
        pk,
        ResponsibilityFormSet,
        responsibilities_initial,
        responsibilities_save,
        "programs:plan_responsibilities_edit",
    )
