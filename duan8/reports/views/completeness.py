"""Completeness and timeliness for the level above: the area's totals per deadline, then its
units directly under it (districts, communes, or provinces under a national unit; each deadline
on the map of its due date), each row a link down to that unit's own page, filtered by deadline
and status and paged in the database (``selectors.completeness.completeness_summary``). A
commune's page lists its own deadlines with its reports.

Access: the units where the user reads records (others: 404) and reviews reports (else 403).
"""

import datetime
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from duan8.accounts.http import AuthedRequest
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_ancestors
from duan8.reports.models import ReportSchedule
from duan8.reports.selectors.completeness import (
    RETURNED,
    STATUSES,
    State,
    completeness,
    completeness_summary,
)
from duan8.reports.views.workflow import FIRST_YEAR, _visible_unit, _year, _years


def _deadline(raw: str) -> tuple[str, datetime.date] | None:
    """ "hlhpn-ket-qua-15-9@2023-09-15": a schedule's code and a due date."""
    code, _sep, day = raw.partition("@")
    try:
        return (code, datetime.date.fromisoformat(day)) if code and day else None
    except ValueError:
        return None


def _status_labels() -> list[tuple[str, str]]:
    labels = {
        State.ON_TIME: _("On time"),
        State.LATE: _("Late"),
        State.MISSING: _("Not reported"),
        RETURNED: _("Returned for correction"),
        State.WAITING: _("Not yet due"),
    }
    return [(status, labels[status]) for status in STATUSES]


@require_safe
def completeness_view(request: AuthedRequest, pk: int) -> HttpResponse:
    area = _visible_unit(request, pk)
    years = (
        _years(area) if area.valid_to else list(range(FIRST_YEAR, timezone.localdate().year + 1))
    )
    year = _year(request, area, years)
    schedule = ReportSchedule.objects.filter(code=request.GET.get("schedule", "")).first()
    deadline = _deadline(request.GET.get("deadline", ""))
    status = request.GET.get("status", "")
    status = status if status in STATUSES else ""
    summary = completeness_summary(
        actor=request.user,
        area=area,
        year=year,
        schedule=schedule,
        deadline=deadline,
        status=status,
        page=request.GET.get("page", 1),
    )
    query: dict[str, Any] = {"year": year}
    if schedule:
        query["schedule"] = schedule.code
    filters = dict(query)
    if deadline:
        filters["deadline"] = f"{deadline[0]}@{deadline[1].isoformat()}"
    if status:
        filters["status"] = status
    context = {
        "area": area,
        "ancestors": org_unit_ancestors(area),
        "year": year,
        "years": years,
        "schedule": schedule,
        "summary": summary,
        "page": summary.page,
        "deadline": filters.get("deadline", ""),
        "status": status,
        "statuses": _status_labels(),
        "query": urlencode(query),
        "filters": urlencode(filters),
        "can_request": area.level < OrgUnit.Level.COMMUNE,
        # a commune: its own deadlines, each with its report (one unit: a few rows)
        "own": None
        if summary.by_unit
        else completeness(actor=request.user, area=area, year=year, schedule=schedule),
    }
    return render(request, "reports/completeness_area.html", context)
