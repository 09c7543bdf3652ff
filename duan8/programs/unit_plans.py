"""The plans section of the unit page (``settings.UNIT_PAGE_PANELS``).

The unit page belongs to ``orgunits``, below ``programs`` in the import direction, so it shows
this section through the setting instead of importing the plans.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from duan8.accounts.http import AuthedRequest
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.predecessors import org_unit_predecessors
from duan8.programs.plan_access import can_write_plan
from duan8.programs.selectors import plan_list

PLANS_SHOWN = 20


def _in_sentence(unit: OrgUnit) -> str:
    """ "xã Ba Trang": the unit's name inside a sentence."""
    name = unit.full_name
    return name[:1].lower() + name[1:]


def _predecessor_plans(request: AuthedRequest, unit: OrgUnit) -> list[dict]:
    """The plans of the units that became part of ``unit`` (its figures for the years before
    are theirs), those the user may open: a read right reaches a unit's predecessors."""
    sections = []
    for predecessor in org_unit_predecessors(unit):
        plans = list(
            plan_list(actor=request.user).filter(issuing_unit=predecessor.unit)[:PLANS_SHOWN]
        )
        if plans:
            sections.append(
                {
                    "unit": predecessor.unit,
                    "title": _("Plans of %(predecessor)s (now part of %(unit)s)")
                    % {
                        "predecessor": _in_sentence(predecessor.unit),
                        "unit": _in_sentence(unit),
                    },
                    "last_day": predecessor.last_day,
                    "plans": plans,
                }
            )
    return sections


def unit_plans_panel(request: AuthedRequest, unit: OrgUnit) -> str:
    """The plans the unit issued and those of its predecessors, as far as the user may see, and
    the button that starts a new plan for whoever may write one (``plan_access``)."""
    return render_to_string(
        "programs/unit_plans_panel.html",
        {
            "unit": unit,
            "can_start": unit.level != OrgUnit.Level.VILLAGE and can_write_plan(request.user, unit),
            "plans": list(plan_list(actor=request.user).filter(issuing_unit=unit)[:PLANS_SHOWN]),
            "predecessor_plans": _predecessor_plans(request, unit),
        },
        request=request,
    )
