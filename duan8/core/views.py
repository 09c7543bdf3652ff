"""Audit pages: the searchable trail, and the history of one plan or one unit.

Read-only: there is no URL that changes or deletes an event, and reading the trail is not itself
recorded.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from duan8.core import audit
from duan8.core.forms import AuditFilterForm
from duan8.core.models import AuditEvent
from duan8.core.selectors import (
    AUDIT_VIEW,
    audit_event_list,
    audit_kinds,
    holds_somewhere,
    kind_label,
    plan_history,
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
    "activities.personal.viewed": gettext_lazy("Personal data viewed"),
    "activities.personal.exported": gettext_lazy("Personal data exported"),
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
DIFF_SHOWN = 6
VALUE_LENGTH = 60


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def _short(value: Any) -> str:
    if isinstance(value, bool):  # snapshots keep booleans as JSON true/false
        return _("yes") if value else _("no")
    text = "—" if value is None or value == "" else str(value)
    return text if len(text) <= VALUE_LENGTH else text[: VALUE_LENGTH - 1].rstrip() + "…"


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class EventRow:
    event: AuditEvent
    action: str
    kind: str
    changes: list[Change]
    more: int

    @property
    def user(self) -> str:
        actor = self.event.actor
        return str(actor) if actor is not None else self.event.actor_name or "—"


def event_row(event: AuditEvent) -> EventRow:
    changed = audit.changes(event.before, event.after)
    changes = [
        Change(field=name, before=_short(old), after=_short(new))
        for name, (old, new) in list(changed.items())[:DIFF_SHOWN]
    ]
    return EventRow(
        event=event,
        action=action_label(event.action),
        kind=kind_label(event.target_type) if event.target_type else "",
        changes=changes,
        more=max(0, len(changed) - DIFF_SHOWN),
    )


def _page(request: HttpRequest, events: QuerySet[AuditEvent]) -> tuple[Page, list[EventRow]]:
    page = Paginator(events, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return page, [event_row(e) for e in page.object_list]


@require_safe
def audit_list(request: HttpRequest) -> HttpResponse:
    allowed = holds_somewhere(request.user, AUDIT_VIEW)
    form = AuditFilterForm(
        request.GET or None, kinds=audit_kinds(actor=request.user) if allowed else []
    )
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
            "allowed": allowed,
            "form": form,
            "page": page,
            "rows": rows,
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
        },
    )
