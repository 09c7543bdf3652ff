"""/me-an-toan/: where each user starts in the registry. The menu's one link leads here; the
page sends the user to what her role does — the commune's cases (health station, village health
worker, WU officer, leader), its payment lists (accountant) — or, for readers above the commune
(reviewers, the Fatherland Front), to the counts of her unit, which show no names."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import MOTHERS_PAY, MOTHERS_VIEW, PLANS_VIEW
from duan8.orgunits.access import active_memberships
from duan8.orgunits.models import OrgUnit

# the first right found decides the page: the cases, else the payment lists
ENTRIES = ((MOTHERS_VIEW, "mothers:case_list"), (MOTHERS_PAY, "mothers:payment_lists"))


def _commune_of(unit: OrgUnit) -> OrgUnit | None:
    if unit.level == OrgUnit.Level.COMMUNE:
        return unit
    if unit.level == OrgUnit.Level.VILLAGE and unit.parent is not None:
        return unit.parent
    return None


def mothers_home_view(request: AuthedRequest) -> HttpResponse:
    memberships = sorted(active_memberships(request.user), key=lambda m: m.org_unit.path)
    for permission, target in (
        (MOTHERS_VIEW, "mothers:case_list"),
        (MOTHERS_PAY, "mothers:payment_lists"),
    ):
        for membership in memberships:
            commune = _commune_of(membership.org_unit)
            if permission in membership.role.permissions and commune is not None:
                return redirect(target, pk=commune.pk)
    for membership in memberships:
        if PLANS_VIEW in membership.role.permissions:
            return redirect("mothers:counts", pk=membership.org_unit.pk)
    return render(request, "mothers/home_none.html", status=403)
