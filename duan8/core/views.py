"""Audit pages: the searchable trail, and the history of one plan or one unit.

For holders of ``audit.view`` only (403 for the others). Read-only: there is no URL that changes
or deletes an event. Every entry is shown through ``selectors.audit_entries``, which masks personal
data for readers without ``records.personal`` (and records the reads of those who have it) and
shows users' addresses only to system administrators.
"""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from duan8.core.forms import AuditFilterForm
from duan8.core.models import AuditEvent
from duan8.core.selectors import (
    AuditEntry,
    audit_entries,
    audit_event_list,
    audit_kinds,
    plan_history,
    require_audit_reader,
    unit_history,
)

ACTION_LABELS = {
    "access.denied": gettext_lazy("Access refused"),
    "accounts.login": gettext_lazy("Signed in"),
    "accounts.login_failed": gettext_lazy("Failed sign-in"),
    "accounts.logout": gettext_lazy("Signed out"),
    "accounts.password.reset": gettext_lazy("Password reset"),
    "accounts.password.changed": gettext_lazy("Own password changed"),
    "accounts.user.updated": gettext_lazy("User details changed"),
    "accounts.role.ended": gettext_lazy("Role ended"),
    "accounts.role.granted": gettext_lazy("Role granted"),
    "accounts.user.created": gettext_lazy("User created"),
    "accounts.user.deactivated": gettext_lazy("User deactivated"),
    "orgunits.attribute.created": gettext_lazy("Unit attribute set"),
    "orgunits.village.created": gettext_lazy("Village created"),
    "programs.allocation.changed": gettext_lazy("Allocation changed"),
    "programs.plan.approved": gettext_lazy("Plan approved"),
    "programs.plan.changed": gettext_lazy("Plan changed"),
    "programs.targets.changed": gettext_lazy("Targets changed"),
    # What is carried out (activities)
    "activities.event.created": gettext_lazy("Event recorded"),
    "activities.event.updated": gettext_lazy("Event changed"),
    "activities.event.deleted": gettext_lazy("Event deleted"),
    "activities.attachment.added": gettext_lazy("File attached"),
    "activities.attachment.deleted": gettext_lazy("Attached file deleted"),
    "activities.attachment.exported": gettext_lazy("Attached file downloaded"),
    "activities.group.created": gettext_lazy("Community group created"),
    "activities.group.updated": gettext_lazy("Community group changed"),
    "activities.group.status_set": gettext_lazy("Community group status set"),
    "activities.group.members_added": gettext_lazy("Group members added"),
    "activities.group.member_left": gettext_lazy("Group member left"),
    "activities.cadre.created": gettext_lazy("Woman cadre added"),
    "activities.cadre.updated": gettext_lazy("Woman cadre changed"),
    "activities.difficulty.raised": gettext_lazy("Difficulty raised"),
    "activities.difficulty.escalated": gettext_lazy("Difficulty escalated"),
    "activities.difficulty.answered": gettext_lazy("Difficulty answered"),
    "activities.data.locked": gettext_lazy("Data locked"),
    "activities.data.unlocked": gettext_lazy("Data unlocked"),
    "activities.data.unlock_requested": gettext_lazy("Unlocking of data requested"),
    "activities.personal.viewed": gettext_lazy("Personal data viewed"),
    "activities.personal.exported": gettext_lazy("Personal data exported"),
    "audit.personal.viewed": gettext_lazy("Personal data viewed in the audit trail"),
    "activities.events.exported": gettext_lazy("Events exported"),
    "activities.participants.exported": gettext_lazy("Participant list exported"),
    "activities.groups.exported": gettext_lazy("Community groups exported"),
    "activities.members.exported": gettext_lazy("Group members exported"),
    "activities.cadres.exported": gettext_lazy("Women cadres exported"),
    "activities.difficulties.exported": gettext_lazy("Difficulties exported"),
    "activities.progress.exported": gettext_lazy("Progress exported"),
    "activities.events.imported": gettext_lazy("Events imported"),
    "activities.participants.imported": gettext_lazy("Participant list imported"),
    "activities.groups.imported": gettext_lazy("Community groups imported"),
    "activities.members.imported": gettext_lazy("Group members imported"),
    "activities.cadres.imported": gettext_lazy("Women cadres imported"),
    "activities.difficulties.imported": gettext_lazy("Difficulties imported"),
    # Official documents
    "documents.plan.exported": gettext_lazy("Plan document downloaded"),
    "documents.plan.imported": gettext_lazy("Plan imported"),
    # Reports to the level above
    "reports.report.requested": gettext_lazy("Report requested"),
    "reports.report.created": gettext_lazy("Report started"),
    "reports.report.updated": gettext_lazy("Report edited"),
    "reports.report.submitted": gettext_lazy("Report submitted"),
    "reports.report.resubmitted": gettext_lazy("Report resubmitted"),
    "reports.report.returned": gettext_lazy("Report returned with comments"),
    "reports.report.approved": gettext_lazy("Report approved"),
    "reports.report.unlocked": gettext_lazy("Report unlocked"),
    "reports.report.exported": gettext_lazy("Report downloaded"),
    "reports.reminders.sent": gettext_lazy("Reminders sent"),
    "reports.data.exported": gettext_lazy("Aggregate data exported"),
    "reports.demo.generated": gettext_lazy("Demo data generated"),
}


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def _page(request: HttpRequest, events: QuerySet[AuditEvent]) -> tuple[Page, list[AuditEntry]]:
    page = Paginator(events, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return page, audit_entries(
        actor=request.user, events=page.object_list, action_label=action_label
    )


def _show_addresses(rows: list[AuditEntry]) -> bool:
    return any(r.address_visible for r in rows)


@require_safe
def audit_list(request: HttpRequest) -> HttpResponse:
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
        "core/auditevent_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "show_addresses": _show_addresses(rows),
            "page_query": f"{query.urlencode()}&" if query else "",
        },
    )


@require_safe
def plan_history_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan, events = plan_history(actor=request.user, plan_id=pk)
    page, rows = _page(request, events)
    return render(
        request,
        "core/auditevent_history.html",
        {
            "title": _("History of plan %(ref)s") % {"ref": plan.reference},
            "plan": plan,
            "page": page,
            "rows": rows,
            "show_addresses": _show_addresses(rows),
        },
    )


@require_safe
def unit_history_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit, events = unit_history(actor=request.user, unit_id=pk)
    page, rows = _page(request, events)
    return render(
        request,
        "core/auditevent_history.html",
        {
            "title": _("History of %(unit)s") % {"unit": unit.full_name},
            "unit": unit,
            "page": page,
            "rows": rows,
            "show_addresses": _show_addresses(rows),
        },
    )
