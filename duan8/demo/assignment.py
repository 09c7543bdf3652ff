"""The demo's years after the reform (issue 12, point 5): tỉnh Quảng Ngãi's 2027 plan assigning
targets to xã Đặng Thùy Trâm (no district any more), approved, and Đặng Thùy Trâm's 2027 draft
started from it (``plan_new(source="assigned")``). The values are demo values, not an official
assignment. Before the draft, Đặng Thùy Trâm takes over the villages of xã Ba Trang and xã Ba Khâm
(``orgunits.villages_move``), so the draft's village rows are its own villages, where its officer
records the work of 2027. Safe to run again: an existing plan of either unit for 2027 is kept, and
villages already taken over are not taken over again.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.core import audit
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.villages_move import villages_take_over
from duan8.programs.assignments import ASSIGNED
from duan8.programs.models import AllocationCell, Plan
from duan8.programs.plan_new import EMPTY, plan_new

YEAR = 2027
DEMO_VALUES = (Decimal(2), Decimal(1))  # the first columns' assigned values, then 1 each
SEED_DEMO = "seed_demo"


def _assign(plan: Plan, commune: OrgUnit) -> int:
    """Fill Đặng Thùy Trâm's allocation row of the province's plan (``plan_new`` made one per
    commune of the province, under the year's total) and the total; the other communes' rows stay
    empty (0)."""
    columns = list(plan.allocation_columns.order_by("order"))
    row = plan.allocation_rows.select_related("parent").get(village=commune)
    assert row.parent is not None  # the year's total
    values = [DEMO_VALUES[n] if n < len(DEMO_VALUES) else Decimal(1) for n in range(len(columns))]
    AllocationCell.objects.bulk_create(
        AllocationCell(row=r, column=c, value=v)
        for r in (row.parent, row)
        for c, v in zip(columns, values, strict=True)
    )
    return len(columns)


@transaction.atomic
def demo_assignment_ensure(*, province: OrgUnit, commune: OrgUnit) -> list[str]:
    """Create what is missing; returns a line per plan created or found."""
    lines = []
    assigner = Plan.objects.filter(issuing_unit=province, year=YEAR).first()
    if assigner is None:
        assigner = plan_new(actor=None, unit=province, year=YEAR, source=EMPTY).plan
        count = _assign(assigner, commune)
        assigner.status, assigner.approved_at = Plan.Status.APPROVED, timezone.now()
        assigner.save(update_fields=["status", "approved_at", "updated_at"])
        audit.record(
            actor=None,
            actor_name=SEED_DEMO,
            action="programs.plan.approved",
            target=assigner,
            org_unit=province,
            after={"status": assigner.status, "assigned_to": commune.full_name},
            version=assigner.version,
        )
        lines.append(
            _("%(unit)s's %(year)s plan assigning %(count)s targets to %(commune)s created.")
            % {
                "unit": province.full_name,
                "year": YEAR,
                "count": count,
                "commune": commune.full_name,
            }
        )
    taken = villages_take_over(actor=None, commune=commune, actor_name=SEED_DEMO)
    if taken.created or taken.roles:
        lines += taken.lines()
    if not Plan.objects.filter(issuing_unit=commune, year=YEAR).exists():
        result = plan_new(actor=None, unit=commune, year=YEAR, source=ASSIGNED)
        lines.append(
            _("%(unit)s's %(year)s draft started from the assigned targets (%(count)s).")
            % {"unit": commune.full_name, "year": YEAR, "count": result.targets}
        )
    return lines
