"""Who may write and approve a plan: the one rule for every service, page and button of programs.

Two ways to the right, on the plan's issuing unit (or, to start a plan, on the unit):

- ``plans.edit`` (to write) or ``plans.approve`` (to approve) through ``orgunits.access.can``:
  held in the unit or a unit above it (a commune's officer and leader, an administrator);
- ``plans.assign`` held in a province or district itself (``orgunits.access.can_here``): its
  reviewers write and approve the unit's own plan, the one that assigns targets to the communes
  below (issue 12, point 3), never the plans of those communes, which ``can`` would reach. A unit
  assigns while it exists: a district until 30/6/2025, not after.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import PLANS_APPROVE, PLANS_ASSIGN, PLANS_EDIT
from duan8.orgunits.access import can, can_here
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan

ASSIGNING_LEVELS = frozenset({OrgUnit.Level.PROVINCE, OrgUnit.Level.DISTRICT})


def _unit(plan_or_unit: Plan | OrgUnit) -> OrgUnit:
    return plan_or_unit.issuing_unit if isinstance(plan_or_unit, Plan) else plan_or_unit


def _assigns(actor: User, unit: OrgUnit) -> bool:
    """The actor writes and approves ``unit``'s own plans as the level that assigns targets."""
    return (
        unit.level in ASSIGNING_LEVELS
        and unit.is_valid_on(timezone.localdate())
        and can_here(actor, PLANS_ASSIGN, unit)
    )


def can_write_plan(actor: User, plan_or_unit: Plan | OrgUnit) -> bool:
    """May the actor write this plan (or start a plan of this unit)?"""
    unit = _unit(plan_or_unit)
    return can(actor, PLANS_EDIT, unit) or _assigns(actor, unit)


def can_approve_plan(actor: User, plan_or_unit: Plan | OrgUnit) -> bool:
    """May the actor approve this plan?"""
    unit = _unit(plan_or_unit)
    return can(actor, PLANS_APPROVE, unit) or _assigns(actor, unit)


def _denied(unit: OrgUnit) -> PermissionDenied:
    return PermissionDenied(
        _("You do not have the right to do this in %(unit)s.") % {"unit": unit.full_name}
    )


def require_plan_write(actor: User, plan_or_unit: Plan | OrgUnit) -> None:
    if not can_write_plan(actor, plan_or_unit):
        raise _denied(_unit(plan_or_unit))


def require_plan_approve(actor: User, plan_or_unit: Plan | OrgUnit) -> None:
    if not can_approve_plan(actor, plan_or_unit):
        raise _denied(_unit(plan_or_unit))
