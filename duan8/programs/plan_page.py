"""What the plan page has read, handed to its panels (``settings.PLAN_PAGE_PANELS``) that need
the same rows: the progress panel sets the plan's targets and allocation beside the actuals, and
read both again (4 queries, about 4 ms of CPU) until the page passed them on.

The panels are called as ``panel(request, plan)``, so the page keeps what it read on the plan
instance it passes them, as ``orgunits.access.active_memberships`` keeps a request's
memberships on its user. Only the plan page sets it, and it writes nothing: nothing can be stale.
"""

from dataclasses import dataclass

from duan8.programs.models import Plan
from duan8.programs.selectors import AllocationTable, AppendixLine

_KEY = "_duan8_plan_page_read"


@dataclass(frozen=True)
class PlanPageRead:
    """The plan's first appendix (``plan_appendix``) and second (``allocation_table``)."""

    appendix: list[AppendixLine]
    allocation: AllocationTable


def plan_page_read_keep(plan: Plan, read: PlanPageRead) -> None:
    plan.__dict__[_KEY] = read


def plan_page_read(plan: Plan) -> PlanPageRead | None:
    """What the plan page read of ``plan``; None outside the plan page."""
    return plan.__dict__.get(_KEY)
