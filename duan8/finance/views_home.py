"""/ngan-sach/: where each user starts with the money. The accountant goes to her commune's
vouchers, the WU officer to its payment requests, everyone else who reads the money (the
leader, the Fatherland Front, reviewers above) to the disbursement of her unit."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import FINANCE_EDIT, FINANCE_PROPOSE, FINANCE_VIEW
from duan8.orgunits.access import active_memberships

# the first right found decides the page
ENTRIES = (
    (FINANCE_EDIT, "finance:vouchers"),
    (FINANCE_PROPOSE, "finance:requests"),
    (FINANCE_VIEW, "finance:disbursement"),
)


def finance_home_view(request: AuthedRequest) -> HttpResponse:
    memberships = sorted(active_memberships(request.user), key=lambda m: m.org_unit.path)
    for permission, target in ENTRIES:
        for membership in memberships:
            if permission in membership.role.permissions:
                return redirect(target, pk=membership.org_unit.pk)
    return render(request, "finance/home_none.html", status=403)
