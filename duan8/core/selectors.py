"""The audit trail as the user may read it: events in units where they hold ``audit.view``."""

import datetime
from functools import cache

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.core.audit import NotVisible
from duan8.core.models import AuditEvent
from duan8.orgunits.access import active_memberships
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.models import Plan
from duan8.programs.selectors import plan_get

AUDIT_VIEW = "audit.view"


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def holds_somewhere(actor: User, permission: str) -> bool:
    """True when a role of the actor grants ``permission`` in at least one unit."""
    if not actor.is_authenticated or not actor.is_active:
        return False
    return actor.is_superuser or any(
        permission in m.role.permissions for m in active_memberships(actor)
    )


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


def plan_history(*, actor: User, plan_id: int) -> tuple[Plan, QuerySet[AuditEvent]]:
    """A plan the actor may see (404 otherwise) and the events recorded on it, newest first."""
    plan = plan_get(actor=actor, plan_id=plan_id)
    events = (
        AuditEvent.objects.filter(target_type=Plan._meta.label_lower, target_id=str(plan.pk))
        .select_related("actor", "org_unit")
        .order_by("-created_at", "-id")
    )
    return plan, events


def unit_history(*, actor: User, unit_id: int) -> tuple[OrgUnit, QuerySet[AuditEvent]]:
    """A unit the actor may see (404 otherwise) and the events recorded in it, newest first."""
    unit = org_units_visible_to(actor).filter(pk=unit_id).first()
    if unit is None:
        raise NotVisible(_("Administrative unit not found."))
    events = (
        AuditEvent.objects.filter(org_unit=unit)
        .select_related("actor", "org_unit")
        .order_by("-created_at", "-id")
    )
    return unit, events
