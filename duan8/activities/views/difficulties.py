"""Pages of difficulties raised in a village or commune: the list, raising one, escalating it
to the commune's People's Committee and answering it. Selectors read (404 outside one's units),
services write and check rights (403), forms put the services' problems beside their fields."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duan8.accounts.http import AuthedRequest
from duan8.accounts.models import User
from duan8.accounts.permissions import PLANS_EDIT, REPORTS_REVIEW
from duan8.activities.forms.community import AnswerForm, DifficultyForm, EscalateForm
from duan8.activities.models import Difficulty
from duan8.activities.selectors.community import (
    commune_of,
    difficulty_get,
    difficulty_history,
    difficulty_list,
    records_unit_get,
    units_editable_under,
)
from duan8.activities.views.community import editable_units, list_page, list_unit, unit_plans
from duan8.activities.views.locks import lock_banner
from duan8.core.idempotency import create_once
from duan8.orgunits.access import can, require_permission


def difficulty_list_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = records_unit_get(actor=request.user, unit_id=pk)
    status = request.GET.get("status") or ""
    if status not in Difficulty.Status.values:
        status = ""
    page = list_page(request, difficulty_list(actor=request.user, unit=unit, status=status))
    return render(
        request,
        "activities/difficulties_list.html",
        {
            "unit": unit,
            "page": page,
            "status": status,
            "statuses": Difficulty.Status.choices,
            "page_query": f"status={status}&" if status else "",
            "can_create": bool(units_editable_under(actor=request.user, unit=unit)),
        },
    )


def difficulty_create_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = records_unit_get(actor=request.user, unit_id=pk)
    form = DifficultyForm(
        request.POST if request.method == "POST" else None,
        units=editable_units(request.user, unit),
        plans=unit_plans(request.user, unit),
    )
    if request.method == "POST":

        def create() -> HttpResponse | None:
            difficulty = form.save(actor=request.user) if form.is_valid() else None
            if difficulty is None:
                return None
            messages.success(request, _("The difficulty was recorded."))
            return redirect("activities:difficulty_detail", pk=difficulty.pk)

        if response := create_once(request, create):
            return response
    return render(
        request,
        "activities/difficulties_form.html",
        {"unit": unit, "list_unit": unit, "form": form},
    )


def _may_escalate(actor: User, difficulty: Difficulty) -> bool:
    return difficulty.status == Difficulty.Status.OPEN and can(
        actor, PLANS_EDIT, commune_of(difficulty.org_unit)
    )


def _may_answer(actor: User, difficulty: Difficulty) -> bool:
    commune = commune_of(difficulty.org_unit)
    if difficulty.status == Difficulty.Status.ESCALATED:
        return can(actor, REPORTS_REVIEW, commune)
    return difficulty.status in (Difficulty.Status.OPEN, Difficulty.Status.ANSWERED) and can(
        actor, PLANS_EDIT, commune
    )


def _render_difficulty(
    request: AuthedRequest,
    difficulty: Difficulty,
    *,
    escalate_form: EscalateForm | None = None,
    answer_form: AnswerForm | None = None,
) -> HttpResponse:
    banner = lock_banner(
        request.user, difficulty.org_unit, difficulty.raised_on, difficulty.description[:80]
    )
    may_escalate = _may_escalate(request.user, difficulty) and banner is None
    may_answer = _may_answer(request.user, difficulty) and banner is None
    if may_escalate and escalate_form is None:
        escalate_form = EscalateForm(initial={"version": difficulty.version})
    if may_answer and answer_form is None:
        answer_form = AnswerForm(
            initial={
                "answered_by": request.user.full_name,
                "answer": difficulty.answer,
                "version": difficulty.version,
            }
        )
    return render(
        request,
        "activities/difficulties_detail.html",
        {
            "difficulty": difficulty,
            "unit": difficulty.org_unit,
            "list_unit": list_unit(request.user, difficulty.org_unit),
            "commune": commune_of(difficulty.org_unit),
            "history": difficulty_history(difficulty),
            "banner": banner,
            "escalate_form": escalate_form if may_escalate else None,
            "answer_form": answer_form if may_answer else None,
        },
    )


def difficulty_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_difficulty(request, difficulty_get(actor=request.user, difficulty_id=pk))


@require_POST
def difficulty_escalate_view(request: AuthedRequest, pk: int) -> HttpResponse:
    difficulty = difficulty_get(actor=request.user, difficulty_id=pk)
    require_permission(request.user, PLANS_EDIT, commune_of(difficulty.org_unit))
    form = EscalateForm(request.POST)
    if form.is_valid() and form.save(actor=request.user, difficulty=difficulty):
        messages.success(
            request,
            _("The difficulty was escalated to %(to)s.") % {"to": difficulty.escalated_to},
        )
        return redirect("activities:difficulty_detail", pk=difficulty.pk)
    return _render_difficulty(request, difficulty, escalate_form=form)


@require_POST
def difficulty_answer_view(request: AuthedRequest, pk: int) -> HttpResponse:
    difficulty = difficulty_get(actor=request.user, difficulty_id=pk)
    commune = commune_of(difficulty.org_unit)
    if not can(request.user, PLANS_EDIT, commune):
        require_permission(request.user, REPORTS_REVIEW, commune)
    form = AnswerForm(request.POST)
    if form.is_valid() and form.save(actor=request.user, difficulty=difficulty):
        messages.success(request, _("The answer was recorded."))
        return redirect("activities:difficulty_detail", pk=difficulty.pk)
    return _render_difficulty(request, difficulty, answer_form=form)
