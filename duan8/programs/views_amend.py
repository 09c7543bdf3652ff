"""Amendment pages of a plan (issue 12, point 4): start an amendment of an approved plan (reason
and effective date; created once per form key, then the page goes to the new draft), discard a
draft amendment (POST from the plan page, with the version it was shown at), and what changed
between a version and the one it amends.

Rights: a plan the user may not see is answered with 404; starting an amendment needs
the right to write the plan (``plan_access``; 403 otherwise).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duan8.accounts.http import AuthedRequest
from duan8.core.idempotency import OnceForm, create_once
from duan8.core.problems import on_form
from duan8.programs.amendments import (
    AmendmentOpen,
    plan_amend,
    plan_amendment_discard,
    plan_versions_diff,
)
from duan8.programs.forms_edit import DATE
from duan8.programs.models import Plan
from duan8.programs.plan_access import require_plan_write
from duan8.programs.selectors import plan_get


class PlanAmendForm(OnceForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the amendment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # the service says what is missing, beside the field
    )
    in_force_from = forms.DateField(
        label=gettext_lazy("In force from"), required=False, widget=DATE
    )


def plan_amend_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(actor=request.user, plan_id=pk)
    require_plan_write(request.user, plan)
    posted = request.method == "POST"
    form = PlanAmendForm(request.POST if posted else None)
    existing: list[Plan] = []

    def create() -> HttpResponse | None:
        if not form.is_valid():
            return None
        try:
            draft = plan_amend(
                actor=request.user,
                plan=plan,
                reason=form.cleaned_data["reason"],
                in_force_from=form.cleaned_data["in_force_from"],
            )
        except AmendmentOpen as exc:
            existing.append(exc.draft)
            on_form(form, exc)
            return None
        except ValidationError as exc:
            on_form(form, exc)
            return None
        messages.success(
            request,
            _(
                "The amendment was started as a draft: change its targets and texts, give it its"
                " number and date, then approve it."
            ),
        )
        return redirect("programs:plan_detail", pk=draft.pk)

    if posted and (response := create_once(request, create)):
        return response
    return render(
        request,
        "programs/plan_amend_form.html",
        {"plan": plan, "form": form, "existing": existing[0] if existing else None},
        status=400 if posted else 200,
    )


def _posted_version(raw: str | None) -> int | None:
    """The version the page was shown at; None (the service refuses it) when absent."""
    try:
        return int(raw or "")
    except ValueError:
        return None


@require_POST
def plan_amendment_discard_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Discard a draft amendment (its button on the plan page), then show the version in force."""
    plan = plan_get(actor=request.user, plan_id=pk)
    require_plan_write(request.user, plan)
    try:
        amended = plan_amendment_discard(
            actor=request.user,
            plan=plan,
            expected_version=_posted_version(request.POST.get("version")),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("programs:plan_detail", pk=plan.pk)
    messages.success(
        request,
        _("The draft amendment was discarded; plan %(reference)s stays in force.")
        % {"reference": amended.reference},
    )
    return redirect("programs:plan_detail", pk=amended.pk)


def plan_changes_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """What this version changed in the version it amends (a first version: nothing to compare)."""
    plan = plan_get(actor=request.user, plan_id=pk)
    previous = plan_get(actor=request.user, plan_id=plan.amends_id) if plan.amends_id else None
    return render(
        request,
        "programs/plan_changes.html",
        {
            "plan": plan,
            "previous": previous,
            "changes": plan_versions_diff(previous, plan) if previous else [],
        },
    )
