"""Event pages (the lists: ``views.event_list``): the entry form (built for a phone); the
confirmation; one event with its counts, persons and files; edit, delete, persons, files.

Views translate HTTP to selector and service calls. The services check rights and refuse
(PermissionDenied → 403); records outside the user's units are 404 (``NotVisible``).
"""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import PLANS_VIEW
from duan8.activities.forms.events import (
    AttachmentForm,
    EventForm,
    count_field_name,
)
from duan8.activities.models import Event
from duan8.activities.selectors.community import community_groups_for
from duan8.activities.selectors.count_grids import event_counts
from duan8.activities.selectors.events import (
    RECORDS_EDIT,
    RECORDS_VIEW,
    activity_kinds,
    activity_label,
    commune_of,
    commune_plans,
    default_day,
    default_plan,
    event_attachments,
    event_get,
    event_input_from,
    event_participants,
    plan_activities_with_habit,
    recording_units,
    records_unit_and_villages,
)
from duan8.activities.services.events import (
    event_create,
    event_delete,
    event_duplicate_of,
    event_update,
    plan_activities,
)
from duan8.activities.services.shared import data_lock_covering
from duan8.activities.views.locks import LockBanner, lock_banner, locked_periods, open_day
from duan8.core.compiled import Compiled
from duan8.core.idempotency import create_once
from duan8.orgunits.access import can, require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan


def int_or_none(raw: str | None) -> int | None:
    try:
        return int(raw or "")
    except ValueError:
        return None


def _plan_reference(actor: Any, plan: Plan | None) -> str:
    """The plan's number, to those who may read the plan (a village head works under it
    without reading it: they see the year only)."""
    if plan is None or not can(actor, PLANS_VIEW, plan.issuing_unit):
        return ""
    return plan.reference


def format_dong(amount: Any) -> str:
    """An amount in đồng as written in Vietnam: 1.500.000."""
    return f"{int(amount or 0):,}".replace(",", ".")


def _people_summary(total: int, women: int) -> str:
    return ngettext(
        "%(total)s person (%(women)s women)", "%(total)s people (%(women)s women)", total
    ) % {"total": total, "women": women}


# The lists of events are in ``views.event_list``.


# --- entry -----------------------------------------------------------------------------------


def _chosen_plan(request: AuthedRequest, plans: list[Plan]) -> Plan | None:
    wanted = int_or_none(request.POST.get("plan") or request.GET.get("plan"))
    return next((p for p in plans if p.pk == wanted), None) or default_plan(plans)


def _event_form_parts(
    request: AuthedRequest, base: OrgUnit, plan: Plan, villages: list[OrgUnit] | None = None
) -> dict[str, Any]:
    """What the form offers. The kinds only to show it: a POST reads them when it shows the form
    again (``EventForm.set_kinds``), and the groups when it chose one or shows the form again
    (``EventForm.set_groups``). ``villages``: those of ``base``, already read."""
    actor, shown = request.user, request.method != "POST"
    year = plan.year
    if shown:
        activities = plan_activities_with_habit(actor=actor, plan=plan)
    else:
        activities = plan_activities(plan)
    return {
        "plan": plan,
        "units": recording_units(actor=actor, unit=base, year=year, villages=villages),
        "activities": activities,
        "kinds": activity_kinds(actor=actor, activities=activities) if shown else {},
        "groups": community_groups_for(unit=base) if shown or request.POST.get("group") else None,
    }


# Built once a process (core.compiled): every entry form reads it.
_LAST_EVENT = Compiled(
    lambda user_id, plan_id: (
        Event.objects.filter(recorded_by_id=user_id, plan_id=plan_id)
        .order_by("-created_at", "-id")
        .values_list("org_unit_id", "held_on")[:1]
    )
)


def _last_event(actor: Any, plan: Plan) -> tuple[int, datetime.date] | None:
    """The place and the date of the event the user recorded last under the plan."""
    if not actor.is_authenticated:
        return None
    return _LAST_EVENT.first(actor.pk, plan.pk)


def _default_unit_id(
    actor: Any, plan: Plan, page_unit: OrgUnit, units: list, last: tuple[int, Any] | None
) -> int | None:
    """Where the event took place, as a first guess: the only unit one records in, else the
    place of one's last event under this plan (``_last_event``; a backlog is typed village by
    village), else the unit whose page the form was opened from."""
    ids = [u.pk for u in units]
    if len(ids) == 1:
        return ids[0]
    if last is not None and last[0] not in ids:  # held where one records no more: the last here
        last = (
            Event.objects.filter(recorded_by=actor, plan=plan, org_unit_id__in=ids)
            .order_by("-created_at", "-id")
            .values_list("org_unit_id", "held_on")
            .first()
        )
    if last is not None:
        return last[0]
    return page_unit.pk if page_unit.pk in ids else None


def _open_day(
    plan: Plan, place: OrgUnit, day: datetime.date | None, locks: list
) -> datetime.date | None:
    """``open_day`` without its query when ``locks`` (``locked_periods`` of the form's unit,
    which cover ``place`` and every unit above it) are none, the usual case."""
    if locks:
        return open_day(plan, place, day)
    last = min(datetime.date(plan.year, 12, 31), timezone.localdate())
    return day if day is not None and datetime.date(plan.year, 1, 1) <= day <= last else None


def event_create_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record an event in a village (its head) or in the commune or one of its villages."""
    actor = request.user
    unit, villages = records_unit_and_villages(actor=actor, unit_id=pk)
    plans = commune_plans(unit=unit)
    plan = _chosen_plan(request, plans)
    if plan is None:
        if not recording_units(actor=actor, unit=unit, villages=villages):
            raise PermissionDenied(_("You do not record events in %(unit)s.") % {"unit": unit})
        return render(request, "activities/events_no_plan.html", {"unit": unit})
    parts = _event_form_parts(request, unit, plan, villages)
    if not parts["units"]:
        raise PermissionDenied(
            _("You do not have the right to do this in %(unit)s.") % {"unit": unit.full_name}
        )
    similar_people = ""
    if request.method == "POST":
        form = EventForm(request.POST, **parts)

        def create() -> HttpResponse | None:
            if not (form.is_valid() and form.check(data := form.event_input())):
                return None
            if not form.cleaned_data.get("confirm_duplicate"):
                form.similar = event_duplicate_of(data)
                if form.similar is not None:
                    return None
            try:
                event = event_create(actor=actor, data=data)
            except ValidationError as exc:  # a lock on the period
                form.show(exc)
                return None
            return redirect("activities:event_saved", pk=event.pk)

        # A double tap or a retry sends the same key: it leads to the event saved first.
        response = create_once(request, create)
        if response is not None:
            return response
        form.set_kinds(activity_kinds(actor=actor, activities=parts["activities"]))
        if parts["groups"] is None:
            form.set_groups(community_groups_for(unit=unit))
        locks = locked_periods(plan, unit)
        if form.similar is not None:
            grid = event_counts(form.similar)
            similar_people = _people_summary(grid.total, grid.women)
    else:
        # The activity and the kind are left to choose: proposing those of one's last event
        # silently counted a session under the wrong target (issue 10). The date is one the
        # locks of approved reports leave open.
        last = _last_event(actor, plan)
        unit_id = _default_unit_id(actor, plan, unit, parts["units"], last)
        place = next((u for u in parts["units"] if u.pk == unit_id), unit)
        day = default_day(plan=plan, last_recorded=last[1] if last else None)
        locks = locked_periods(plan, unit)
        form = EventForm(
            initial={"held_on": _open_day(plan, place, day, locks), "org_unit": unit_id}, **parts
        )
    return render(
        request,
        "activities/events_form.html",
        {
            "form": form,
            "unit": unit,
            "plan": plan,
            "plan_reference": _plan_reference(actor, plan),
            "other_plans": [p for p in plans if p.pk != plan.pk],
            "today": timezone.localdate(),
            "editing": None,
            "similar_people": similar_people,
            "locked_periods": locks,
            "cancel_url": reverse("activities:event_list", kwargs={"pk": unit.pk}),
        },
    )


def _home_unit(actor: Any, event: Event) -> OrgUnit:
    """Where the user records and lists events: the commune for its officers, else the village."""
    commune = commune_of(event.org_unit)
    return commune if can(actor, RECORDS_VIEW, commune) else event.org_unit


@require_safe
def event_saved_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The confirmation after saving, with "record another"."""
    event = event_get(actor=request.user, event_id=pk)
    grid = event_counts(event)
    base = _home_unit(request.user, event)
    again = reverse("activities:event_create", kwargs={"pk": base.pk})
    return render(
        request,
        "activities/events_saved.html",
        {
            "event": event,
            "grid": grid,
            "people": _people_summary(grid.total, grid.women),
            "again_url": f"{again}?{urlencode({'plan': event.plan_id})}",
            "list_url": reverse("activities:event_list", kwargs={"pk": base.pk}),
        },
    )


# --- one event -------------------------------------------------------------------------------


def render_detail(
    request: AuthedRequest,
    event: Event,
    *,
    attachment_form: AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.user
    grid = event_counts(event)
    banner = _banner(actor, event)
    can_edit = can(actor, RECORDS_EDIT, event.org_unit) and banner is None
    base = _home_unit(actor, event)
    return render(
        request,
        "activities/events_detail.html",
        {
            "event": event,
            "activity": activity_label(event.activity, limit=None),
            "cost": format_dong(event.cost),
            "plan_reference": _plan_reference(actor, event.plan),
            "grid": grid,
            "people": _people_summary(grid.total, grid.women),
            "participants": event_participants(actor=actor, event=event),
            "has_list": event.participants.exists(),
            "attachments": event_attachments(event),
            "attachment_form": attachment_form or (AttachmentForm() if can_edit else None),
            "can_edit": can_edit,
            "banner": banner,
            "list_url": reverse("activities:event_list", kwargs={"pk": base.pk}),
        },
        status=status,
    )


@require_safe
def event_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return render_detail(request, event_get(actor=request.user, event_id=pk))


def _banner(actor: Any, event: Event) -> LockBanner | None:
    what = f"{event.title} ({event.held_on:%d/%m/%Y}, {event.org_unit.full_name})"
    return lock_banner(actor, event.org_unit, event.held_on, what)


def editable_event(request: AuthedRequest, pk: int) -> Event:
    """The event, if the user may see it (else 404) and change it (else 403)."""
    event = event_get(actor=request.user, event_id=pk)
    require_permission(request.user, RECORDS_EDIT, event.org_unit)
    return event


def event_locked(request: AuthedRequest, event: Event) -> HttpResponse | None:
    """Back to the event's page, whose banner explains, when its period is locked: its edit
    pages are not offered, rather than refused after the user typed their change."""
    if data_lock_covering(event.org_unit, event.held_on) is None:
        return None
    messages.error(request, _("This event is in a locked period; it cannot be changed."))
    return redirect("activities:event_detail", pk=event.pk)


def event_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    actor = request.user
    event = editable_event(request, pk)
    if request.method != "POST" and (locked := event_locked(request, event)):
        return locked
    current = event_input_from(event)
    with_list = bool(current.participants)
    base = commune_of(event.org_unit)
    if not can(actor, RECORDS_EDIT, base):
        base = event.org_unit
    parts = _event_form_parts(request, base, event.plan)
    in_plan = parts["activities"]
    if event.activity not in in_plan:
        parts["activities"] = [*in_plan, event.activity]
    if request.method == "POST":
        form = EventForm(request.POST, with_list=with_list, **parts)
        data = form.event_input(participants=current.participants) if form.is_valid() else None
        if data is not None and form.check(data):
            try:
                event_update(
                    actor=actor,
                    event=event,
                    data=data,
                    expected_version=form.cleaned_data.get("version"),
                )
            except ValidationError as exc:  # a lock, or someone else saved first
                form.show(exc)
            else:
                messages.success(request, _("The event was saved."))
                return redirect("activities:event_detail", pk=event.pk)
        form.set_kinds(activity_kinds(actor=actor, activities=in_plan))
        if parts["groups"] is None:
            form.set_groups(community_groups_for(unit=base))
    else:
        initial: dict[str, Any] = {
            "held_on": event.held_on,
            "org_unit": event.org_unit_id,
            "activity": event.activity_id,
            "kind": event.kind,
            "title": event.title,
            "ended_on": event.ended_on,
            "place": event.place,
            "organiser": event.organiser,
            "group": event.group_id,
            "cost": format_dong(event.cost) if event.cost else "",
            "notes": event.notes,
            "version": event.version,
        }
        if not with_list:
            for cell in current.counts:
                initial[count_field_name(cell.sex, cell.minority, cell.age_group)] = cell.count
        form = EventForm(initial=initial, with_list=with_list, **parts)
    return render(
        request,
        "activities/events_form.html",
        {
            "form": form,
            "unit": base,
            "plan": event.plan,
            "plan_reference": _plan_reference(actor, event.plan),
            "other_plans": [],
            "today": timezone.localdate(),
            "editing": event,
            "list_count": len(current.participants),
            "cancel_url": reverse("activities:event_detail", kwargs={"pk": event.pk}),
        },
    )


def event_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: ask to confirm; POST: delete the event with its counts, persons and files."""
    event = editable_event(request, pk)
    base = _home_unit(request.user, event)
    if request.method != "POST" and (locked := event_locked(request, event)):
        return locked
    if request.method == "POST":
        try:
            event_delete(actor=request.user, event=event)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("activities:event_detail", pk=event.pk)
        messages.success(request, _("The event “%(title)s” was deleted.") % {"title": event.title})
        return redirect("activities:event_list", pk=base.pk)
    return render(
        request,
        "activities/events_delete.html",
        {"event": event, "grid": event_counts(event), "files": event.attachments.count()},
    )
