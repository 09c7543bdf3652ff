"""A new draft plan for a unit and a year (issue 12, point 1 a and c): from the unit's previous
plan, or empty from the program structure in force that year.

One draft per unit and year: the unit's row is locked (``select_for_update``, PostgreSQL) inside
the transaction before the check, so two requests at once create one plan. Problems are keyed by
field: ``unit``, ``year``, ``source``, ``as_of``.
"""

import datetime
import re
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.core import audit
from duan8.core.problems import Invalid, Problem, Problems
from duan8.orgunits.inherited import villages_on as commune_villages_on
from duan8.orgunits.models import OrgUnit
from duan8.programs.assignments import ASSIGNED, assigned_fill, assigned_targets, communes_in
from duan8.programs.models import (
    AllocationCell,
    AllocationColumn,
    AllocationRow,
    Plan,
    PlanFocus,
    PlanLegalBasis,
    PlanResponsibility,
    ProgramElement,
    Target,
)
from duan8.programs.plan_access import require_plan_write
from duan8.programs.plan_predecessors import (
    name_rewriter,
    predecessors_plan,
    successor_fields,
    village_successors,
)

PREVIOUS = "previous"
EMPTY = "empty"
SOURCES = (PREVIOUS, EMPTY, ASSIGNED)
COMMAND_LINE = "plan_new (command line)"

# the texts of the previous plan copied as they are, "năm 2023" becoming "năm 2024"
_TEXTS = ("title", "proposal", "purposes", "requirements", "budget_text", "closing")
_COPIED = (
    *("symbol", "place", "issuing_body", "parent_body", "recipients"),
    *("signer_authority", "signer_title", "signer_name"),
)


class PlanExists(Invalid):
    """The unit already has a plan that year; ``plan`` is it (the page links to it)."""

    def __init__(self, plan: Plan, message: str) -> None:
        self.plan = plan
        super().__init__([Problem("year", message, "exists")])


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _in_force(year: int) -> Q:
    return (Q(start_year__isnull=True) | Q(start_year__lte=year)) & (
        Q(end_year__isnull=True) | Q(end_year__gte=year)
    )


def _element_in_force(element: ProgramElement, year: int) -> bool:
    return (element.start_year is None or element.start_year <= year) and (
        element.end_year is None or year <= element.end_year
    )


def unit_exists_in(unit: OrgUnit, year: int) -> bool:
    return (unit.valid_from is None or unit.valid_from <= datetime.date(year, 12, 31)) and (
        unit.valid_to is None or unit.valid_to >= datetime.date(year, 1, 1)
    )


def _unit_problem(unit: OrgUnit, year: int) -> str:
    if unit.valid_to is not None and unit.valid_to < datetime.date(year, 1, 1):
        return _("%(unit)s did not exist in %(year)s: it existed until %(day)s.") % {
            "unit": unit.full_name,
            "year": year,
            "day": _fmt(unit.valid_to),
        }
    return _("%(unit)s did not exist in %(year)s: it exists from %(day)s.") % {
        "unit": unit.full_name,
        "year": year,
        "day": _fmt(unit.valid_from or datetime.date(year, 1, 1)),
    }


def _project(year: int, previous: Plan | None, problems: Problems) -> ProgramElement | None:
    """The project the new plan belongs to: the previous plan's if still in force, else the one in
    force that year (the same project code first)."""
    if previous is not None and _element_in_force(previous.project, year):
        return previous.project
    candidates = list(
        ProgramElement.objects.filter(_in_force(year), kind=ProgramElement.Kind.PROJECT).order_by(
            "code"
        )
    )
    if previous is not None:
        same = previous.project.code.rsplit(".", 1)[-1]
        candidates.sort(key=lambda p: p.code.rsplit(".", 1)[-1] != same)
    if candidates:
        return candidates[0]
    years = ProgramElement.objects.filter(kind=ProgramElement.Kind.PROJECT).values_list(
        "start_year", "end_year"
    )
    starts = [s for s, _e in years if s]
    ends = [e for _s, e in years if e]
    if starts and ends:
        message = _(
            "%(year)s is outside the program's period: its structure is in force from %(first)s"
            " to %(last)s."
        ) % {"year": year, "first": min(starts), "last": max(ends)}
    else:
        message = _("%(year)s is outside the program's period: no structure is in force then.") % {
            "year": year
        }
    problems.add("year", message, "out_of_period")
    return None


def _map_day(
    unit: OrgUnit, year: int, as_of: datetime.date | None, problems: Problems
) -> datetime.date:
    """The day the unit's villages are read: ``as_of``, else the first day of the year on which the
    unit exists."""
    if as_of is not None:
        if not unit.is_valid_on(as_of):
            problems.add(
                "as_of",
                _("%(unit)s did not exist on %(day)s.")
                % {"unit": unit.full_name, "day": _fmt(as_of)},
                "not_valid",
            )
        return as_of
    first = datetime.date(year, 1, 1)
    return max(first, unit.valid_from) if unit.valid_from else first


def villages_on(unit: OrgUnit, day: datetime.date) -> list[OrgUnit]:
    """The commune's villages on ``day``, with those it inherited from the communes it succeeded
    (xã Đặng Thùy Trâm plans 2027 with xã Ba Trang's and xã Ba Khâm's villages)."""
    return commune_villages_on(commune=unit, on=day)


def previous_plan(unit: OrgUnit, year: int) -> Plan | None:
    """The unit's plan of the latest earlier year (the approved one first, then the latest)."""
    return (
        Plan.objects.filter(issuing_unit=unit, year__lt=year)
        .select_related("project")
        .order_by("-year", "status", "-number", "-pk")
        .first()
    )


def _exists_message(unit: OrgUnit, year: int, existing: Plan) -> str:
    return _(
        "%(unit)s already has a plan for %(year)s (%(reference)s, %(status)s); open it instead of"
        " starting another."
    ) % {
        "unit": unit.full_name,
        "year": year,
        "reference": existing.reference if existing.number is not None else _("no number yet"),
        "status": existing.get_status_display(),
    }


@dataclass(frozen=True)
class PlanNewResult:
    plan: Plan
    previous: Plan | None
    targets: int
    rows: int
    dropped_villages: list[str]


def _next_year_text(text: str, old: int, new: int) -> str:
    return re.sub(rf"\b(năm|Năm|NĂM)(\s+){old}\b", rf"\g<1>\g<2>{new}", text)


def _check(
    unit: OrgUnit, year: int, source: str, as_of: datetime.date | None
) -> tuple[ProgramElement, datetime.date, Plan | None]:
    problems = Problems()
    if source not in SOURCES:
        problems.add("source", _("Choose where the new plan starts from."), "invalid_choice")
    if unit.level == OrgUnit.Level.VILLAGE:
        problems.add("unit", _("A village does not make its own plan."), "invalid")
    existing = Plan.objects.filter(issuing_unit=unit, year=year).order_by("status", "-pk").first()
    if existing is not None:
        raise PlanExists(existing, _exists_message(unit, year, existing))
    if not unit_exists_in(unit, year):
        problems.add("unit", _unit_problem(unit, year), "not_valid")
    # a merged commune without plans of its own starts from those of the communes it succeeded
    previous = (
        (previous_plan(unit, year) or predecessors_plan(unit, year)) if source == PREVIOUS else None
    )
    if source == PREVIOUS and previous is None:
        problems.add(
            "source",
            _("%(unit)s has no plan before %(year)s to start from; start an empty plan.")
            % {"unit": unit.full_name, "year": year},
            "no_previous",
        )
    project = _project(year, previous, problems)
    day = _map_day(unit, year, as_of, problems)
    problems.raise_if_any()
    assert project is not None  # a missing project added a problem
    return project, day, previous


@transaction.atomic
def plan_new(
    *,
    actor: User | None,
    unit: OrgUnit,
    year: int,
    source: str,
    carry_targets: bool = False,
    as_of: datetime.date | None = None,
) -> PlanNewResult:
    """Create the draft plan of ``unit`` for ``year`` (number and date empty, version 1).

    ``actor`` is None only for the command line; every other caller needs the right to write a
    plan of the unit (``plan_access``). ``source`` is ``"previous"`` (copy the latest earlier
    plan's structure and texts, with its targets when ``carry_targets``) or ``"empty"`` (the
    structure in force that year, no targets, the unit's villages as allocation rows; a
    province's or district's communes in the year).
    """
    if actor is not None:
        require_plan_write(actor, unit)
    # one draft per unit and year: a second request waits here until the first one commits
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    project, day, previous = _check(unit, year, source, as_of)
    assigned = assigned_targets(unit=unit, year=year) if source == ASSIGNED else {}
    if source == ASSIGNED and not assigned:
        message = _("Nothing was assigned to %(unit)s for %(year)s by an approved plan above.")
        raise Invalid(
            [
                Problem(
                    "source", message % {"unit": unit.full_name, "year": year}, "nothing_assigned"
                )
            ]
        )
    if unit.level == OrgUnit.Level.COMMUNE:
        villages = villages_on(unit, day)
    else:  # a province's (district's) plan assigns targets to its communes: a row each
        villages = communes_in(unit, year, as_of)
    if previous is not None:
        result = _from_previous(unit, year, project, previous, villages, carry_targets)
    else:  # empty, or empty with the assigned values as commune targets
        result = _empty(unit, year, project, villages)
        if assigned:
            result = replace(result, targets=assigned_fill(result.plan, assigned))
    audit.record(
        actor=actor,
        actor_name="" if actor is not None else COMMAND_LINE,
        action="programs.plan.created",
        target=result.plan,
        org_unit=unit,
        after={
            "year": year,
            "source": source,
            "previous": f"{previous.reference} ({previous.year})" if previous else "",
            "carry_targets": bool(carry_targets and previous),
            "targets": result.targets,
            "allocation_rows": result.rows,
            "villages_dropped": result.dropped_villages,
        },
        version=result.plan.version,
    )
    return result


def _copy_plan(unit: OrgUnit, year: int, project: ProgramElement, previous: Plan) -> Plan:
    fields: dict[str, Any] = {name: getattr(previous, name) for name in _COPIED}
    for name in _TEXTS:
        fields[name] = _next_year_text(getattr(previous, name), previous.year, year)
    fields = successor_fields(fields, previous, unit)
    return Plan.objects.create(project=project, issuing_unit=unit, year=year, **fields)


def _from_previous(
    unit: OrgUnit,
    year: int,
    project: ProgramElement,
    previous: Plan,
    villages: list[OrgUnit],
    carry_targets: bool,
) -> PlanNewResult:
    plan = _copy_plan(unit, year, project, previous)
    prefix = f"{project.code}."
    rewrite = name_rewriter(previous, unit)

    def kept(element: ProgramElement) -> bool:
        return element.code.startswith(prefix) and _element_in_force(element, year)

    PlanLegalBasis.objects.bulk_create(
        PlanLegalBasis(plan=plan, document_id=b.document_id, order=b.order)
        for b in previous.legal_bases.all()
    )
    PlanFocus.objects.bulk_create(
        PlanFocus(
            plan=plan,
            content=f.content,
            body=rewrite(_next_year_text(f.body, previous.year, year)),
            order=f.order,
        )
        for f in previous.focuses.select_related("content")
        if kept(f.content)
    )
    PlanResponsibility.objects.bulk_create(
        PlanResponsibility(plan=plan, agency=r.agency, body=rewrite(r.body), order=r.order)
        for r in previous.responsibilities.all()
    )
    targets = []
    if carry_targets:
        targets = [
            Target(
                plan=plan, element=t.element, scope=t.scope, kind=t.kind, value=t.value, text=t.text
            )
            for t in previous.targets.select_related("element")
            if kept(t.element)
        ]
        Target.objects.bulk_create(targets)
    columns = {
        c.pk: AllocationColumn(
            plan=plan, element=c.element, group=c.group, heading=c.heading, order=c.order
        )
        for c in previous.allocation_columns.select_related("element")
        if kept(c.element)
    }
    AllocationColumn.objects.bulk_create(columns.values())
    rows, dropped = _copy_rows(plan, previous, villages, year)
    if carry_targets:
        AllocationCell.objects.bulk_create(
            AllocationCell(row=rows[cell.row_id], column=columns[cell.column_id], value=cell.value)
            for cell in AllocationCell.objects.filter(row__plan=previous)
            if cell.row_id in rows and cell.column_id in columns
        )
    return PlanNewResult(plan, previous, len(targets), len(set(rows.values())), dropped)


def _copy_rows(
    plan: Plan, previous: Plan, villages: list[OrgUnit], year: int
) -> tuple[dict[int, AllocationRow], list[str]]:
    """The previous allocation rows, parents first, without the villages gone by ``year``; the
    villages that appeared since are added under the rows of the others. Returns the new rows by
    the old row's id, and the labels of the rows dropped."""
    existing = {v.pk: v for v in villages}
    old_rows = list(previous.allocation_rows.order_by("order", "pk"))
    # a village taken over by the successor commune, or renamed since, keeps its row
    went_on = village_successors({r.village_id for r in old_rows if r.village_id}, set(existing))
    new: dict[int, AllocationRow] = {}
    dropped: list[str] = []
    village_parent: AllocationRow | None = None
    village_key: int | None = None  # the old id of ``village_parent``, as ``numbers`` keys it
    numbers: dict[int | None, int] = {}
    order = 0
    for old in old_rows:
        parent = new.get(old.parent_id) if old.parent_id else None
        if old.parent_id and parent is None:
            continue  # under a dropped row
        number, village_id, label = old.number, old.village_id, old.label
        if old.kind == AllocationRow.Kind.VILLAGE:
            village_id = went_on.get(old.village_id or 0, old.village_id)
            if village_id not in existing:
                dropped.append(old.label)
                continue
            village = existing.pop(village_id)
            label = village.full_name if village_id != old.village_id else label
            village_parent, village_key = parent, old.parent_id
            numbers[old.parent_id] = numbers.get(old.parent_id, 0) + 1
            number = str(numbers[old.parent_id])
        order = old.order
        row = AllocationRow(
            plan=plan,
            parent=parent,
            kind=old.kind,
            number=number,
            label=label,
            village_id=village_id,
            difficult_villages=old.difficult_villages,
            order=old.order,
        )
        row.save()
        new[old.pk] = row
    if existing and old_rows:
        count = numbers.get(village_key, 0)  # numbered on from the others under that row
        extra = _village_rows(plan, village_parent, list(existing.values()), count, order + 1)
        new.update({-row.pk: row for row in extra})
    return new, dropped


def _village_rows(
    plan: Plan, parent: AllocationRow | None, villages: list[OrgUnit], count: int, order: int
) -> list[AllocationRow]:
    rows = [
        AllocationRow(
            plan=plan,
            parent=parent,
            kind=AllocationRow.Kind.VILLAGE,
            number=str(count + n),
            label=village.full_name,
            village=village,
            order=order + n - 1,
        )
        for n, village in enumerate(villages, start=1)
    ]
    return AllocationRow.objects.bulk_create(rows)


def _body_name(unit: OrgUnit | None) -> str:
    """ "Ủy ban nhân dân xã Ba Trang": the people's committee of a unit, as plans name it."""
    if unit is None or unit.level == OrgUnit.Level.NATIONAL:
        return ""  # above a province: the country, which has no people's committee
    return _("People's Committee of %(unit)s") % {
        "unit": unit.full_name[:1].lower() + unit.full_name[1:]
    }


def _empty(
    unit: OrgUnit, year: int, project: ProgramElement, villages: list[OrgUnit]
) -> PlanNewResult:
    # the document's own words are Vietnamese whatever the language of the page that made it
    with translation.override(settings.LANGUAGE_CODE):
        return _empty_plan(unit, year, project, villages)


def _empty_plan(
    unit: OrgUnit, year: int, project: ProgramElement, villages: list[OrgUnit]
) -> PlanNewResult:
    in_sentence = unit.full_name[:1].lower() + unit.full_name[1:]
    plan = Plan.objects.create(
        project=project,
        issuing_unit=unit,
        year=year,
        place=unit.name,
        issuing_body=_body_name(unit),
        parent_body=_body_name(unit.parent),
        title=_("Implementation of %(project)s “%(title)s” in %(unit)s in %(year)s")
        % {
            "project": project.number or project.code,
            "title": project.title,
            "unit": in_sentence,
            "year": year,
        },
    )
    elements = (
        ProgramElement.objects.filter(
            _in_force(year), code__startswith=f"{project.code}.", kind=ProgramElement.Kind.INDICATOR
        )
        .exclude(unit="")
        .select_related("parent")
        .order_by("order", "code")
    )
    contents = {
        e.code: e
        for e in ProgramElement.objects.filter(
            code__startswith=f"{project.code}.", kind=ProgramElement.Kind.CONTENT
        )
    }
    columns = []
    for order, element in enumerate(elements):
        content = next(
            (c for code, c in contents.items() if element.code.startswith(f"{code}.")), None
        )
        columns.append(
            AllocationColumn(
                plan=plan,
                element=element,
                group=(content.number.rstrip(".") if content else ""),
                heading=f"{element.title} ({element.unit})",
                order=order,
            )
        )
    AllocationColumn.objects.bulk_create(columns)
    rows = 0
    if villages:
        total = AllocationRow.objects.create(
            plan=plan,
            kind=AllocationRow.Kind.TOTAL,
            label=_("Target of %(year)s") % {"year": year},
            order=0,
        )
        rows = 1 + len(_village_rows(plan, total, villages, 0, 1))
    return PlanNewResult(plan, None, 0, rows, [])
