"""Progress pages (targets beside actuals computed from the records) and the work hub of a unit.

- ``plan_progress_view``: the whole first appendix of a plan, commune and every village.
- ``unit_progress_view``: progress as seen from a unit for a year. A commune gets its plan's
  table; a village only its own column (its head cannot open the commune's plan); a district or
  province the actuals summed over its units.
- ``work_hub``: the counts of a unit's work in a year, with links to each list.
- ``progress_home`` / ``work_home``: the same pages for the user's own unit (header links).

A unit that others became part of (xã Đặng Thùy Trâm, formed on 1/7/2025 from xã Ba Trang and
xã Ba Khâm) has, for the years before and that of the merger, the figures of those predecessors:
the values come from the one engine (``activities.values.indicator_values``) the dashboard reads
too, and these pages name the predecessors and link to their own pages.

Access: the selectors raise ``NotVisible`` (404) outside the user's units.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from duan8.accounts.http import AuthedRequest
from duan8.accounts.models import User
from duan8.activities.models import CommunityGroup, Difficulty, Event, WomanCadre
from duan8.activities.rule_filters import Period
from duan8.activities.selectors.progress import (
    RECORDS_VIEW,
    PlanProgress,
    ProgressLine,
    plan_progress,
    records_unit_get,
    records_units_of,
    unit_plans,
    unit_progress,
    village_progress,
)
from duan8.activities.selectors.work import WorkSummary, work_summary, work_year
from duan8.activities.values import as_of_within
from duan8.core.audit import NotVisible
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.predecessors import org_unit_predecessors
from duan8.programs.models import Plan, ProgramElement
from duan8.programs.plan_page import plan_page_read
from duan8.programs.selectors import plan_get

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _checked_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404(_("No such year."))
    return year


@dataclass
class RecordLink:
    label: str
    url: str | None


# The page of each kind of record that has one.
RECORD_PAGES: dict[type[Model], str] = {
    Event: "activities:event_detail",
    CommunityGroup: "activities:community_group_detail",
    Difficulty: "activities:difficulty_detail",
}


def _record_link(record: Model) -> RecordLink:
    """A record that answers a text target, as a line of the list. Women cadres are named by
    their position only: this page is also read by those who may not see persons' names."""
    if isinstance(record, Event):
        label = f"{record.held_on:%d/%m/%Y} {record.title} ({record.org_unit.full_name})"
    elif isinstance(record, CommunityGroup):
        label = f"{record.name} ({record.org_unit.full_name})"
    elif isinstance(record, WomanCadre):
        label = f"{record.position} ({record.org_unit.full_name})"
    elif isinstance(record, Difficulty):
        label = f"{record.raised_on:%d/%m/%Y} {record} ({record.org_unit.full_name})"
    else:
        label = str(record)
    name = RECORD_PAGES.get(type(record))
    url = reverse(name, args=[record.pk]) if name else None
    return RecordLink(label=label, url=url)


@dataclass
class ProgressRow:
    """One line of the first appendix on the progress page (the plan page's row, and more)."""

    progress: ProgressLine
    links: list[RecordLink]

    @property
    def element(self) -> ProgramElement:
        return self.progress.element

    @property
    def is_heading(self) -> bool:
        """A content's title row with nothing to measure: printed across the table."""
        line = self.progress.line
        return (
            self.element.kind == "content"
            and line.commune is None
            and line.village is None
            and not self.progress.measured
        )

    @property
    def has_target(self) -> bool:
        """A row the plan sets a target for: without a rule, it says it is not computed."""
        line = self.progress.line
        return line.commune is not None or line.village is not None

    @property
    def heading(self) -> str:
        number, title = self.element.number, self.element.title
        if not number:
            return title
        return f"{number} {title}" if number[-1] in ".:" else f"{number}: {title}"


def _rows(progress: PlanProgress) -> list[ProgressRow]:
    return [
        ProgressRow(progress=line, links=[_record_link(r) for r in line.records])
        for line in progress.lines
    ]


def _year_links(name: str, unit: OrgUnit, year: int) -> dict[str, str]:
    return {
        "previous": reverse(name, kwargs={"pk": unit.pk, "year": year - 1}),
        "next": reverse(name, kwargs={"pk": unit.pk, "year": year + 1}),
    }


@dataclass
class PredecessorLinks:
    """A unit that became (part of) the unit of the page, with its own pages for the year."""

    unit: OrgUnit
    last_day: datetime.date
    progress_url: str
    work_url: str
    plans: list[Plan]


def predecessor_links(actor: User, unit: OrgUnit, year: int) -> list[PredecessorLinks]:
    """The predecessors whose figures of ``year`` count in ``unit`` (on the map the values are
    read on: the year's last day within the unit's lifetime), those the actor may read, with
    their pages and plans of the year. Read rights reach a unit's predecessors
    (``orgunits.access``), so its readers read theirs."""
    links = []
    on = as_of_within(unit, Period.year(year))
    for predecessor in org_unit_predecessors(unit, year, on=on):
        other = predecessor.unit
        if not can(actor, RECORDS_VIEW, other):
            continue
        kwargs = {"pk": other.pk, "year": year}
        links.append(
            PredecessorLinks(
                unit=other,
                last_day=predecessor.last_day,
                progress_url=reverse("activities:unit_progress", kwargs=kwargs),
                work_url=reverse("activities:work_hub", kwargs=kwargs),
                plans=unit_plans(actor=actor, unit=other, year=year)
                if other.level == OrgUnit.Level.COMMUNE
                else [],
            )
        )
    return links


def _render_plan(
    request: AuthedRequest,
    plan: Plan,
    *,
    other_plans: list[Plan] | None = None,
    own_units: list[OrgUnit] | None = None,
    predecessors: list[PredecessorLinks] | None = None,
) -> HttpResponse:
    progress = plan_progress(actor=request.user, plan=plan)
    return render(
        request,
        "activities/progress_plan.html",
        {
            "plan": plan,
            "progress": progress,
            "rows": _rows(progress),
            "unit": plan.issuing_unit,
            "year": plan.year,
            "other_plans": [p for p in other_plans or [] if p.pk != plan.pk],
            "colspan": 5 + len(progress.villages),
            "years": _year_links("activities:unit_progress", plan.issuing_unit, plan.year),
            "switch_name": "activities:unit_progress",
            "own_units": [u for u in own_units or [] if u.pk != plan.issuing_unit_id],
            "predecessors": predecessors or [],
        },
    )


def plan_progress_panel(request: AuthedRequest, plan: Plan) -> str:
    """The progress table shown on the plan page itself (settings.PLAN_PAGE_PANELS), for those
    who may read the commune's records; empty for the others."""
    if not can(request.user, RECORDS_VIEW, plan.issuing_unit):
        return ""
    read = plan_page_read(plan)  # the targets and allocation the page read
    progress = plan_progress(
        actor=request.user,
        plan=plan,
        appendix=read.appendix if read else None,
        allocation=read.allocation if read else None,
    )
    return render_to_string(
        "activities/progress_panel.html",
        {
            "plan": plan,
            "progress": progress,
            "rows": _rows(progress),
            "colspan": 5 + len(progress.villages),
        },
        request=request,
    )


@require_safe
def plan_progress_view(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = plan_get(actor=request.user, plan_id=pk)
    if not can(request.user, RECORDS_VIEW, plan.issuing_unit):
        raise NotVisible(_("Plan not found."))
    return _render_plan(request, plan)


def _render_unit_progress(
    request: AuthedRequest, unit: OrgUnit, year: int, *, own_units: list[OrgUnit] | None = None
) -> HttpResponse:
    actor = request.user
    context = {
        "unit": unit,
        "year": year,
        "years": _year_links("activities:unit_progress", unit, year),
        "switch_name": "activities:unit_progress",
        "own_units": [u for u in own_units or [] if u.pk != unit.pk],
    }
    predecessors = (
        predecessor_links(actor, unit, year) if unit.level != OrgUnit.Level.VILLAGE else []
    )
    if unit.level == OrgUnit.Level.COMMUNE:
        plans = sorted(
            unit_plans(actor=actor, unit=unit, year=year),
            key=lambda p: (p.status != Plan.Status.APPROVED, -p.pk),
        )
        if plans:
            return _render_plan(
                request, plans[0], other_plans=plans, own_units=own_units, predecessors=predecessors
            )
    if unit.level == OrgUnit.Level.VILLAGE:
        progress = village_progress(actor=actor, village=unit, year=year)
        if progress is not None:
            context.update(progress=progress, rows=_rows(progress))
            return render(request, "activities/progress_village.html", context)
    context.update(
        indicators=unit_progress(
            actor=actor, unit=unit, year=year, predecessors=[p.unit for p in predecessors]
        ),
        predecessors=predecessors,
    )
    return render(request, "activities/progress_unit.html", context)


@require_safe
def unit_progress_view(request: AuthedRequest, pk: int, year: int) -> HttpResponse:
    unit = records_unit_get(actor=request.user, unit_id=pk)
    return _render_unit_progress(request, unit, _checked_year(year))


def _own_unit(request: AuthedRequest) -> tuple[OrgUnit | None, list[OrgUnit]]:
    units = records_units_of(request.user)
    return (units[0] if units else None), units


@require_safe
def progress_home(request: AuthedRequest) -> HttpResponse:
    """Progress of the user's own unit (the highest one they hold a role in), latest year."""
    unit, units = _own_unit(request)
    if unit is None:
        return render(request, "activities/hub_none.html", {"title": _("Progress")})
    return _render_unit_progress(request, unit, work_year(unit), own_units=units)


def _render_hub(
    request: AuthedRequest, unit: OrgUnit, year: int, *, own_units: list[OrgUnit] | None = None
) -> HttpResponse:
    summary = work_summary(actor=request.user, unit=unit, year=year)
    predecessors = (
        predecessor_links(request.user, unit, year) if unit.level != OrgUnit.Level.VILLAGE else []
    )
    own_summary = None
    if predecessors:
        own_summary = summary
        summary = _summed(
            unit,
            year,
            [
                summary,
                *(work_summary(actor=request.user, unit=p.unit, year=year) for p in predecessors),
            ],
        )
    plans = (
        unit_plans(actor=request.user, unit=unit, year=year)
        if unit.level == OrgUnit.Level.COMMUNE
        else []
    )
    return render(
        request,
        "activities/hub_unit.html",
        {
            "unit": unit,
            "year": year,
            "summary": summary,
            "plans": plans,
            "years": _year_links("activities:work_hub", unit, year),
            "switch_name": "activities:work_hub",
            "own_units": [u for u in own_units or [] if u.pk != unit.pk],
            "lists": _list_links(unit, year),
            "predecessors": predecessors,
            "own_summary": own_summary,
        },
    )


def _summed(unit: OrgUnit, year: int, summaries: list[WorkSummary]) -> WorkSummary:
    """The work of a unit and of its predecessors in a year, added up (as the dashboard does)."""
    total = WorkSummary(unit=unit, year=year)
    for part in summaries:
        for mine, theirs in [
            (total.groups, part.groups),
            (total.events, part.events),
            (total.cadres, part.cadres),
        ]:
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value
        for mine_split, their_split in [
            (total.members, part.members),
            (total.participants, part.participants),
        ]:
            mine_split.female += their_split.female
            mine_split.male += their_split.male
            mine_split.minority += their_split.minority
        total.children += part.children
        total.difficulties_raised += part.difficulties_raised
        total.difficulties_open += part.difficulties_open
    return total


def _list_links(unit: OrgUnit, year: int) -> dict[str, str]:
    """The lists of each kind of record (built in their own areas), for the unit and year.

    Those lists exist for a commune or a village only; a district or province hub links none.
    """
    if unit.level < OrgUnit.Level.COMMUNE:
        return {}
    groups_on = min(datetime.date(year, 12, 31), timezone.localdate())
    return {
        "events": reverse("activities:event_list", args=[unit.pk]) + f"?year={year}",
        "groups": reverse("activities:community_group_list", args=[unit.pk])
        + f"?on={groups_on.isoformat()}",
        "cadres": reverse("activities:cadre_list", args=[unit.pk]) + f"?year={year}",
        "difficulties": reverse("activities:difficulty_list", args=[unit.pk]),
    }


@require_safe
def work_hub(request: AuthedRequest, pk: int, year: int) -> HttpResponse:
    unit = records_unit_get(actor=request.user, unit_id=pk)
    return _render_hub(request, unit, _checked_year(year))


@require_safe
def unit_work(request: AuthedRequest, pk: int) -> HttpResponse:
    """The work hub of a unit at the latest year of its plans (the unit page links here)."""
    unit = records_unit_get(actor=request.user, unit_id=pk)
    return _render_hub(request, unit, work_year(unit))


@require_safe
def work_home(request: AuthedRequest) -> HttpResponse:
    """The work hub of the user's own unit (the highest one they hold a role in), latest year."""
    unit, units = _own_unit(request)
    if unit is None:
        return render(request, "activities/hub_none.html", {"title": _("Work")})
    return _render_hub(request, unit, work_year(unit), own_units=units)
