"""``{% can_import_plan unit as flag %}``: whether to show the link to the plan import."""

from django import template

from duan8.documents.importing.building import PLAN_LEVELS
from duan8.orgunits.models import OrgUnit
from duan8.programs.plan_access import can_write_plan

register = template.Library()


@register.simple_tag(takes_context=True)
def can_import_plan(context: template.Context, unit: OrgUnit) -> bool:
    """True for a commune (or province, district) whose plans the signed-in user may edit."""
    user = context.get("user")
    return user is not None and unit.level in PLAN_LEVELS and can_write_plan(user, unit)
