"""The likely duplicates of a commune, side by side, and the WU officer's decision on each pair
(issue 13, point 3). Views only translate: ``services.duplicates`` checks rights and writes.

The page lists the open pairs whose second case (the later one, which a confirmation sets aside)
is in the commune: those its WU officer decides (``mothers.verify`` there). To decide she needs
both women's names, years of birth, villages and dates, so both cases' identity fields are
shown to her, the other commune's case included; health fields only to a holder of
``mothers.health`` in that case's own commune; an ID number only masked. Each showing is
audited (the mothers' records are personal data).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import MOTHERS_VERIFY
from duan8.core import audit
from duan8.mothers.duplicates import open_pairs, reasons_text
from duan8.mothers.models import DuplicateCandidate, Pregnancy
from duan8.mothers.services.duplicates import duplicate_confirm, duplicate_dismiss
from duan8.mothers.visibility import fields_visible, id_masked, require_in_commune
from duan8.orgunits.models import OrgUnit

DECIDED_SHOWN = 20
_RELATED = (
    "first__mother",
    "first__village",
    "first__commune",
    "second__mother",
    "second__village",
    "second__commune",
    "decided_by",
)


def _side(actor: Any, case: Pregnancy, health_units: dict[int, bool]) -> dict[str, Any]:
    """What the page shows of one case."""
    mother = case.mother
    if case.commune_id not in health_units:
        health_units[case.commune_id] = fields_visible(actor, case.commune).health
    side: dict[str, Any] = {
        "case": case,
        "full_name": mother.full_name,
        "birth": mother.birth_date or mother.birth_year,
        "phone": mother.phone,
        "id_number": id_masked(mother.id_number or ""),
        "village": case.village.full_name,
        "commune": case.commune.full_name,
        "delivered_on": case.delivered_on,
        "proposed_at": case.created_at,
        "status": case.get_status_display(),
        "health": health_units[case.commune_id],
    }
    if side["health"]:
        side.update(expected_on=case.expected_on, facility=case.facility)
    return side


def _pairs(commune: OrgUnit) -> Q:
    return Q(second__commune=commune)


def duplicate_list_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The open pairs of the commune, each side by side with the reasons, and the last ones
    decided (who, when, note)."""
    commune = get_object_or_404(OrgUnit, pk=pk)
    require_in_commune(request.user, MOTHERS_VERIFY, commune)
    found = DuplicateCandidate.objects.filter(_pairs(commune)).select_related(*_RELATED)
    waiting = list(
        open_pairs().filter(_pairs(commune)).select_related(*_RELATED).order_by("-score", "id")
    )
    decided = list(
        found.exclude(status=DuplicateCandidate.Status.OPEN).order_by("-decided_at", "-id")[
            :DECIDED_SHOWN
        ]
    )
    health: dict[int, bool] = {}
    rows = [
        {
            "pair": pair,
            "reasons": reasons_text(pair.reasons),
            "sides": [
                _side(request.user, pair.first, health),
                _side(request.user, pair.second, health),
            ],
        }
        for pair in waiting
    ]
    audit.record(
        actor=request.user,
        action="mothers.duplicates.viewed",
        org_unit=commune,
        after={"pairs": [pair.pk for pair in waiting]},
    )
    return render(
        request,
        "mothers/duplicates_list.html",
        {
            "commune": commune,
            "rows": rows,
            "decided": [{"pair": pair, "reasons": reasons_text(pair.reasons)} for pair in decided],
        },
    )


def _version(request: AuthedRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _decide(request: AuthedRequest, pk: int, *, confirm: bool) -> HttpResponse:
    candidate = get_object_or_404(
        DuplicateCandidate.objects.select_related("second__commune"), pk=pk
    )
    commune_pk = candidate.second.commune_id
    require_in_commune(request.user, MOTHERS_VERIFY, candidate.second.commune)
    note = request.POST.get("note", "")
    try:
        if confirm:
            duplicate_confirm(
                actor=request.user,
                candidate=candidate,
                expected_version=_version(request),
                note=note,
            )
            messages.success(
                request,
                _("Confirmed: the later record is set aside as a duplicate and will not be paid."),
            )
        else:
            duplicate_dismiss(
                actor=request.user,
                candidate=candidate,
                expected_version=_version(request),
                note=note,
            )
            messages.success(request, _("Dismissed: both records stay."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("mothers:duplicate_list", commune_pk)


@require_POST
def duplicate_confirm_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, confirm=True)


@require_POST
def duplicate_dismiss_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, confirm=False)
