"""The registry's pages (issue 13, point 1): a commune's cases, one case, proposing one on a
phone, correcting it, verifying and rejecting it. Views only translate: the services check rights
and input and write; ``visibility`` says which cases and fields the user may see (404 for a case
she may see nothing of). Every page that shows mothers' records is audited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duan8.accounts.http import AuthedRequest
from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_HEALTH, MOTHERS_PROPOSE, MOTHERS_VERIFY
from duan8.core import audit
from duan8.core.idempotency import create_once
from duan8.mothers.forms_registry import (
    CaseEditForm,
    CaseForm,
    RejectForm,
    VersionForm,
    case_initial,
)
from duan8.mothers.models import Pregnancy
from duan8.mothers.services.registry import (
    case_input_of,
    case_viewed,
    mother_propose,
    pregnancy_reject,
    pregnancy_update,
    pregnancy_verify,
)
from duan8.mothers.visibility import Visible, area_of, case_get, case_scope, id_masked
from duan8.orgunits.access import can
from duan8.orgunits.inherited import villages_on
from duan8.orgunits.models import OrgUnit

LISTED = "mothers.cases.viewed"
_EDITABLE = (Pregnancy.Status.PROPOSED, Pregnancy.Status.VERIFIED)


def _parts(visible: Visible) -> list[str]:
    return [name for name in ("identity", "health", "payment") if getattr(visible, name)]


def _commune(pk: int) -> OrgUnit:
    return get_object_or_404(OrgUnit, pk=pk, level=OrgUnit.Level.COMMUNE)


def case_list_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The commune's cases the user may see, by status, with the count of each status."""
    scope = case_scope(request.user, _commune(pk))
    status = request.GET.get("status") or ""
    if status not in Pregnancy.Status.values:
        status = ""
    found = scope.cases()
    counts = dict(found.order_by().values_list("status").annotate(n=Count("id")))
    if status:
        found = found.filter(status=status)
    found = found.select_related("mother", "mother__ethnic_group", "village").order_by(
        "-delivered_on", "-id"
    )
    page = Paginator(found, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record(
        actor=request.user,
        action=LISTED,
        org_unit=scope.commune,
        after={"shown": _parts(scope.visible), "count": len(page.object_list)},
    )
    return render(
        request,
        "mothers/registry_list.html",
        {
            "commune": scope.commune,
            "page": page,
            "status": status,
            "statuses": [
                (value, label, counts.get(value, 0)) for value, label in Pregnancy.Status.choices
            ],
            "total": sum(counts.values()),
            "page_query": f"status={status}&" if status else "",
            "visible": scope.visible,
            "can_propose": bool(_villages_for(request.user, scope.commune)),
        },
    )


def _facts(case: Pregnancy, visible: Visible) -> list[tuple[str, Any]]:
    """The fields shown, in order, each only to those who may see it."""
    mother = case.mother
    facts: list[tuple[str, Any]] = [
        (_("Full name"), mother.full_name),
        (_("Year of birth"), mother.birth_year),
        (_("Personal ID number"), id_masked(mother.id_number or "") or "—"),
        (_("Village"), case.village.full_name),
        (_("Commune"), case.commune.full_name),
    ]
    if visible.identity:
        facts += [
            (_("Ethnicity"), mother.ethnic_group.name),
            (_("Phone"), mother.phone or "—"),
            (_("Household status"), mother.get_household_display() or "—"),
        ]
    facts.append(
        (_("Delivery date"), case.delivered_on.strftime("%d/%m/%Y") if case.delivered_on else "—")
    )
    if visible.health:
        place = dict(Pregnancy.Place.choices).get(case.place or "", "—")
        mode = dict(Pregnancy.Mode.choices).get(case.mode or "", "—")
        facts += [
            (
                _("Expected delivery date"),
                case.expected_on.strftime("%d/%m/%Y") if case.expected_on else "—",
            ),
            (_("Place of delivery"), place),
            (_("Health facility"), case.facility or "—"),
            (_("Kind of delivery"), mode),
            (_("Number of babies"), case.babies if case.babies is not None else "—"),
            (
                _("Days at the facility"),
                case.days_at_facility if case.days_at_facility is not None else "—",
            ),
        ]
    if visible.identity or visible.payment:
        carer = case.carer_name if case.has_carer else _("No")
        facts.append((_("Family carer"), carer or "—"))
    return facts


def _render_case(
    request: AuthedRequest,
    case: Pregnancy,
    visible: Visible,
    *,
    reject_form: RejectForm | None = None,
) -> HttpResponse:
    user = request.user
    may_verify = can(user, MOTHERS_VERIFY, case.commune)
    context: dict[str, Any] = {
        "case": case,
        "visible": visible,
        "facts": _facts(case, visible),
        "visits": list(case.antenatal_visits.all()) if visible.health else None,
        "children": list(case.children.all()) if visible.identity else None,
        "may_edit": case.status in _EDITABLE and _may_propose(user, case),
        "may_verify": may_verify and case.status == Pregnancy.Status.PROPOSED,
        "may_reject": may_verify and case.status in _EDITABLE,
        "version_form": VersionForm(initial={"version": case.version}),
        "reject_form": reject_form,
    }
    case_viewed(actor=user, pregnancy=case, parts=_parts(visible))
    return render(request, "mothers/registry_detail.html", context)


def case_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    case, visible = case_get(request.user, pk)
    return _render_case(request, case, visible)


def _may_propose(actor: User, case: Pregnancy) -> bool:
    return can(actor, MOTHERS_PROPOSE, area_of(case.commune, case.village))


def _villages_for(actor: User, commune: OrgUnit) -> list[OrgUnit]:
    """The villages of the commune (on its last day, or today) where the actor proposes."""
    day = timezone.localdate()
    if commune.valid_to is not None and commune.valid_to < day:
        day = commune.valid_to
    return [
        village
        for village in villages_on(commune=commune, on=day)
        if can(actor, MOTHERS_PROPOSE, area_of(commune, village))
    ]


def case_propose_view(request: AuthedRequest, pk: int) -> HttpResponse:
    commune = _commune(pk)
    villages = _villages_for(request.user, commune)
    if not villages:
        case_scope(request.user, commune)  # 404 for those who may not see the commune
        raise PermissionDenied
    health = any(can(request.user, MOTHERS_HEALTH, v) for v in villages)
    form = CaseForm(
        request.POST if request.method == "POST" else None, villages=villages, health=health
    )
    if request.method == "POST":

        def create() -> HttpResponse | None:
            if not form.is_valid():
                return None
            try:
                case = mother_propose(actor=request.user, data=form.to_input(commune))
            except ValidationError as exc:
                form.show_problems(exc)
                return None
            messages.success(request, _("%(name)s was proposed.") % {"name": case.mother.full_name})
            return redirect("mothers:case_detail", pk=case.pk)

        if response := create_once(request, create):
            return response
    return render(
        request, "mothers/registry_form.html", {"commune": commune, "form": form, "case": None}
    )


def case_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    case, visible = case_get(request.user, pk)
    if not _may_propose(request.user, case):
        raise PermissionDenied
    if case.status not in _EDITABLE:
        messages.error(request, _("This case can no longer be changed."))
        return redirect("mothers:case_detail", pk=case.pk)
    before = case_input_of(case)
    villages = _villages_for(request.user, case.commune)
    if case.village not in villages:
        villages.insert(0, case.village)
    ending = (before.id_number or "")[-4:]
    initial = {**case_initial(before), "id_number": "", "version": case.version}
    form = CaseEditForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        villages=villages,
        health=visible.health,
        id_ending=ending,
    )
    if request.method == "POST" and form.is_valid():
        data = form.to_input(case.commune)
        if not form.cleaned_data["id_number"]:
            data.id_number = before.id_number
        try:
            pregnancy_update(
                actor=request.user,
                pregnancy=case,
                data=data,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            form.show_problems(exc)
        else:
            messages.success(request, _("The case was saved."))
            return redirect("mothers:case_detail", pk=case.pk)
    case_viewed(actor=request.user, pregnancy=case, parts=_parts(visible))
    return render(
        request,
        "mothers/registry_form.html",
        {"commune": case.commune, "form": form, "case": case},
    )


def _refused(request: AuthedRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_POST
def case_verify_view(request: AuthedRequest, pk: int) -> HttpResponse:
    case, _visible = case_get(request.user, pk)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        pregnancy_verify(actor=request.user, pregnancy=case, expected_version=version)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The case was verified."))
    return redirect("mothers:case_detail", pk=case.pk)


def case_reject_view(request: AuthedRequest, pk: int) -> HttpResponse:
    case, visible = case_get(request.user, pk)
    if not can(request.user, MOTHERS_VERIFY, case.commune):
        raise PermissionDenied
    form = RejectForm(
        request.POST if request.method == "POST" else None, initial={"version": case.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            pregnancy_reject(
                actor=request.user,
                pregnancy=case,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            if "reason" in getattr(exc, "error_dict", {}):
                form.add_error("reason", exc.error_dict["reason"])
            else:
                _refused(request, exc)
                return redirect("mothers:case_detail", pk=case.pk)
        else:
            messages.success(request, _("The case was rejected."))
            return redirect("mothers:case_detail", pk=case.pk)
    return _render_case(request, case, visible, reject_form=form)


def unit_mothers_panel(request: AuthedRequest, unit: OrgUnit) -> str:
    """A link to the commune's cases on the unit page, for those who may open them (to be
    listed in ``settings.UNIT_PAGE_PANELS``)."""
    if unit.level != OrgUnit.Level.COMMUNE:
        return ""
    try:
        case_scope(request.user, unit)
    except Http404:
        return ""
    return render_to_string("mothers/registry_panel.html", {"commune": unit}, request=request)
