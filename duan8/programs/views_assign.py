"""Targets assigned by the level above (issue 12, point 3): the province's (district's) table of
its communes against what it assigned, and the panel on a commune's plan page showing, beside each
commune-level target, the assigned value.

Rights: ``plans.view`` on the unit; a unit the user may not see is answered with 404.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.http import AuthedRequest
from duan8.core.audit import NotVisible
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.assignments import assigned_below, assigned_targets, assignment_table
from duan8.programs.models import Plan, Target

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
    year = _year(request.GET.get("year"), unit)
    table = assignment_table(actor=request.user, unit=unit, year=year)
    return render(request, "programs/assignment_table.html", {"table": table, "unit": unit})


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
