"""Where an upload or export applies and who may use it.

A scope is a commune or one of its villages (a village head works in their village: their
template lists only it, and a row for another village is refused), the commune's plan for the
year (events, difficulties), or one event (its list of participants). A unit outside the user's
units is answered as 404, like every record page.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import RECORDS_EDIT, RECORDS_PERSONAL, RECORDS_VIEW
from duan8.activities.models import Event
from duan8.core.audit import NotVisible
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.models import Plan

VIEW, EDIT, PERSONAL = RECORDS_VIEW, RECORDS_EDIT, RECORDS_PERSONAL


@dataclass
class Scope:
    unit: OrgUnit  # the commune or village the URL names
    commune: OrgUnit
    plan: Plan | None
    event: Event | None = None
    plans: list[Plan] = field(default_factory=list)  # the commune's plans, newest first

    @property
    def is_village(self) -> bool:
        return self.unit.pk != self.commune.pk

    def covers(self, unit: OrgUnit) -> bool:
        return unit.path.startswith(self.unit.path)

    def target(self, plan_bound: bool) -> Any:
        """What an audit event of this scope points at: the event, the plan, or nothing."""
        return self.event or (self.plan if plan_bound else None)

    def label_for(self, plan_bound: bool) -> str:
        return self.label if plan_bound else self.unit.full_name

    @property
    def label(self) -> str:
        if self.plan is None:
            return self.unit.full_name
        return _("%(unit)s — plan %(plan)s (%(year)s)") % {
            "unit": self.unit.full_name,
            "plan": self.plan.reference,
            "year": self.plan.year,
        }


def _commune_of(unit: OrgUnit) -> OrgUnit | None:
    if unit.level == OrgUnit.Level.COMMUNE:
        return unit
    if unit.level == OrgUnit.Level.VILLAGE and unit.parent_id:
        return unit.parent
    return None


def excel_scope(
    *, actor: User, unit_id: int, plan_id: int | None = None, year: int | None = None
) -> Scope:
    """The scope of a commune or village the actor may see records of; the plan asked for (one
    of the commune's), else the newest of the year asked for, else the newest. 404 otherwise."""
    unit = (
        org_units_visible_to(actor, VIEW)
        .filter(pk=unit_id, level__in=[OrgUnit.Level.COMMUNE, OrgUnit.Level.VILLAGE])
        .select_related("parent")
        .first()
    )
    commune = _commune_of(unit) if unit is not None else None
    if unit is None or commune is None:
        raise NotVisible(_("Unit not found."))
    plans = list(
        Plan.objects.filter(issuing_unit=commune)
        .select_related("project", "issuing_unit")
        .order_by("-year", "-number", "-pk")
    )
    plan = plans[0] if plans else None
    if year is not None and plan_id is None:
        plan = next((p for p in plans if p.year == year), plan)
    if plan_id is not None:
        plan = next((p for p in plans if p.pk == plan_id), None)
        if plan is None:
            raise NotVisible(_("Plan not found."))
    return Scope(unit=unit, commune=commune, plan=plan, plans=plans)


def excel_event_scope(*, actor: User, event_id: int) -> Scope:
    """The scope of one event's list of participants: the event's unit, plan and the event."""
    event = (
        Event.objects.filter(pk=event_id, org_unit__in=org_units_visible_to(actor, VIEW))
        .select_related("plan__project", "plan__issuing_unit", "org_unit__parent", "activity")
        .first()
    )
    commune = _commune_of(event.org_unit) if event is not None else None
    if event is None or commune is None:
        raise NotVisible(_("Event not found."))
    return Scope(unit=event.org_unit, commune=commune, plan=event.plan, event=event)


def may_edit(actor: User, scope: Scope) -> bool:
    return can(actor, EDIT, scope.unit)


def may_see_persons(actor: User, scope: Scope) -> bool:
    return can(actor, PERSONAL, scope.unit)
