"""The header's links to pages only some users may use (users, audit trail)."""

from django import template

from duan8.accounts.permissions import AUDIT_VIEW
from duan8.orgunits.access import can, holds_somewhere
from duan8.orgunits.models import OrgUnit
from duan8.trail.selectors import may_read_plan_history

register = template.Library()


@register.simple_tag(takes_context=True)
def holds_permission(context: template.Context, permission: str) -> bool:
    """True when the signed-in user holds ``permission`` in at least one unit."""
    user = context.get("user")
    return user is not None and holds_somewhere(user, permission)


@register.simple_tag(takes_context=True)
def may_read_audit(context: template.Context, unit: OrgUnit) -> bool:
    """True when the signed-in user may read the audit trail of ``unit`` (its history pages)."""
    user = context.get("user")
    return user is not None and can(user, AUDIT_VIEW, unit)


@register.simple_tag(takes_context=True)
def may_read_history_of_plan(context: template.Context, unit: OrgUnit) -> bool:
    """True when the signed-in user may read the history of a plan of ``unit``."""
    user = context.get("user")
    return user is not None and may_read_plan_history(user, unit)
