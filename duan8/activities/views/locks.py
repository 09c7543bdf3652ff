"""Locked periods on the record pages: the banner that says a record is locked, by whom it can
be unlocked, and the request to unlock it (``data_unlock_request``); the locks an entry form
lists and the first open day it proposes."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duan8.accounts.http import AuthedRequest
from duan8.accounts.models import User
from duan8.activities.models import DataLock
from duan8.activities.selectors.community import EDIT, records_unit_get
from duan8.activities.services.locks import data_unlock_request, unlock_requests
from duan8.activities.services.shared import data_lock_covering
from duan8.core.compiled import Compiled
from duan8.core.idempotency import create_once, new_key
from duan8.core.models import AuditEvent
from duan8.core.problems import labelled, problems_of
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan


@dataclass
class LockBanner:
    """What the banner of a locked record shows."""

    lock: DataLock
    unit: OrgUnit  # the record's unit, where the request is made
    day: datetime.date  # the record's day inside the locked period
    what: str  # the record, named in the request
    may_request: bool
    requests: list[AuditEvent] = field(default_factory=list)
    once: str = field(default_factory=new_key)  # the request form's one-time key


def lock_banner(actor: User, unit: OrgUnit, day: datetime.date, what: str) -> LockBanner | None:
    """The banner of a record of ``unit`` dated ``day`` when that period is locked, else None."""
    lock = data_lock_covering(unit, day)
    if lock is None:
        return None
    return LockBanner(
        lock=lock,
        unit=unit,
        day=day,
        what=what,
        may_request=can(actor, EDIT, unit),
        requests=unlock_requests(lock)[:3],
    )


def locked_ids(
    records: list[Any],
    unit_of: Callable[[Any], OrgUnit],
    day_of: Callable[[Any], datetime.date],
) -> set[int]:
    """The ids of ``records`` (of a list page) whose unit and day fall in a lock: one query."""
    if not records:
        return set()
    prefixes = {
        unit_of(r).path[:i] for r in records for i in range(10, len(unit_of(r).path) + 1, 9)
    }
    locks = list(DataLock.objects.filter(org_unit__path__in=prefixes).select_related("org_unit"))
    return {
        r.pk
        for r in records
        if any(
            unit_of(r).path.startswith(lock.org_unit.path)
            and lock.period_start <= day_of(r) <= lock.period_end
            for lock in locks
        )
    }


def _back(request: AuthedRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@require_POST
def data_unlock_request_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask the approver to unlock the data of a unit on a day (from a locked record's banner)."""
    unit = records_unit_get(actor=request.user, unit_id=pk)
    try:
        day = datetime.date.fromisoformat(request.POST.get("day", ""))
    except ValueError:
        day = None
    back = _back(request) or "home"
    if day is None:
        messages.error(request, _("Date: enter a date as dd/mm/yyyy, e.g. 25/09/2023."))
        return redirect(back)

    def send() -> HttpResponse | None:
        try:
            data_unlock_request(
                actor=request.user,
                unit=unit,
                day=day,
                reason=request.POST.get("reason", ""),
                what=request.POST.get("what", ""),
            )
        except ValidationError as exc:
            for problem in problems_of(exc):
                messages.error(request, labelled(problem, {"reason": _("Reason")}))
            return None  # nothing saved: the key stays free for the corrected request
        messages.success(request, _("Your request to unlock was sent to the approver."))
        return redirect(back)

    # A double tap or a retry sends one request (one audit entry, one e-mail).
    return create_once(request, send) or redirect(back)


# Built once a process (core.compiled): every entry form reads it.
_LOCKS = Compiled(
    lambda above, path, first, last: (
        DataLock.objects.filter(
            Q(org_unit__path__in=above) | Q(org_unit__path__startswith=path),
            period_start__lte=last,
            period_end__gte=first,
        )
        .select_related("org_unit", "locked_by")
        .order_by("period_start", "org_unit__path")
    )
)


def locked_periods(plan: Plan, unit: OrgUnit) -> list[DataLock]:
    """The locks on ``unit``, the units above it or its villages within the plan's year: the
    entry form lists them, so no one types an event that will be refused."""
    above = [unit.path[:i] for i in range(10, len(unit.path) + 1, 9)]
    year = (datetime.date(plan.year, 1, 1), datetime.date(plan.year, 12, 31))
    return _LOCKS(above, unit.path, *year)


def open_day(plan: Plan, unit: OrgUnit, day: datetime.date | None) -> datetime.date | None:
    """``day``, or the nearest day of the plan's year up to today that no lock on ``unit``
    covers (after the locked period first, then before it); None when every day is locked."""
    if day is None:
        return None
    first = datetime.date(plan.year, 1, 1)
    last = min(datetime.date(plan.year, 12, 31), timezone.localdate())
    for step in ("after", "before"):
        candidate = day
        while first <= candidate <= last:
            lock = data_lock_covering(unit, candidate)
            if lock is None:
                return candidate
            candidate = (
                lock.period_end + datetime.timedelta(days=1)
                if step == "after"
                else lock.period_start - datetime.timedelta(days=1)
            )
    return None
