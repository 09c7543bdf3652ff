"""“New plan” page of a unit (issue 12, point 1 a and c): choose the year and where the draft
starts from; the draft is created once per form key and the page goes to it.

Rights: to write a plan of the unit (``plan_access``); a unit the user may not see is answered
with 404.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duan8.accounts.http import AuthedRequest
from duan8.core.audit import NotVisible
from duan8.core.idempotency import OnceForm, create_once
from duan8.core.problems import on_form
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.models import Plan
from duan8.programs.plan_access import require_plan_write
from duan8.programs.plan_new import ASSIGNED, EMPTY, PREVIOUS, PlanExists, plan_new


class PlanNewForm(OnceForm):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    source = forms.ChoiceField(
        label=gettext_lazy("Start from"),
        widget=forms.RadioSelect,
        choices=[
            (PREVIOUS, gettext_lazy("The unit's previous plan (structure, legal bases, texts)")),
            (EMPTY, gettext_lazy("Empty, from the program structure in force that year")),
            (ASSIGNED, gettext_lazy("The targets the level above assigned (province, district)")),
        ],
        initial=PREVIOUS,
    )
    carry_targets = forms.BooleanField(
        label=gettext_lazy("Carry the previous plan's targets over"),
        required=False,
        help_text=gettext_lazy("Otherwise the targets are left blank."),
    )


def _unit(request: AuthedRequest, pk: int) -> OrgUnit:
    unit = (
        org_units_visible_to(request.user)
        .filter(pk=pk)
        .exclude(level=OrgUnit.Level.VILLAGE)
        .select_related("parent")
        .first()
    )
    if unit is None:
        raise NotVisible(_("Administrative unit not found."))
    require_plan_write(request.user, unit)
    return unit


def _next_year(unit: OrgUnit) -> int:
    last = Plan.objects.filter(issuing_unit=unit).order_by("-year").values_list("year", flat=True)
    return (last.first() or timezone.localdate().year - 1) + 1


def plan_new_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    posted = request.method == "POST"
    form = PlanNewForm(request.POST if posted else None, initial={"year": _next_year(unit)})
    existing: list[Plan] = []

    def create() -> HttpResponse | None:
        if not form.is_valid():
            return None
        data = form.cleaned_data
        try:
            result = plan_new(
                actor=request.user,
                unit=unit,
                year=data["year"],
                source=data["source"],
                carry_targets=data["carry_targets"],
            )
        except PlanExists as exc:
            existing.append(exc.plan)
            on_form(form, exc)
            return None
        except ValidationError as exc:
            on_form(form, exc)
            return None
        messages.success(
            request,
            _("The draft plan of %(year)s was created; give it its number and date when issued.")
            % {"year": result.plan.year},
        )
        return redirect("programs:plan_detail", pk=result.plan.pk)

    if posted and (response := create_once(request, create)):
        return response
    return render(
        request,
        "programs/plan_new_form.html",
        {"unit": unit, "form": form, "existing": existing[0] if existing else None},
        status=400 if posted else 200,
    )
