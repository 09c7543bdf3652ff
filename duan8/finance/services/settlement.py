"""The year's settlement (quyết toán, issue 14 point 6) of a budget holder.

The accountant (``finance.edit``) drafts it: lines computed from the allocations and the vouchers
of the year, per element and source. The commune leader (``finance.approve``) approves it: the
lines are frozen, and from then on no voucher nor reversal of that holder may be dated in that
year (``settlement_locked``, which the vouchers' service asks).

Lines (TT 55/2023 asks for a settlement by project, content and source; believed, unverified:
domain.md 4.3):

- one per element that received money (the project, or a content) and source: ``allocated`` its
  signed allocations, ``spent`` the vouchers of the activities it covers (an activity's vouchers
  count on its content's line when the content received money from that source, else on the
  project's), ``carried_over`` = allocated − spent, never below 0;
- one per activity with vouchers and source, as the detail of the line above it ("of which"):
  ``allocated`` and ``carried_over`` 0 (money is not allocated per activity), ``spent`` its
  vouchers. Totals add the first kind only (``settlement_totals``).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, DecimalField, F, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import FINANCE_APPROVE, FINANCE_EDIT, FINANCE_VIEW
from duan8.core import audit
from duan8.core.audit import NotVisible
from duan8.core.concurrency import claim_version
from duan8.finance.models import Allocation, Settlement, SettlementLine, Voucher
from duan8.orgunits.access import can, require_permission
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import ProgramElement

ZERO = Decimal(0)
ACTIVITY = ProgramElement.Kind.ACTIVITY


@dataclass(frozen=True)
class LineFigures:
    element_id: int
    source: str
    allocated: Decimal
    spent: Decimal

    @property
    def carried_over(self) -> Decimal:
        return max(self.allocated - self.spent, ZERO)


def settlement_locked(holder: OrgUnit | int, year: int) -> bool:
    """True when the holder's settlement of ``year`` is approved: no voucher nor reversal of
    that budget year may be recorded any more. One query."""
    holder_id = holder if isinstance(holder, int) else holder.pk
    return Settlement.objects.filter(
        holder_id=holder_id, year=year, status=Settlement.Status.APPROVED
    ).exists()


def _allocated(holder: OrgUnit, year: int) -> dict[tuple[int, str], Decimal]:
    signed = Case(
        When(kind=Allocation.Kind.REDUCTION, then=-F("amount")),
        default=F("amount"),
        output_field=DecimalField(max_digits=18, decimal_places=0),
    )
    rows = (
        Allocation.objects.filter(holder=holder, year=year)
        .order_by()
        .values("element_id", "source")
        .annotate(total=Sum(signed))
        .values_list("element_id", "source", "total")
    )
    return {(element, source): Decimal(total or 0) for element, source, total in rows}


def settlement_lines_compute(*, holder: OrgUnit, year: int) -> list[LineFigures]:
    """The lines of the holder's settlement for ``year`` from today's records: three queries."""
    allocated = _allocated(holder, year)
    spent_rows = (
        Voucher.objects.filter(holder=holder, year=year)
        .order_by()
        .values("activity_id", "activity__parent_id", "activity__parent__parent_id", "source")
        .annotate(total=Sum("amount"))
        .values_list(
            "activity_id", "activity__parent_id", "activity__parent__parent_id", "source", "total"
        )
    )
    spent: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    detail: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for activity, content, project, source, total in spent_rows:
        amount = Decimal(total or 0)
        detail[(activity, source)] += amount
        if (content, source) in allocated or (project, source) not in allocated:
            spent[(content, source)] += amount
        else:
            spent[(project, source)] += amount
    keys = set(allocated) | set(spent)
    lines = [
        LineFigures(
            element, source, allocated.get((element, source), ZERO), spent[(element, source)]
        )
        for element, source in keys
    ]
    lines += [
        LineFigures(activity, source, ZERO, amount) for (activity, source), amount in detail.items()
    ]
    codes = dict(
        ProgramElement.objects.filter(pk__in={line.element_id for line in lines}).values_list(
            "pk", "code"
        )
    )
    return sorted(lines, key=lambda line: (codes.get(line.element_id, ""), line.source))


def _lines_write(settlement: Settlement, lines: list[LineFigures]) -> None:
    settlement.lines.all().delete()
    SettlementLine.objects.bulk_create(
        SettlementLine(
            settlement=settlement,
            element_id=line.element_id,
            source=line.source,
            allocated=line.allocated,
            spent=line.spent,
            carried_over=line.carried_over,
        )
        for line in lines
    )


def _stored(settlement: Settlement) -> list[tuple]:
    return sorted(
        settlement.lines.values_list("element_id", "source", "allocated", "spent", "carried_over")
    )


def _computed(lines: list[LineFigures]) -> list[tuple]:
    return sorted(
        (line.element_id, line.source, line.allocated, line.spent, line.carried_over)
        for line in lines
    )


def _not_draft() -> ValidationError:
    return ValidationError(
        _("The settlement is approved: its lines are frozen and the year's spending is locked.")
    )


@transaction.atomic
def settlement_draft(
    *, actor: User, holder: OrgUnit, year: int, version: int | None = None
) -> Settlement:
    """Compute (or compute again) the draft of the holder's settlement for ``year``. Refreshing
    an existing draft takes the version the page showed."""
    require_permission(actor, FINANCE_EDIT, holder)
    settlement = Settlement.objects.select_for_update().filter(holder=holder, year=year).first()
    if settlement is None:
        settlement = Settlement.objects.create(holder=holder, year=year)
        action = "finance.settlement.drafted"
    else:
        if settlement.status != Settlement.Status.DRAFT:
            raise _not_draft()
        claim_version(settlement, version)
        action = "finance.settlement.refreshed"
    lines = settlement_lines_compute(holder=holder, year=year)
    _lines_write(settlement, lines)
    audit.record(
        actor=actor,
        action=action,
        target=settlement,
        org_unit=holder,
        message=f"{year} lines={len(lines)}",
        version=settlement.version,
    )
    return settlement


@transaction.atomic
def settlement_approve(*, actor: User, settlement: Settlement, version: int | None) -> Settlement:
    """Approve the draft: its lines are frozen and the holder's vouchers of the year locked.
    Refused when a voucher or an allocation changed the figures since the draft was computed."""
    holder = settlement.holder
    if not can(actor, FINANCE_APPROVE, holder):
        raise PermissionDenied(
            _("You do not have the right to do this in %(unit)s.") % {"unit": holder.full_name}
        )
    settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if settlement.status != Settlement.Status.DRAFT:
        raise _not_draft()
    if _stored(settlement) != _computed(
        settlement_lines_compute(holder=holder, year=settlement.year)
    ):
        raise ValidationError(
            _(
                "The spending or the allocations changed since the draft was computed; "
                "compute the draft again and check it before approving."
            )
        )
    claim_version(settlement, version)
    settlement.status = Settlement.Status.APPROVED
    settlement.approved_by = actor
    settlement.approved_at = timezone.now()
    settlement.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit.record(
        actor=actor,
        action="finance.settlement.approved",
        target=settlement,
        org_unit=holder,
        message=f"{settlement.year}",
        version=settlement.version,
    )
    return settlement


def settlement_totals(lines: list[SettlementLine]) -> tuple[Decimal, Decimal, Decimal]:
    """Allocated, spent and carried over of the lines that received money (the activities'
    lines are their detail)."""
    allocated = spent = carried = ZERO
    for line in lines:
        if _is_activity(line):
            continue
        allocated += line.allocated
        spent += line.spent
        carried += line.carried_over
    return allocated, spent, carried


def _is_activity(line: SettlementLine) -> bool:
    return bool(line.element.kind == ACTIVITY)


def settlement_readable(actor: User, holder: OrgUnit) -> None:
    """404 (NotVisible) unless the actor reads the holder's money (``finance.view``)."""
    if not can(actor, FINANCE_VIEW, holder):
        raise NotVisible(_("Administrative unit not found."))
