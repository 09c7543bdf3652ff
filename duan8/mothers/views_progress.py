"""The safe-motherhood packages in a commune plan's progress (issue 13, point 4: "paid amounts
feed progress"): on the plan page (``settings.PLAN_PAGE_PANELS``), the year's mothers proposed,
approved and paid and the amount paid, per village, from the payments recorded — counts only,
with the small-cell rule (``mothers.counts``) for readers who may not read the mothers' records."""

from __future__ import annotations

from django.template.loader import render_to_string

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import PLANS_VIEW
from duan8.mothers.counts import counts_legend, mothers_counts
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan


def plan_mothers_panel(request: AuthedRequest, plan: Plan) -> str:
    commune = plan.issuing_unit
    if commune.level != OrgUnit.Level.COMMUNE or not can(request.user, PLANS_VIEW, commune):
        return ""
    table = mothers_counts(request.user, commune, plan.year)
    return render_to_string(
        "mothers/progress_panel.html",
        {"table": table, "plan": plan, "legend": counts_legend()},
        request=request,
    )
