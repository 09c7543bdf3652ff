"""Pages of community groups (teams, clubs, trusted addresses, livelihood groups), women cadres
and difficulties. Views translate: selectors read (404 outside one's units), services write and
check rights (403), forms put the services' messages next to their fields."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duan8.accounts.http import AuthedRequest
from duan8.accounts.models import User
from duan8.activities.forms.community import (
    CadreForm,
    GroupForm,
    GroupStatusForm,
    MemberFormSet,
    MemberLeaveForm,
)
from duan8.activities.models import CommunityGroup, WomanCadre
from duan8.activities.selectors.community import (
    EDIT,
    PERSONAL,
    VIEW,
    commune_of,
    community_group_get,
    community_group_list,
    community_member_get,
    equipment_lines,
    group_attachments,
    group_events,
    group_members,
    group_rows,
    group_statuses,
    records_unit_get,
    units_editable_under,
    woman_cadre_counts,
    woman_cadre_get,
    woman_cadre_list,
    woman_cadres_personal,
)
from duan8.activities.services.groups import community_group_status_set
from duan8.activities.services.members import member_leave, members_add
from duan8.activities.services.shared import data_lock_covering
from duan8.activities.views.locks import lock_banner, locked_ids
from duan8.core.idempotency import OnceForm, create_once
from duan8.core.problems import on_form, problems_of, with_label
from duan8.orgunits.access import can, require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan
from duan8.programs.selectors import plan_list


def _day(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw or "")
    except ValueError:
        return None


def _year(raw: str | None) -> int | None:
    try:
        year = int(raw or "")
    except ValueError:
        return None
    return year if 1900 <= year <= 2200 else None


def editable_units(actor: User, unit: OrgUnit) -> list[OrgUnit]:
    """The units below ``unit`` where the actor records; 403 when there is none."""
    units = units_editable_under(actor=actor, unit=unit)
    if not units:
        require_permission(actor, EDIT, unit)
    return units


def unit_plans(actor: User, unit: OrgUnit) -> QuerySet[Plan]:
    return plan_list(actor=actor).filter(issuing_unit=commune_of(unit))


def list_page(request: AuthedRequest, rows: QuerySet) -> Page:
    return Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def _page_query(request: AuthedRequest) -> str:
    """The list's filters, to keep on the links to other pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return f"{query.urlencode()}&" if query else ""


def list_unit(actor: User, unit: OrgUnit) -> OrgUnit:
    """Where "back to the list" leads: the commune's list when the actor may see it."""
    commune = commune_of(unit)
    return commune if can(actor, VIEW, commune) else unit


# --- community groups ------------------------------------------------------------------------


def community_group_list_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = records_unit_get(actor=request.user, unit_id=pk)
    on = _day(request.GET.get("on")) or timezone.localdate()
    kind = request.GET.get("kind") or ""
    if kind and kind not in CommunityGroup.Kind.values:
        messages.error(request, _("“%(value)s” is not a kind of group.") % {"value": kind})
        kind = ""
    page = list_page(request, community_group_list(actor=request.user, unit=unit, on=on, kind=kind))
    return render(
        request,
        "activities/community_group_list.html",
        {
            "unit": unit,
            "page": page,
            "rows": group_rows(list(page.object_list)),
            "kind": kind,
            "kinds": CommunityGroup.Kind.choices,
            "on": on,
            "is_today": on == timezone.localdate(),
            "page_query": _page_query(request),
            "can_create": bool(units_editable_under(actor=request.user, unit=unit)),
        },
    )


def community_group_create_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = records_unit_get(actor=request.user, unit_id=pk)
    units = editable_units(request.user, unit)
    form = GroupForm(
        request.POST if request.method == "POST" else None,
        units=units,
        plans=unit_plans(request.user, unit),
    )
    if request.method == "POST":

        def create() -> HttpResponse | None:
            group = form.save(actor=request.user) if form.is_valid() else None
            if group is None:
                return None
            messages.success(request, _("%(name)s was recorded.") % {"name": group.name})
            return redirect("activities:community_group_detail", pk=group.pk)

        if response := create_once(request, create):
            return response
    return render(
        request,
        "activities/community_group_form.html",
        {"unit": unit, "list_unit": unit, "form": form},
    )


def _render_group(
    request: AuthedRequest,
    group: CommunityGroup,
    *,
    status_form: GroupStatusForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    # Changes to a group are dated today (services): a lock over today hides them.
    banner = lock_banner(request.user, group.org_unit, today, group.name)
    can_edit = can(request.user, EDIT, group.org_unit) and banner is None
    if can_edit and status_form is None:
        status_form = GroupStatusForm()
    return render(
        request,
        "activities/community_group_detail.html",
        {
            "group": group,
            "unit": group.org_unit,
            "list_unit": list_unit(request.user, group.org_unit),
            "statuses": group_statuses(group),
            "members": group_members(actor=request.user, group=group, on=today),
            "equipment": equipment_lines(group.equipment),
            "events": list(group_events(actor=request.user, group=group)),
            "attachments": group_attachments(group),
            "can_edit": can_edit,
            "banner": banner,
            "status_form": status_form if can_edit else None,
            "leave_form": MemberLeaveForm() if can_edit else None,
        },
    )


def community_group_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _render_group(request, community_group_get(actor=request.user, group_id=pk))


def _group_locked(request: AuthedRequest, group: CommunityGroup) -> HttpResponse | None:
    """Back to the group's page (its banner explains) when today is in a locked period."""
    if request.method == "POST" or data_lock_covering(group.org_unit, timezone.localdate()) is None:
        return None
    messages.error(request, _("This group's data is locked; it cannot be changed now."))
    return redirect("activities:community_group_detail", pk=group.pk)


def community_group_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    group = community_group_get(actor=request.user, group_id=pk)
    require_permission(request.user, EDIT, group.org_unit)
    if locked := _group_locked(request, group):
        return locked
    commune = commune_of(group.org_unit)
    form = GroupForm(
        request.POST if request.method == "POST" else None,
        units=units_editable_under(actor=request.user, unit=commune) or [group.org_unit],
        plans=unit_plans(request.user, commune),
        group=group,
    )
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("The group was saved."))
        return redirect("activities:community_group_detail", pk=group.pk)
    return render(
        request,
        "activities/community_group_form.html",
        {
            "unit": group.org_unit,
            "list_unit": list_unit(request.user, group.org_unit),
            "form": form,
            "group": group,
        },
    )


@require_POST
def community_group_status_view(request: AuthedRequest, pk: int) -> HttpResponse:
    group = community_group_get(actor=request.user, group_id=pk)
    require_permission(request.user, EDIT, group.org_unit)
    form = GroupStatusForm(request.POST)

    def create() -> HttpResponse | None:
        if not form.is_valid():
            return None
        try:
            row = community_group_status_set(
                actor=request.user,
                group=group,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            on_form(form, exc)
            return None
        messages.success(
            request,
            _("Status “%(status)s” from %(date)s was recorded.")
            % {"status": row.get_status_display(), "date": row.on.strftime("%d/%m/%Y")},
        )
        return redirect("activities:community_group_detail", pk=group.pk)

    return create_once(request, create) or _render_group(request, group, status_form=form)


def community_group_members_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    group = community_group_get(actor=request.user, group_id=pk)
    require_permission(request.user, EDIT, group.org_unit)
    if locked := _group_locked(request, group):
        return locked
    formset = MemberFormSet(request.POST if request.method == "POST" else None, prefix="m")
    once = OnceForm(request.POST if request.method == "POST" else None)
    errors: list[str] = []

    def create() -> HttpResponse | None:
        if not formset.is_valid():
            return None
        filled = [f for f in formset.forms if not f.is_blank()]
        inputs = [f.member_input() for f in filled]
        if not filled:
            errors.append(_("Fill in at least one member."))
            return None
        if not all(inputs):
            return None
        try:
            members_add(actor=request.user, group=group, members=[m for m in inputs if m])
        except ValidationError as exc:
            # The n-th member's problems are on row n (on the only row when there is one).
            for problem in problems_of(exc):
                on_form(filled[(problem.row or 1) - 1], [problem])
            return None
        messages.success(request, _("%(count)s members were added.") % {"count": len(inputs)})
        return redirect("activities:community_group_detail", pk=group.pk)

    if request.method == "POST" and (response := create_once(request, create)):
        return response
    return render(
        request,
        "activities/community_members_form.html",
        {
            "group": group,
            "unit": group.org_unit,
            "list_unit": list_unit(request.user, group.org_unit),
            "formset": formset,
            "once": once,
            "errors": errors,
        },
    )


@require_POST
def community_member_leave_view(request: AuthedRequest, pk: int) -> HttpResponse:
    member = community_member_get(actor=request.user, member_id=pk)
    require_permission(request.user, EDIT, member.group.org_unit)
    form = MemberLeaveForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("left_on", []):
            messages.error(request, str(error))
    else:
        try:
            member_leave(
                actor=request.user,
                member=member,
                on=form.cleaned_data["left_on"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, with_label(member.full_name, message))
        else:
            messages.success(
                request,
                _("%(name)s left the group on %(date)s.")
                % {"name": member.full_name, "date": f"{form.cleaned_data['left_on']:%d/%m/%Y}"},
            )
    return redirect("activities:community_group_detail", pk=member.group_id)


# --- women cadres ----------------------------------------------------------------------------


def cadre_list_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = records_unit_get(actor=request.user, unit_id=pk)
    year = _year(request.GET.get("year"))
    cadres = woman_cadre_list(actor=request.user, unit=unit, year=year)
    page = list_page(request, cadres)
    people = woman_cadres_personal(actor=request.user, unit=unit, cadres=list(page.object_list))
    rows = list(page.object_list)
    return render(
        request,
        "activities/cadres_list.html",
        {
            "unit": unit,
            "year": year,
            "counts": woman_cadre_counts(cadres),
            "page": page,
            "people": people,
            "personal": can(request.user, PERSONAL, unit),
            "page_query": f"year={year}&" if year else "",
            "can_create": bool(units_editable_under(actor=request.user, unit=unit)),
            "locked": locked_ids(rows, lambda c: c.org_unit, lambda c: c.since),
        },
    )


def _cadre_form(
    request: AuthedRequest, unit: OrgUnit, units: list[OrgUnit], cadre: WomanCadre | None = None
) -> HttpResponse:
    """``unit``: the list the form came from and returns to."""
    if cadre is not None and (
        banner := lock_banner(
            request.user,
            cadre.org_unit,
            cadre.since,
            # Not her name: the request goes to an approver who may not read names.
            _("a woman cadre recorded since %(date)s") % {"date": f"{cadre.since:%d/%m/%Y}"},
        )
    ):
        # A locked cadre is not offered for editing: the banner says who can unlock it.
        return render(
            request,
            "activities/cadres_form.html",
            {"unit": unit, "list_unit": unit, "form": None, "cadre": cadre, "banner": banner},
        )
    form = CadreForm(
        request.POST if request.method == "POST" else None,
        units=units,
        plans=unit_plans(request.user, unit),
        cadre=cadre,
    )
    if request.method == "POST":

        def save() -> HttpResponse | None:
            saved = form.save(actor=request.user) if form.is_valid() else None
            if saved is None:
                return None
            messages.success(request, _("%(name)s was saved.") % {"name": saved.full_name})
            return redirect("activities:cadre_list", pk=unit.pk)

        # Recording a new cadre twice (a double tap) leads to the first; edits carry a version.
        response = create_once(request, save) if cadre is None else save()
        if response is not None:
            return response
    return render(
        request,
        "activities/cadres_form.html",
        {"unit": unit, "list_unit": unit, "form": form, "cadre": cadre},
    )


def cadre_create_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = records_unit_get(actor=request.user, unit_id=pk)
    return _cadre_form(request, unit, editable_units(request.user, unit))


def cadre_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    cadre = woman_cadre_get(actor=request.user, cadre_id=pk)
    require_permission(request.user, EDIT, cadre.org_unit)
    if not can(request.user, PERSONAL, cadre.org_unit):
        raise PermissionDenied(_("You may not see the names of persons."))
    back = list_unit(request.user, cadre.org_unit)
    units = units_editable_under(actor=request.user, unit=back) or [cadre.org_unit]
    return _cadre_form(request, back, units, cadre)
