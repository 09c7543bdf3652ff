"""What the focus page (section III of a plan) may add and remove (issue 12, point 2).

- ``focus_contents_available``: the contents of the plan's project in force in its year that the
  plan has no focus text for yet (what the page offers to add);
- ``content_data``: what the plan already holds under a content (targets with a number, a text
  or a suspension; allocation values; events recorded under its activities): a content with any
  stays, and the refusal says what holds it.

The write is ``plan_edit.plan_focus_set``; its steps that need nothing of ``plan_edit`` are here
(``focus_removals``, ``focus_renumber``).
"""

from collections.abc import Collection

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from duan8.core.problems import Problems
from duan8.programs.models import AllocationCell, Plan, PlanFocus, ProgramElement, Target


def _in_force(year: int) -> Q:
    return (Q(start_year__isnull=True) | Q(start_year__lte=year)) & (
        Q(end_year__isnull=True) | Q(end_year__gte=year)
    )


def plan_contents(plan: Plan) -> "list[ProgramElement]":
    """The contents of the plan's project in force in the plan's year, in the program's order."""
    return list(
        ProgramElement.objects.filter(
            _in_force(plan.year),
            code__startswith=f"{plan.project.code}.",
            kind=ProgramElement.Kind.CONTENT,
        ).order_by("order", "code")
    )


def focus_contents_available(plan: Plan) -> list[ProgramElement]:
    """The contents the plan may add to its focus section: in force, not there yet."""
    present = set(plan.focuses.values_list("content_id", flat=True))
    return [content for content in plan_contents(plan) if content.pk not in present]


def content_data(plan: Plan, content: ProgramElement) -> list[str]:
    """What the plan holds under ``content``, in words ("2 targets", "1 event recorded"); empty
    when nothing: the content may then leave the plan. Three queries."""
    prefix = f"{content.code}."
    targets = (
        Target.objects.filter(plan=plan, element__code__startswith=prefix)
        .exclude(kind=Target.Kind.NONE, text="")
        .count()
    )
    cells = (
        AllocationCell.objects.filter(row__plan=plan, column__element__code__startswith=prefix)
        .exclude(value=0)
        .count()
    )
    # the plan's events (activities app) through the reverse relation: no import upwards
    events = plan.events.filter(activity__code__startswith=prefix).count()
    found = []
    if targets:
        found.append(
            ngettext("%(count)s target", "%(count)s targets", targets) % {"count": targets}
        )
    if cells:
        found.append(
            ngettext("%(count)s allocation value", "%(count)s allocation values", cells)
            % {"count": cells}
        )
    if events:
        found.append(
            ngettext("%(count)s event recorded", "%(count)s events recorded", events)
            % {"count": events}
        )
    return found


def content_label(content: ProgramElement) -> str:
    return f"{content.number} {content.title}".strip()


def removal_refused(content: ProgramElement, data: list[str]) -> str:
    """The refusal to take ``content`` out of the plan, saying what holds it."""
    return _(
        "%(content)s cannot be removed from the plan: its activities and targets already have "
        "data (%(data)s). Clear that data first, or keep the content."
    ) % {"content": content.number or content.code, "data": ", ".join(data)}


def focus_field(focus: PlanFocus) -> str:
    """Where a problem of one focus text is keyed: ``focuses.<content code>``."""
    return f"focuses.{focus.content.code}"


def focus_removals(
    plan: Plan, focuses: dict[int, PlanFocus], remove: Collection[int], problems: Problems
) -> list[PlanFocus]:
    """The focuses to delete; a content whose activities or targets hold data stays."""
    removed = []
    for pk in remove:
        focus = focuses.get(pk)
        if focus is None:
            problems.add(f"focuses.{pk}", _("This content is not in the plan."), "unknown")
        elif data := content_data(plan, focus.content):
            problems.add(focus_field(focus), removal_refused(focus.content, data), "has_data")
        else:
            removed.append(focus)
    return removed


def focus_renumber(plan: Plan) -> None:
    """Section III follows the program's order of contents."""
    focuses = sorted(
        plan.focuses.select_related("content"), key=lambda f: (f.content.order, f.content.code)
    )
    for order, focus in enumerate(focuses, start=1):
        focus.order = order
    PlanFocus.objects.bulk_update(focuses, ["order"])
