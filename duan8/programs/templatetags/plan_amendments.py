"""``{% plan_amendments plan %}``: the "Amendments" section of a plan's page (issue 12, point 4),
the versions of the plan with their reasons and dates, the button that starts an amendment and
the one that discards a draft amendment."""

from typing import Any

from django import template

from duan8.programs.amendments import effective_from, plan_versions
from duan8.programs.models import Plan
from duan8.programs.plan_access import can_write_plan

register = template.Library()


@register.inclusion_tag("programs/_plan_amendments.html", takes_context=True)
def plan_amendments(context: dict[str, Any], plan: Plan) -> dict[str, Any]:
    # Only an approved plan is amended (amendments._check) and no plan returns to draft, so a
    # draft that amends nothing is a chain of one: no query for its later versions.
    first_draft = plan.status == Plan.Status.DRAFT and plan.amends_id is None
    versions = [plan] if first_draft else plan_versions(plan)
    user = context["request"].user
    return {
        "plan": plan,
        "versions": [(v, effective_from(v)) for v in versions] if len(versions) > 1 else [],
        "can_amend": plan.status == Plan.Status.APPROVED and can_write_plan(user, plan),
        "can_discard": plan.status == Plan.Status.DRAFT
        and plan.amends_id is not None
        and can_write_plan(user, plan),
    }
