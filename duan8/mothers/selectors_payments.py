"""What the payment pages, documents and progress read: the payment lists of a commune, a list's
rows (name, year of birth, village, amounts per item, due, paid, remaining) and the amounts
paid per village.

A payment list shows the payment fields only: never ethnicity, never a health field, so the
accountant (``mothers.pay``, who holds no right to read the registry) sees what a paying
officer needs. Lists are read by the accountant, the commune leader who approves them and the
registry's readers of the commune (``mothers.view``); anyone else gets a 404.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_APPROVE, MOTHERS_PAY, MOTHERS_VIEW
from duan8.core.audit import NotVisible
from duan8.mothers.models import (
    EntitlementLine,
    Payment,
    PaymentList,
    PaymentListEntry,
    Pregnancy,
)
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit

READERS = (MOTHERS_PAY, MOTHERS_APPROVE, MOTHERS_VIEW)
ZERO = Decimal(0)
MONEY: DecimalField = DecimalField(max_digits=18, decimal_places=0)


def payments_readable(actor: User, commune: OrgUnit) -> bool:
    return any(can(actor, code, commune) for code in READERS)


def payment_commune_get(*, actor: User, commune_id: int) -> OrgUnit:
    """The commune of the lists page; NotVisible (404) for any other unit or reader."""
    commune = OrgUnit.objects.filter(pk=commune_id, level=OrgUnit.Level.COMMUNE).first()
    if commune is None or not payments_readable(actor, commune):
        raise NotVisible
    return commune


def payment_list_get(*, actor: User, list_id: int) -> PaymentList:
    found = (
        PaymentList.objects.select_related("commune", "approved_by", "created_by")
        .filter(pk=list_id)
        .first()
    )
    if found is None or not payments_readable(actor, found.commune):
        raise NotVisible
    return found


def payment_entry_get(*, actor: User, entry_id: int) -> PaymentListEntry:
    found = (
        PaymentListEntry.objects.select_related("payment_list__commune", "pregnancy")
        .filter(pk=entry_id)
        .first()
    )
    if found is None or not payments_readable(actor, found.payment_list.commune):
        raise NotVisible
    return found


def payment_get(*, actor: User, payment_id: int) -> Payment:
    found = (
        Payment.objects.select_related("entry__payment_list__commune").filter(pk=payment_id).first()
    )
    if found is None or not payments_readable(actor, found.entry.payment_list.commune):
        raise NotVisible
    return found


def payment_lists_of(*, actor: User, commune: OrgUnit) -> QuerySet[PaymentList]:
    """The commune's lists, newest year first, each with its number of entries and its totals
    due and paid (net of reversals): one query."""
    if not payments_readable(actor, commune):
        raise NotVisible
    due = (
        PaymentListEntry.objects.filter(payment_list=OuterRef("pk"))
        .values("payment_list")
        .annotate(total=Sum("amount_due"))
        .values("total")
    )
    paid = (
        Payment.objects.filter(entry__payment_list=OuterRef("pk"))
        .values("entry__payment_list")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        PaymentList.objects.filter(commune=commune)
        .annotate(
            entry_count=Count("entries"),
            due_total=Coalesce(Subquery(due, output_field=MONEY), Value(ZERO), output_field=MONEY),
            paid_total=Coalesce(
                Subquery(paid, output_field=MONEY), Value(ZERO), output_field=MONEY
            ),
        )
        .order_by("-year", "-pk")
    )


@dataclass(frozen=True)
class Column:
    """An item of the packages, as a column of the list."""

    code: str
    name: str


@dataclass
class Row:
    entry: PaymentListEntry
    number: int
    name: str
    birth_year: int
    village: str
    status: str
    amounts: list[Decimal]
    due: Decimal
    paid: Decimal = ZERO
    payments: list[Payment] = field(default_factory=list)

    @property
    def reversed_ids(self) -> set[int]:
        """The payments of the row that a reversal cancels."""
        return {p.reverses_id for p in self.payments if p.reverses_id is not None}

    @property
    def remaining(self) -> Decimal:
        return self.due - self.paid

    @property
    def payable(self) -> bool:
        return self.status == Pregnancy.Status.APPROVED and self.remaining > 0


@dataclass
class ListTable:
    payment_list: PaymentList
    columns: list[Column]
    rows: list[Row]

    @property
    def column_totals(self) -> list[Decimal]:
        return [sum((r.amounts[i] for r in self.rows), ZERO) for i in range(len(self.columns))]

    @property
    def due(self) -> Decimal:
        return sum((r.due for r in self.rows), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((r.paid for r in self.rows), ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.due - self.paid


def payment_list_table(payment_list: PaymentList) -> ListTable:
    """The list's rows and columns (one per package item due on it): three queries whatever its
    size. Names, years of birth, villages and amounts only."""
    entries = list(
        PaymentListEntry.objects.filter(payment_list=payment_list)
        .select_related("pregnancy__mother", "pregnancy__village")
        .order_by("order", "pk")
    )
    case_ids = [e.pregnancy_id for e in entries]
    lines = list(
        EntitlementLine.objects.filter(pregnancy_id__in=case_ids)
        .select_related("item")
        .order_by("item__order", "item__code", "pk")
    )
    columns: list[Column] = []
    for line in lines:
        if all(c.code != line.item.code for c in columns):
            columns.append(Column(line.item.code, line.item.name))
    position = {c.code: i for i, c in enumerate(columns)}
    amounts: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO] * len(columns))
    for line in lines:
        amounts[line.pregnancy_id][position[line.item.code]] += line.amount
    payments: dict[int, list[Payment]] = defaultdict(list)
    for payment in Payment.objects.filter(entry__in=entries).order_by("created_at", "pk"):
        payments[payment.entry_id].append(payment)
    rows = []
    for number, entry in enumerate(entries, start=1):
        case = entry.pregnancy
        paid = payments.get(entry.pk, [])
        rows.append(
            Row(
                entry=entry,
                number=number,
                name=case.mother.full_name,
                birth_year=case.mother.birth_year,
                village=case.village.name,
                status=case.status,
                amounts=amounts[case.pk],
                due=entry.amount_due,
                paid=sum((p.amount for p in paid), ZERO),
                payments=paid,
            )
        )
    return ListTable(payment_list=payment_list, columns=columns, rows=rows)


@dataclass(frozen=True)
class VillagePaid:
    village: OrgUnit | None  # None: the commune's total
    mothers: int
    amount: Decimal


def paid_by_village(commune: OrgUnit, year: int) -> list[VillagePaid]:
    """Mothers supported and amount paid (net of reversals) per village of the commune's payment
    lists of ``year``, the commune's total last. A mother counts as supported when what was
    paid to her, net, is above zero. Two queries; counts and amounts only, no names."""
    rows = (
        Payment.objects.filter(entry__payment_list__commune=commune, entry__payment_list__year=year)
        .values("entry_id", "entry__pregnancy__village_id")
        .annotate(net=Sum("amount"))
        .order_by()
    )
    by_village: dict[int, list[Decimal]] = defaultdict(list)
    for row in rows:
        by_village[row["entry__pregnancy__village_id"]].append(row["net"] or ZERO)
    villages = OrgUnit.objects.in_bulk(list(by_village))
    result = [
        VillagePaid(
            village=villages[pk],
            mothers=sum(1 for net in nets if net > 0),
            amount=sum(nets, ZERO),
        )
        for pk, nets in by_village.items()
    ]
    result.sort(key=lambda r: r.village.name if r.village else "")
    result.append(
        VillagePaid(
            village=None,
            mothers=sum(r.mothers for r in result),
            amount=sum((r.amount for r in result), ZERO),
        )
    )
    return result
