"""Targets assigned by the level above (issue 12, point 3): the province's (district's) table of
its communes against what it assigned, and the panel on a commune's plan page showing, beside each
commune-level target, the assigned value.

Rights: ``plans.view`` on the unit; a unit the user may not see is answered with 404. Whoever
may write the unit's draft (``plan_access``) also gets, on the table, a button adding a row to
the draft's allocation table for each commune it lacks (one created after the plan was started).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from duan8.accounts.http import AuthedRequest
from duan8.core.audit import NotVisible
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.assignments import (
    AssignmentTable,
    assigned_below,
    assigned_targets,
    assignment_rows_add,
    assignment_table,
    communes_without_row,
)
from duan8.programs.models import Plan, Target
from duan8.programs.plan_access import can_write_plan

ASSIGNERS = (OrgUnit.Level.PROVINCE, OrgUnit.Level.DISTRICT)


def _year(raw: str | None, unit: OrgUnit) -> int:
    try:
        year = int(raw or "")
    except ValueError:
        year = 0
    if 1900 <= year <= 2200:
        return year
    last = Plan.objects.filter(issuing_unit=unit).order_by("-year").values_list("year", flat=True)
    return last.first() or timezone.localdate().year


def assignment_table_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = org_units_visible_to(request.user).filter(pk=pk, level__in=ASSIGNERS).first()
    if unit is None:
        raise NotVisible(_("Administrative unit not found."))
    year = _year(request.GET.get("year") or request.POST.get("year"), unit)
    table = assignment_table(actor=request.user, unit=unit, year=year)
    if request.method == "POST":
        return _rows_add(request, table)
    plan = table.plan
    missing = (
        communes_without_row(plan)
        if plan is not None and plan.is_editable and can_write_plan(request.user, plan)
        else []
    )
    return render(
        request,
        "programs/assignment_table.html",
        {"table": table, "unit": unit, "missing": missing},
    )


def _rows_add(request: AuthedRequest, table: AssignmentTable) -> HttpResponse:
    """POST: add the missing communes' rows to the unit's draft of the year, then back to the
    table (a second click adds nothing)."""
    if table.plan is None:
        raise NotVisible(_("This unit has no plan that year."))
    try:
        raw = request.POST.get("version") or ""
        version = int(raw) if raw.isdigit() else None
        added = assignment_rows_add(actor=request.user, plan=table.plan, expected_version=version)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s row added to the allocation table of the %(year)s plan.",
                "%(count)s rows added to the allocation table of the %(year)s plan.",
                len(added),
            )
            % {"count": len(added), "year": table.year},
        )
    url = reverse("programs:assignment_table", kwargs={"pk": table.unit.pk})
    return redirect(f"{url}?year={table.year}")


def plan_assigned_panel(request: AuthedRequest, plan: Plan) -> str:
    """On a commune's plan page: each assigned element, the plan's commune-level target beside
    it, flagged when a numeric target is below the assignment."""
    if plan.issuing_unit.level != OrgUnit.Level.COMMUNE:
        return ""
    assigned = assigned_targets(unit=plan.issuing_unit, year=plan.year)
    if not assigned:
        return ""
    targets = {
        t.element_id: t
        for t in plan.targets.filter(scope=Target.Scope.COMMUNE, element_id__in=list(assigned))
    }
    source = next(iter(assigned.values())).plan
    columns = {c.element_id: c for c in source.allocation_columns.select_related("element")}
    lines = [
        {
            "column": columns.get(element_id),
            "assigned": item.value,
            "target": targets.get(element_id),
            "below": assigned_below(targets.get(element_id), item),
        }
        for element_id, item in assigned.items()
    ]
    return render_to_string(
        "programs/plan_assigned_panel.html",
        {"plan": plan, "source": source, "lines": lines},
        request=request,
    )
