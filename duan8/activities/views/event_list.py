"""The lists of events: of a commune or village for a year, and of one plan.

Out of ``views.events`` (the entry form and one event) so that each stays small. A page of the
list runs a fixed number of queries: the unit, its plans, its villages (the filter and the
"Record an event" button share them), the plan's activities, the count and the page's events
(the columns the list shows only).
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import RECORDS_EDIT
from duan8.activities.forms.events import EventListFilter
from duan8.activities.selectors.events import (
    activity_label,
    commune_plans,
    default_plan,
    event_list,
    records_plan_get,
    records_unit_get,
    villages_of,
)
from duan8.activities.services.events import plan_activities
from duan8.activities.views.events import _plan_reference, format_dong, int_or_none
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan

# What a line of the list shows (the totals are annotations of ``event_list``).
LIST_FIELDS = (
    "id",
    "held_on",
    "kind",
    "title",
    "cost",
    "org_unit",
    "org_unit__kind",
    "org_unit__name",
    "org_unit__level",
    "activity",
    "activity__code",
    "activity__title",
)


@require_safe
def event_list_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Events of a commune or a village for a year (the year of its current plan by default)."""
    unit = records_unit_get(actor=request.user, unit_id=pk)
    plans = commune_plans(unit=unit)
    current = default_plan(plans)
    year = int_or_none(request.GET.get("year"))
    if year is None or not 1900 <= year <= 2200:
        year = current.year if current else timezone.localdate().year
    year_plans = [p for p in plans if p.year == year]
    return _render_list(
        request,
        unit=unit,
        year=year,
        plan=None,
        activity_plan=year_plans[0] if year_plans else None,
        years=sorted({p.year for p in plans} | {year}, reverse=True),
    )


@require_safe
def plan_event_list_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Events carried out under one plan."""
    plan = records_plan_get(actor=request.user, plan_id=pk)
    return _render_list(
        request, unit=plan.issuing_unit, year=plan.year, plan=plan, activity_plan=plan, years=[]
    )


def _render_list(
    request: AuthedRequest,
    *,
    unit: OrgUnit,
    year: int,
    plan: Plan | None,
    activity_plan: Plan | None,
    years: list[int],
) -> HttpResponse:
    actor = request.user
    villages = villages_of(unit, year)
    activities = plan_activities(activity_plan) if activity_plan else []
    filters = EventListFilter(request.GET or None, villages=villages, activities=activities)
    chosen = filters.chosen()
    events = event_list(
        actor=actor,
        unit=unit,
        plan=plan,
        year=year,
        village=chosen["village"],
        kind=chosen["kind"],
        activity=chosen["activity"],
        month=chosen["month"],
    ).only(*LIST_FIELDS)
    page = Paginator(events, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # where the actor may record (``recording_units``), on the villages read for the filter
    can_record = any(can(actor, RECORDS_EDIT, u) for u in [unit, *villages])
    record_url = reverse("activities:event_create", kwargs={"pk": unit.pk})
    if plan is not None:
        record_url += "?" + urlencode({"plan": plan.pk})
    elif activity_plan is not None:
        record_url += "?" + urlencode({"plan": activity_plan.pk})
    return render(
        request,
        "activities/events_list.html",
        {
            "unit": unit,
            "year": year,
            "years": years,
            "plan": plan,
            "plan_reference": _plan_reference(actor, plan),
            "filters": filters,
            "page": page,
            "rows": [
                {
                    "event": e,
                    "activity": activity_label(e.activity, limit=60),
                    "cost": format_dong(e.cost),
                    "men": e.participants_total - e.women_total,
                }
                for e in page.object_list
            ],
            "page_query": f"{query.urlencode()}&" if query else "",
            "can_record": can_record,
            "record_url": record_url,
        },
    )
