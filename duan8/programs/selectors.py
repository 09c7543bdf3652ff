from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import PLANS_VIEW
from duan8.core.audit import NotVisible
from duan8.core.compiled import Compiled
from duan8.core.problems import with_label
from duan8.orgunits.access import can
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.models import (
    AllocationCell,
    AllocationColumn,
    AllocationRow,
    Plan,
    PlanLegalBasis,
    ProgramElement,
    Target,
    format_count,
)


def plan_list(*, actor: User, year: int | None = None) -> QuerySet[Plan]:
    qs = Plan.objects.filter(issuing_unit__in=org_units_visible_to(actor))
    if year is not None:
        qs = qs.filter(year=year)
    return qs.select_related("issuing_unit", "project").order_by(
        "issuing_unit__path", "-year", "number"
    )


# Every plan page and form reads its plan: the SQL built once a process (core.compiled), one row
# without the model's ordering to compile.
_PLAN_BY_ID = Compiled(
    lambda pk: (
        Plan.objects.select_related(
            "issuing_unit__parent", "project", "budget_source", "approved_by"
        )
        .filter(pk=pk)
        .order_by()[:1]
    ),
    prepared=True,
)


def plan_by_id(plan_id: int) -> Plan | None:
    """A plan with its unit and the unit's parent, its project, budget source and approver;
    None when there is none. Unchecked: the caller checks the actor's right on its unit."""
    return _PLAN_BY_ID.first(plan_id) if type(plan_id) is int else None


def plan_get(*, actor: User, plan_id: int) -> Plan:
    """A plan the actor may see; 404 otherwise (another commune's plan is not even confirmed).

    Read by its id, then checked with the access function (``can``: plans.view in its unit or
    above, or in a unit it became part of; the same rule as ``org_units_visible_to``, which
    ``plan_list`` filters by): the visible units' subquery, predecessors included, cost about
    3 ms of PostgreSQL planning and 1.3 ms of compiling for one row on every plan page and form."""
    plan = plan_by_id(plan_id)
    if plan is None or not can(actor, PLANS_VIEW, plan.issuing_unit):
        raise NotVisible(_("Plan not found."))
    return plan


def element_label(element: ProgramElement) -> str:
    """Where a line sits, for messages: "Nội dung 1, Hoạt động 2, dòng 1 (Xây dựng…)"."""
    segments = element.code.split(".")
    first = next((i for i, s in enumerate(segments) if s.startswith("ND")), len(segments))
    parts = []
    for segment in segments[first:]:
        if segment.startswith("ND"):
            parts.append(_("Content %(n)s") % {"n": segment[2:]})
        elif segment.startswith("HD"):
            parts.append(_("Activity %(n)s") % {"n": segment[2:]})
        else:
            parts.append(_("line %(n)s") % {"n": segment})
    title = element.title if len(element.title) <= 60 else element.title[:57].rstrip() + "…"
    where = ", ".join(parts) or element.code
    return f"{where} ({title})"


# The plan page's reads, their SQL built once a process (core.compiled).
_ELEMENTS_UNDER = Compiled(
    lambda prefix: ProgramElement.objects.filter(code__startswith=prefix).order_by("order", "code")
)
_COLUMNS = Compiled(
    lambda plan_id: (
        AllocationColumn.objects.filter(plan_id=plan_id).select_related("element").order_by("order")
    ),
    prepared=True,
)
_ROWS = Compiled(
    lambda plan_id: (
        AllocationRow.objects.filter(plan_id=plan_id).select_related("village").order_by("order")
    ),
    prepared=True,
)
_CELLS = Compiled(
    lambda plan_id: (
        AllocationCell.objects.filter(row__plan_id=plan_id)
        .order_by()
        .values_list("row_id", "column_id", "value")
    ),
    prepared=True,
)
_TARGETS = Compiled(
    lambda plan_id: Target.objects.filter(plan_id=plan_id).order_by(),  # no join to order by
    prepared=True,
)

_LEGAL_BASES = Compiled(
    lambda plan_id: (
        PlanLegalBasis.objects.filter(plan_id=plan_id).select_related("document").order_by("order")
    ),  # alone: the default ("plan", "order") joins the plan and its unit
    prepared=True,
)


def plan_legal_bases(plan: Plan) -> list[PlanLegalBasis]:
    """A plan's legal bases with their documents, in order."""
    return _LEGAL_BASES(plan.pk)


def program_elements_under(root: ProgramElement) -> list[ProgramElement]:
    """All elements below ``root`` in display order (codes are dotted paths: DA8.ND1.HD1.1)."""
    return _ELEMENTS_UNDER(f"{root.code}.")


@dataclass
class AppendixLine:
    element: ProgramElement
    depth: int
    commune: Target | None = None
    village: Target | None = None


@dataclass
class AllocationTable:
    columns: list[AllocationColumn]
    rows: list[AllocationRow]
    values: dict[tuple[int, int], Decimal]
    problems: list["AllocationProblem"] = field(default_factory=list)

    def cell(self, row: AllocationRow, column: AllocationColumn) -> Decimal:
        return self.values.get((row.pk, column.pk), Decimal(0))

    def row_cells(self, row: AllocationRow) -> list[tuple[AllocationColumn, Decimal]]:
        return [(column, self.cell(row, column)) for column in self.columns]

    def column_groups(self) -> list[tuple[str, int]]:
        """Consecutive columns sharing a group heading, for the table's merged header cells."""
        groups: list[tuple[str, int]] = []
        for column in self.columns:
            if groups and groups[-1][0] == column.group:
                groups[-1] = (column.group, groups[-1][1] + 1)
            else:
                groups.append((column.group, 1))
        return groups


@dataclass
class AllocationProblem:
    row: AllocationRow
    column: AllocationColumn | None  # None: the "especially difficult villages" column
    stated: Decimal
    children_sum: Decimal

    @property
    def column_label(self) -> str:
        return self.column.heading if self.column else _("Number of especially difficult villages")

    @property
    def place(self) -> str:
        """The cell, for a message shown away from it: "Row “…”, column “…”"."""
        return _("Row “%(row)s”, column “%(column)s”") % {
            "row": str(self.row),
            "column": self.column_label,
        }

    @property
    def short(self) -> str:
        """The problem, for a message shown beside its cell."""
        return _("The total is %(stated)s but its rows add up to %(sum)s.") % {
            "stated": format_count(self.stated),
            "sum": format_count(self.children_sum),
        }

    @property
    def message(self) -> str:
        return with_label(self.place, self.short)


def allocation_check(
    rows: list[AllocationRow],
    columns: list[AllocationColumn],
    values: dict[tuple[int, int], Decimal],
) -> list[AllocationProblem]:
    """Every row with child rows must equal the sum of its children, in every column."""
    children: dict[int, list[AllocationRow]] = defaultdict(list)
    for row in rows:
        if row.parent_id:
            children[row.parent_id].append(row)
    problems: list[AllocationProblem] = []
    for row in rows:
        kids = children.get(row.pk)
        if not kids:
            continue
        stated_dbkk = row.difficult_villages
        kid_dbkk = [k.difficult_villages for k in kids if k.difficult_villages is not None]
        if stated_dbkk is not None and kid_dbkk and stated_dbkk != sum(kid_dbkk):
            problems.append(
                AllocationProblem(row, None, Decimal(stated_dbkk), Decimal(sum(kid_dbkk)))
            )
        for column in columns:
            stated = values.get((row.pk, column.pk), Decimal(0))
            total = sum((values.get((k.pk, column.pk), Decimal(0)) for k in kids), Decimal(0))
            if stated != total:
                problems.append(AllocationProblem(row, column, stated, total))
    return problems


def allocation_table(*, plan: Plan) -> AllocationTable:
    """The second appendix in three queries (two when it has no rows or no columns). Ordered by
    ``order`` alone: the models' default orderings start with the plan, which joins the plan and
    its unit (and the cells' the rows' too) for one plan's rows."""
    columns = _COLUMNS(plan.pk)
    rows = _ROWS(plan.pk)
    cells = _CELLS(plan.pk) if rows and columns else []
    values = {(row_id, column_id): value for row_id, column_id, value in cells}
    table = AllocationTable(columns=columns, rows=rows, values=values)
    table.problems = allocation_check(rows, columns, values)
    return table


def plan_appendix(*, plan: Plan) -> list[AppendixLine]:
    """The first appendix: every element of the project with its commune and village targets."""
    elements = program_elements_under(plan.project)
    targets = _TARGETS(plan.pk)  # read into a dict
    by_element: dict[int, dict[str, Target]] = defaultdict(dict)
    for target in targets:
        by_element[target.element_id][target.scope] = target
    base_depth = plan.project.code.count(".") + 1
    lines = []
    for element in elements:
        found = by_element.get(element.pk, {})
        lines.append(
            AppendixLine(
                element=element,
                depth=element.code.count(".") - base_depth,
                commune=found.get(Target.Scope.COMMUNE),
                village=found.get(Target.Scope.VILLAGE),
            )
        )
    return lines
