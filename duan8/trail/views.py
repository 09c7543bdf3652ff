"""Audit pages: the searchable trail, and the history of one plan or one unit.

For holders of ``audit.view`` only (403 for the others). Read-only: there is no URL that changes
or deletes an event. Every entry is shown through ``selectors.audit_entries``, which masks personal
data for readers without ``records.personal`` (and records the reads of those who have it) and
shows users' addresses only to system administrators.
"""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from duan8.accounts.http import AuthedRequest
from duan8.core.models import AuditEvent
from duan8.trail.forms import AuditFilterForm
from duan8.trail.selectors import (
    AuditEntry,
    audit_entries,
    audit_event_list,
    audit_kinds,
    plan_history,
    require_audit_reader,
    unit_history,
)


def _page(request: AuthedRequest, events: QuerySet[AuditEvent]) -> tuple[Page, list[AuditEntry]]:
    page = Paginator(events, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return page, audit_entries(actor=request.user, events=page.object_list)


def _show_addresses(rows: list[AuditEntry]) -> bool:
    return any(r.address_visible for r in rows)


@require_safe
def audit_list(request: AuthedRequest) -> HttpResponse:
    require_audit_reader(request.user)
    form = AuditFilterForm(request.GET or None, kinds=audit_kinds(actor=request.user))
    if form.is_bound:
        form.is_valid()  # an invalid field is shown with its error and left out of the filters
    filters = form.filters() if form.is_bound else {}
    page, rows = _page(request, audit_event_list(actor=request.user, **filters))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "trail/auditevent_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "show_addresses": _show_addresses(rows),
            "page_query": f"{query.urlencode()}&" if query else "",
        },
    )


@require_safe
def plan_history_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan, events = plan_history(actor=request.user, plan_id=pk)
    page, rows = _page(request, events)
    return render(
        request,
        "trail/auditevent_history.html",
        {
            "title": _("History of plan %(ref)s") % {"ref": plan.reference},
            "plan": plan,
            "page": page,
            "rows": rows,
            "show_addresses": _show_addresses(rows),
        },
    )


@require_safe
def unit_history_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit, events = unit_history(actor=request.user, unit_id=pk)
    page, rows = _page(request, events)
    return render(
        request,
        "trail/auditevent_history.html",
        {
            "title": _("History of %(unit)s") % {"unit": unit.full_name},
            "unit": unit,
            "page": page,
            "rows": rows,
            "show_addresses": _show_addresses(rows),
        },
    )
