"""Social feedback on the plan page: the panel (``settings.PLAN_PAGE_PANELS``) lists the comments
with their handling, with a form for the Fatherland Front and the WU while the plan is a draft,
and the handling forms for the plan's writers; the two POST views write through the services."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import PLANS_VIEW, SUPERVISION_RECORD
from duan8.core.audit import NotVisible
from duan8.core.idempotency import OnceForm, create_once
from duan8.core.problems import on_form
from duan8.orgunits.access import can
from duan8.programs.models import Plan, ProgramElement
from duan8.programs.plan_access import can_write_plan
from duan8.programs.selectors import plan_get
from duan8.supervision.feedback import plan_comment_create, plan_comment_handle, plan_lines
from duan8.supervision.models import PlanComment, Session
from duan8.supervision.selectors import plan_comments


class CommentForm(OnceForm):
    body = forms.ChoiceField(label=gettext_lazy("Comment by"), choices=Session.Body.choices)
    line = forms.ModelChoiceField(
        label=gettext_lazy("Plan line"),
        queryset=ProgramElement.objects.none(),
        required=False,
        empty_label=gettext_lazy("(the plan as a whole)"),
    )
    text = forms.CharField(
        label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        line = fields["line"]
        line.queryset = lines = plan_lines(plan)  # what a POST is checked against

        def label(e: ProgramElement) -> str:
            return f"{e.number or e.code} — {e.title[:80]}"

        # the options read as a list when drawn (the field's own iterator reads them through a
        # server-side cursor on PostgreSQL: DECLARE, FETCH and CLOSE); a POST reads none
        line.choices = lambda: [("", line.empty_label), *((e.pk, label(e)) for e in lines)]


class HandleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    handling = forms.ChoiceField(
        label=gettext_lazy("Handling"),
        choices=[
            (PlanComment.Handling.ACCEPTED.value, PlanComment.Handling.ACCEPTED.label),
            (PlanComment.Handling.EXPLAINED.value, PlanComment.Handling.EXPLAINED.label),
        ],
        widget=forms.RadioSelect,
    )
    reply = forms.CharField(
        label=gettext_lazy("Reply"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )


def _may_comment(request: AuthedRequest, plan: Plan) -> bool:
    return plan.is_editable and can(request.user, SUPERVISION_RECORD, plan.issuing_unit)


def plan_feedback_panel(request: AuthedRequest, plan: Plan) -> str:
    """The social feedback section of the plan page; empty for those who may not read the plan,
    and when there is nothing to show nor to do."""
    if not can(request.user, PLANS_VIEW, plan.issuing_unit):
        return ""
    comments = plan_comments(plan.pk)
    may_comment = _may_comment(request, plan)
    if not comments and not may_comment:
        return ""
    may_handle = plan.is_editable and can_write_plan(request.user, plan)
    return render_to_string(
        "supervision/feedback_panel.html",
        {
            "plan": plan,
            "comments": [
                {
                    "item": c,
                    "form": HandleForm(initial={"version": c.version})
                    if may_handle and c.handling == PlanComment.Handling.WAITING
                    else None,
                }
                for c in comments
            ],
            "form": CommentForm(plan=plan) if may_comment else None,
        },
        request=request,
    )


def _plan_url(plan: Plan) -> str:
    return reverse("programs:plan_detail", args=[plan.pk]) + "#feedback"


@require_POST
def plan_comment_create_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(actor=request.user, plan_id=pk)
    form = CommentForm(request.POST, plan=plan)

    def create() -> HttpResponse | None:
        if not form.is_valid():
            return None
        try:
            plan_comment_create(
                actor=request.user,
                plan=plan,
                body=form.cleaned_data["body"],
                text=form.cleaned_data["text"],
                line=form.cleaned_data["line"],
            )
        except ValidationError as exc:
            on_form(form, exc)
            return None
        messages.success(request, _("The comment was sent to the plan's writers."))
        return redirect(_plan_url(plan))

    return create_once(request, create) or render(
        request, "supervision/feedback_form.html", {"form": form, "plan": plan}, status=400
    )


@require_POST
def plan_comment_handle_view(request: AuthedRequest, pk: int) -> HttpResponse:
    comment = PlanComment.objects.select_related("plan").filter(pk=pk).first()
    if comment is None:
        raise NotVisible(_("Comment not found."))
    plan = plan_get(actor=request.user, plan_id=comment.plan_id)
    form = HandleForm(request.POST)
    if form.is_valid():
        try:
            plan_comment_handle(
                actor=request.user,
                comment=comment,
                handling=form.cleaned_data["handling"],
                reply=form.cleaned_data["reply"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            on_form(form, exc)
        else:
            messages.success(request, _("The comment's handling was saved."))
            return redirect(_plan_url(plan))
    return render(
        request,
        "supervision/feedback_form.html",
        {"form": form, "plan": plan, "comment": comment},
        status=400,
    )
