"""The audit trail as the user may read it: events in units where they hold ``audit.view``."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import (
    AUDIT_VIEW,
    MOTHERS_VIEW,
    PLANS_EDIT,
    RECORDS_PERSONAL,
    USERS_MANAGE,
)
from duan8.core import audit
from duan8.core.audit import NotVisible
from duan8.core.models import AuditEvent
from duan8.orgunits.access import can, holds_somewhere, require_permission
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.models import Plan
from duan8.programs.selectors import plan_get
from duan8.trail.labels import action_label


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def require_audit_reader(actor: User) -> None:
    """The searchable trail is for holders of ``audit.view``: 403 for everyone else."""
    if not holds_somewhere(actor, AUDIT_VIEW):
        raise PermissionDenied(_("You have no right to read the audit trail."))


def audit_event_list(
    *,
    actor: User,
    user: str | None = None,
    unit: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    kind: str | None = None,
) -> QuerySet[AuditEvent]:
    """Events the actor may read, newest first, filtered.

    A holder of ``audit.view`` reads the events of the units where they hold it (and below), and
    their own events that belong to no unit (sign-ins); only superusers read every unit-less event.
    ``user`` searches the user name and full name; ``unit`` the unit's code and name.
    """
    if not holds_somewhere(actor, AUDIT_VIEW):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.all()
    if not actor.is_superuser:
        qs = qs.filter(
            Q(org_unit__in=org_units_visible_to(actor, permission=AUDIT_VIEW))
            | Q(org_unit__isnull=True, actor=actor)
        )
    if user:
        qs = qs.filter(Q(actor_name__icontains=user) | Q(actor__full_name__icontains=user))
    if unit:
        qs = qs.filter(Q(org_unit__code__icontains=unit) | Q(org_unit__name__icontains=unit))
    if date_from:
        qs = qs.filter(created_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(created_at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    if kind:
        qs = qs.filter(target_type=kind)
    return qs.select_related("actor", "org_unit").order_by("-created_at", "-id")


@cache
def kind_label(target_type: str) -> str:
    """ "programs.plan" → the model's name ("plan"); unknown kinds as they are."""
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type


def audit_kinds(*, actor: User) -> list[tuple[str, str]]:
    """The kinds of record among the events the actor may read, as (code, label) choices."""
    codes = (
        audit_event_list(actor=actor)
        .exclude(target_type="")
        .order_by()
        .values_list("target_type", flat=True)
        .distinct()
    )
    return sorted(((code, kind_label(code)) for code in codes), key=lambda c: c[1])


def may_read_plan_history(actor: User, unit: OrgUnit) -> bool:
    """Holders of ``audit.view`` on the plan's unit, and those who write the plan: they must see
    who else changed its targets (a plan's events hold no personal data)."""
    return can(actor, AUDIT_VIEW, unit) or can(actor, PLANS_EDIT, unit)


def plan_history(*, actor: User, plan_id: int) -> tuple[Plan, QuerySet[AuditEvent]]:
    """A plan the actor may see (404 otherwise) and the events recorded on it, newest first, for
    those who may read its history (403 for the others)."""
    plan = plan_get(actor=actor, plan_id=plan_id)
    if not may_read_plan_history(actor, plan.issuing_unit):
        raise PermissionDenied(_("You do not have the right to read the history of this plan."))
    events = (
        AuditEvent.objects.filter(target_type=Plan._meta.label_lower, target_id=str(plan.pk))
        .select_related("actor", "org_unit")
        .order_by("-created_at", "-id")
    )
    return plan, events


def unit_history(*, actor: User, unit_id: int) -> tuple[OrgUnit, QuerySet[AuditEvent]]:
    """A unit the actor may see (404 otherwise) and the events recorded in it, newest first, for
    holders of ``audit.view`` on it (403 for the others)."""
    unit = org_units_visible_to(actor).filter(pk=unit_id).first()
    if unit is None:
        raise NotVisible(_("Administrative unit not found."))
    require_permission(actor, AUDIT_VIEW, unit)
    events = (
        AuditEvent.objects.filter(org_unit=unit)
        .select_related("actor", "org_unit")
        .order_by("-created_at", "-id")
    )
    return unit, events


# --- audit entries as one reader may see them ------------------------------------------------

ADDRESSES = USERS_MANAGE  # with audit.view: who investigates misuse of accounts
PERSONAL_VIEWED = "audit.personal.viewed"
DIFF_SHOWN = 6
VALUE_LENGTH = 60


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
class AuditEntry:
    """One event as the reader may see it: personal values masked, the address only if allowed."""

    event: AuditEvent
    action: str
    kind: str
    title: str
    changes: list[Change]
    more: int
    address_visible: bool  # the reader may see addresses (IP) of this event
    personal_shown: bool

    @property
    def user(self) -> str:
        actor = self.event.actor
        return str(actor) if actor is not None else self.event.actor_name or "—"

    @property
    def address(self) -> str | None:
        return self.event.ip_address if self.address_visible else None


def may_see_personal(actor: User, event: AuditEvent) -> bool:
    """Personal values of an event: for holders of ``records.personal`` on its unit; for the
    mothers' registry (its records and actions are ``mothers.*``), of ``mothers.view`` instead —
    the right to read the mothers' records, which a village head's ``records.personal`` is not."""
    if event.org_unit is None:
        return actor.is_superuser
    if event.target_type.startswith("mothers.") or event.action.startswith("mothers."):
        return can(actor, MOTHERS_VIEW, event.org_unit)
    return can(actor, RECORDS_PERSONAL, event.org_unit)


def may_see_address(actor: User, event: AuditEvent) -> bool:
    """A user's network address (IP): for system administrators, i.e. holders of ``users.manage``
    with ``audit.view`` on the event's unit, who investigate misuse of accounts; never for
    leaders, the Fatherland Front or reviewers. Unit-less events (sign-ins): superusers only."""
    if event.org_unit is None:
        return actor.is_superuser
    return can(actor, AUDIT_VIEW, event.org_unit) and can(actor, ADDRESSES, event.org_unit)


def audit_entries(*, actor: User, events: Iterable[AuditEvent]) -> list[AuditEntry]:
    """The events as ``actor`` may read them; every page (and export) of the trail goes through it.

    Personal values and titles naming a person are masked (``audit.mask``) unless the actor holds
    ``records.personal`` on the event's unit; a reader who is shown them is recorded
    (``audit.personal.viewed``, once per unit and page), as every other read of personal data is.
    """
    entries = []
    shown: dict[OrgUnit, int] = {}
    for event in events:
        show_personal = may_see_personal(actor, event)
        masked = audit.mask(event, show_personal=show_personal)
        changed = audit.changes(masked.before, masked.after)
        personal_shown = masked.personal and show_personal
        if personal_shown and event.org_unit is not None:
            shown[event.org_unit] = shown.get(event.org_unit, 0) + 1
        entries.append(
            AuditEntry(
                event=event,
                action=action_label(event.action),
                kind=kind_label(event.target_type) if event.target_type else "",
                title=masked.title,
                changes=[
                    Change(field=name, before=_short(old), after=_short(new))
                    for name, (old, new) in list(changed.items())[:DIFF_SHOWN]
                ],
                more=max(0, len(changed) - DIFF_SHOWN),
                address_visible=may_see_address(actor, event),
                personal_shown=personal_shown,
            )
        )
    for unit, count in shown.items():
        audit.record(
            actor=actor,
            action=PERSONAL_VIEWED,
            target=unit,
            org_unit=unit,
            after={"list": "audit", "count": count},
        )
    return entries
