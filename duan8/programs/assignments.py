"""Targets the level above assigns (issue 12, point 3): a province's (before 1/7/2025 a
district's) plan is an ordinary ``Plan`` whose allocation table has one row per commune
(``AllocationRow.village`` points to the commune) and one column per element.

``assigned_targets``: what a commune was assigned in a year, by its parent on the map of that year
(the unit's own parent: a commune before the reform sits under its district, one after under the
province). ``assignment_table``: the assigner's view of all its communes, their planned targets
against the assignment, in a fixed number of queries. ``communes_in``: the communes such a plan
has a row for (``plan_new`` makes them); ``assignment_rows_add``: rows for communes created since.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import PLANS_VIEW
from duan8.core import audit
from duan8.core.compiled import Compiled
from duan8.core.concurrency import claim_version
from duan8.core.problems import WHOLE, Invalid, Problem, Problems
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import AllocationCell, AllocationColumn, AllocationRow, Plan, Target
from duan8.programs.plan_access import require_plan_write

ASSIGNED = "assigned"


def _year_days(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _existing_in(year: int, prefix: str = "") -> Q:
    first, last = _year_days(year)
    return (
        Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": last})
    ) & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": first}))


def assigner_of(unit: OrgUnit, year: int) -> OrgUnit | None:
    """The unit that assigns ``unit`` its targets in ``year``: its parent, when that parent exists
    in the year (a district until 30/6/2025, the province after)."""
    parent = unit.parent
    if parent is None:
        return None
    first, last = _year_days(year)
    if (parent.valid_from and parent.valid_from > last) or (
        parent.valid_to and parent.valid_to < first
    ):
        return None
    return parent


@dataclass(frozen=True)
class Assigned:
    element_id: int
    value: Decimal
    plan: Plan


# The cells assigned to a unit (built once a process: core.compiled; read on every plan page).
_ASSIGNED_CELLS = Compiled(
    lambda unit_id, assigner_id, year: (
        AllocationCell.objects.filter(
            row__village_id=unit_id,
            row__plan__issuing_unit_id=assigner_id,
            row__plan__year=year,
            row__plan__status=Plan.Status.APPROVED,
        )
        .select_related("column", "row__plan")
        .order_by("row__plan_id", "column__order")
    ),
    prepared=True,
)


def assigned_targets(*, unit: OrgUnit, year: int) -> dict[int, Assigned]:
    """What the level above assigned ``unit`` in ``year``, by element id: the cells of the row
    naming ``unit`` in the approved plan of its assigner that year. Empty when nothing was."""
    assigner = assigner_of(unit, year)
    if assigner is None:
        return {}
    cells = _ASSIGNED_CELLS(unit.pk, assigner.pk, year)
    return {c.column.element_id: Assigned(c.column.element_id, c.value, c.row.plan) for c in cells}


def assigned_below(target: Target | None, assigned: Assigned | Decimal | None) -> bool:
    """True when a numeric target is below what was assigned."""
    value = assigned.value if isinstance(assigned, Assigned) else assigned
    return (
        target is not None
        and value is not None
        and target.kind == Target.Kind.NUMBER
        and target.value is not None
        and target.value < value
    )


@dataclass
class AssignmentCell:
    assigned: Decimal | None
    target: Target | None

    @property
    def below(self) -> bool:
        return assigned_below(self.target, self.assigned)


@dataclass
class AssignmentRow:
    commune: OrgUnit
    plan: Plan | None  # the commune's own plan that year; None: no plan yet
    cells: list[AssignmentCell] = field(default_factory=list)

    @property
    def below_count(self) -> int:
        return sum(1 for cell in self.cells if cell.below)


@dataclass
class AssignmentTable:
    unit: OrgUnit
    year: int
    plan: Plan | None  # the assigner's plan of the year (approved first)
    columns: list[AllocationColumn]
    rows: list[AssignmentRow]

    @property
    def without_plan(self) -> list[OrgUnit]:
        return [row.commune for row in self.rows if row.plan is None]


def _unit_plan(unit: OrgUnit, year: int) -> Plan | None:
    return (
        Plan.objects.filter(issuing_unit=unit, year=year)
        .order_by("status", "-version", "-pk")  # "approved" sorts before "draft"
        .first()
    )


def _under(unit: OrgUnit, year: int, on: datetime.date | None = None) -> Q:
    """Units below ``unit`` (through its districts for a province before 1/7/2025) that exist in
    ``year``, or on the day ``on``."""
    if on is None:
        return Q(path__startswith=unit.path) & _existing_in(year)
    in_force = (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    return Q(path__startswith=unit.path) & in_force


def communes_in(unit: OrgUnit, year: int, on: datetime.date | None = None) -> list[OrgUnit]:
    """The communes a province's (a district's) plan of ``year`` assigns targets to: those under
    ``unit`` that exist during the year (on ``on`` when given), by path. One query."""
    return list(_communes_under(unit, year, on))


def _communes_under(unit: OrgUnit, year: int, on: datetime.date | None = None) -> QuerySet[OrgUnit]:
    return (
        OrgUnit.objects.filter(_under(unit, year, on), level=OrgUnit.Level.COMMUNE)
        .exclude(pk=unit.pk)
        .order_by("path", "code")
    )


def _communes(unit: OrgUnit, year: int, plan: Plan | None) -> list[OrgUnit]:
    """The communes under ``unit`` in ``year``, and any commune its plan assigns to."""
    assigned_to = (
        Q(pk__in=AllocationRow.objects.filter(plan=plan).values("village")) if plan else Q()
    )
    return list(
        OrgUnit.objects.filter(_under(unit, year) | assigned_to, level=OrgUnit.Level.COMMUNE)
        .exclude(pk=unit.pk)
        .order_by("path", "code")
    )


def assignment_table(*, actor: User, unit: OrgUnit, year: int) -> AssignmentTable:
    """The province's (district's) communes × the elements it assigned in ``year``: each cell the
    assigned value and the commune's planned commune-level target. Six queries however many
    communes."""
    require_permission(actor, PLANS_VIEW, unit)
    plan = _unit_plan(unit, year)
    columns = list(plan.allocation_columns.select_related("element")) if plan else []
    communes = _communes(unit, year, plan)
    assigned: dict[tuple[int, int], Decimal] = {}
    if plan is not None:
        for row_village, column_id, value in AllocationCell.objects.filter(
            row__plan=plan, row__village__isnull=False
        ).values_list("row__village", "column", "value"):
            assigned[(row_village, column_id)] = value
    ids = [c.pk for c in communes]
    plans: dict[int, Plan] = {}
    for commune_plan in Plan.objects.filter(issuing_unit__in=ids, year=year).order_by(
        "status", "-version", "-pk"
    ):
        plans.setdefault(commune_plan.issuing_unit_id, commune_plan)
    targets = {
        (t.plan_id, t.element_id): t
        for t in Target.objects.filter(
            plan__in=[p.pk for p in plans.values()], scope=Target.Scope.COMMUNE
        )
    }
    rows = []
    for commune in communes:
        own = plans.get(commune.pk)
        cells = [
            AssignmentCell(
                assigned.get((commune.pk, column.pk)),
                targets.get((own.pk, column.element_id)) if own else None,
            )
            for column in columns
        ]
        rows.append(AssignmentRow(commune, own, cells))
    return AssignmentTable(unit, year, plan, columns, rows)


def assignment_row_problems(plan: Plan, rows: list[AllocationRow], problems: Problems) -> None:
    """In a province's or district's plan, a row naming a unit must name a commune under the
    issuing unit in the plan's year (an assignment outside the assigner's area is refused)."""
    issuer = plan.issuing_unit
    if issuer.level not in (OrgUnit.Level.PROVINCE, OrgUnit.Level.DISTRICT):
        return
    village_ids = {row.village_id for row in rows if row.village_id}
    inside = set(
        OrgUnit.objects.filter(
            _existing_in(plan.year),
            pk__in=village_ids,
            level=OrgUnit.Level.COMMUNE,
            path__startswith=issuer.path,
        ).values_list("pk", flat=True)
    )
    for row in rows:
        if row.village_id and row.village_id not in inside:
            problems.add(
                f"rows.{row.pk}",
                _("%(row)s is not a commune under %(unit)s in %(year)s: it cannot be assigned.")
                % {"row": row.label, "unit": issuer.full_name, "year": plan.year},
                "outside_area",
            )


def assigned_fill(plan: Plan, assigned: dict[int, Assigned]) -> int:
    """Give a new draft the assigned values as its commune-level numeric targets."""
    created = Target.objects.bulk_create(
        Target(
            plan=plan,
            element_id=item.element_id,
            scope=Target.Scope.COMMUNE,
            kind=Target.Kind.NUMBER,
            value=item.value,
        )
        for item in assigned.values()
    )
    return len(created)


def communes_without_row(plan: Plan) -> list[OrgUnit]:
    """The communes under the plan's unit in its year that have no row in its allocation table (a
    commune created after the plan was started). One query."""
    rows = AllocationRow.objects.filter(plan=plan, village__isnull=False).values("village")
    return list(_communes_under(plan.issuing_unit, plan.year).exclude(pk__in=rows))


@transaction.atomic
def assignment_rows_add(
    *, actor: User, plan: Plan, expected_version: int | None
) -> list[AllocationRow]:
    """Give a province's (district's) draft a row, under the year's total, for each commune it
    lacks (``communes_without_row``); audited as a change of the allocation table. Nothing to add:
    nothing written (a second click adds nothing)."""
    require_plan_write(actor, plan)
    if plan.issuing_unit.level not in (OrgUnit.Level.PROVINCE, OrgUnit.Level.DISTRICT):
        raise Invalid([Problem(WHOLE, _("Only a province's or district's plan has communes."))])
    if not plan.is_editable:
        raise Invalid([Problem(WHOLE, _("This plan is approved and can no longer be changed."))])
    missing = communes_without_row(plan)
    if not missing:
        return []
    version = claim_version(plan, expected_version)
    rows = list(plan.allocation_rows.order_by("order", "pk"))
    total = next((r for r in rows if r.kind == AllocationRow.Kind.TOTAL and not r.parent_id), None)
    if total is None:
        with translation.override(settings.LANGUAGE_CODE):  # the document's words: Vietnamese
            label = _("Target of %(year)s") % {"year": plan.year}
        total = AllocationRow.objects.create(
            plan=plan, kind=AllocationRow.Kind.TOTAL, label=label, order=0
        )
    count = sum(1 for r in rows if r.parent_id == total.pk)
    order = max((r.order for r in rows), default=0) + 1
    added = AllocationRow.objects.bulk_create(
        AllocationRow(
            plan=plan,
            parent=total,
            kind=AllocationRow.Kind.VILLAGE,
            number=str(count + n),
            label=commune.full_name,
            village=commune,
            order=order + n,
        )
        for n, commune in enumerate(missing, start=1)
    )
    audit.record(
        actor=actor,
        action="programs.allocation.changed",
        target=plan,
        org_unit=plan.issuing_unit,
        before={"rows": []},
        after={"rows": [commune.full_name for commune in missing]},
        version=version,
    )
    return added
