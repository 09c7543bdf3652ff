"""Locks on a unit's period (set and lifted by report approval) and the requests to unlock one.
The check that refuses writes inside a lock is ``shared.require_unlocked``.
"""

import datetime

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import REPORTS_REVIEW
from duan8.activities.models import DataLock
from duan8.activities.services.shared import EDIT, data_lock_covering, refuse, text_length
from duan8.core import audit
from duan8.core.models import AuditEvent
from duan8.core.problems import WHOLE, Invalid, Problem
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit


@transaction.atomic
def data_lock(
    *,
    actor: User,
    org_unit: OrgUnit,
    period_start: datetime.date,
    period_end: datetime.date,
    reason: str,
    source: str = "",
) -> DataLock:
    require_permission(actor, REPORTS_REVIEW, org_unit)
    lock = DataLock.objects.create(
        org_unit=org_unit,
        period_start=period_start,
        period_end=period_end,
        reason=reason,
        source=source,
        locked_by=actor,
    )
    audit.record(
        actor=actor,
        action="activities.data.locked",
        target=lock,
        org_unit=org_unit,
        after=audit.snapshot(lock, ["period_start", "period_end", "reason", "source"]),
    )
    return lock


@transaction.atomic
def data_unlock(*, actor: User, lock: DataLock, reason: str) -> None:
    require_permission(actor, REPORTS_REVIEW, lock.org_unit)
    if not reason.strip():
        raise Invalid([Problem("reason", _("say why the data is unlocked."), "required")])
    audit.record(
        actor=actor,
        action="activities.data.unlocked",
        target=lock,
        org_unit=lock.org_unit,
        before=audit.snapshot(lock, ["period_start", "period_end", "reason", "source"]),
        message=reason.strip(),
    )
    lock.delete()


UNLOCK_REQUEST_MAX = 1000


def unlock_requests(lock: DataLock) -> list[AuditEvent]:
    """The requests to unlock ``lock`` made so far, newest first."""
    return list(
        AuditEvent.objects.filter(
            action="activities.data.unlock_requested",
            target_type=DataLock._meta.label_lower,
            target_id=str(lock.pk),
        ).order_by("-created_at", "-id")
    )


@transaction.atomic
def data_unlock_request(
    *, actor: User, unit: OrgUnit, day: datetime.date, reason: str, what: str = ""
) -> AuditEvent:
    """Ask the approver who locked ``unit``'s data on ``day`` to unlock it, to correct ``what``.

    Open to those who record in the unit. The request is kept in the audit trail (shown on the
    locked records' banner) and e-mailed to the approver when they have an address.
    """
    require_permission(actor, EDIT, unit)
    lock = data_lock_covering(unit, day)
    if lock is None:
        message = _("The data of this day is not locked; nothing to unlock.")
        raise Invalid([Problem(WHOLE, message, "not_locked")])
    reason = reason.strip()
    problems = [] if reason else [Problem("reason", _("say what must be corrected."), "required")]
    problems += text_length(reason, field="reason", limit=UNLOCK_REQUEST_MAX)
    refuse(problems)
    request = audit.record(
        actor=actor,
        action="activities.data.unlock_requested",
        target=lock,
        org_unit=unit,
        after={
            "record": what.strip()[:255],
            "period_start": lock.period_start.isoformat(),
            "period_end": lock.period_end.isoformat(),
        },
        message=reason,
    )
    approver = lock.locked_by
    if approver is not None and approver.is_active and approver.email:
        subject = _("[Project 8] %(user)s asks you to unlock the data of %(unit)s") % {
            "user": actor.full_name or actor.get_username(),
            "unit": lock.org_unit.full_name,
        }
        body = _(
            "%(user)s asks you to unlock the data of %(unit)s for %(start)s–%(end)s (%(lock)s) "
            "to correct: %(what)s\n\nReason: %(reason)s\n\nUnlock it from the approved "
            "report's page if the correction is justified."
        ) % {
            "user": actor.full_name or actor.get_username(),
            "unit": lock.org_unit.full_name,
            "start": lock.period_start.strftime("%d/%m/%Y"),
            "end": lock.period_end.strftime("%d/%m/%Y"),
            "lock": lock.reason,
            "what": what.strip()[:255] or "—",
            "reason": reason,
        }
        transaction.on_commit(
            lambda: send_mail(subject, body, None, [approver.email], fail_silently=True)
        )
    return request


def locks_for(units: list[OrgUnit]) -> list[DataLock]:
    condition = Q()
    for unit in units:
        condition |= Q(org_unit=unit)
    return list(DataLock.objects.filter(condition)) if units else []
