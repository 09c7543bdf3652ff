"""Counts of the registry for readers outside the commune, with small-cell suppression
(domain.md 8.4, point 6; docs/personal-data.md).

``mothers_counts(actor, unit, year)`` counts the mothers proposed, approved and paid, and the
amount paid, per commune under ``unit`` (per village when ``unit`` is a commune), for the cases
of ``year`` (the delivery's year, or the year of the proposal before the delivery). A count of 1
to 4 is shown as "<5" to a reader who may not read the commune's mothers (``mothers.view``): in
a small village, 2 mothers paid names them. Then:

- the amount paid of a row whose paid count is hidden is hidden too (amount ÷ package = count);
- in a column with exactly one hidden cell, the total is hidden (total − the others = it);
- in a table of villages, a column with exactly one hidden cell also hides the smallest other
  non-zero cell (complementary suppression), because the commune's total is shown elsewhere
  (on the district's and the province's tables) and would give the hidden cell by subtraction.

No name, no record: counts only. Readers inside the commune see every figure.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_VIEW
from duan8.core.compiled import Compiled
from duan8.mothers.models import Payment, Pregnancy
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit

SMALL = range(1, 5)  # counts shown as "<5"
SHOWN_SMALL = "<5"
HIDDEN = "×"  # a cell hidden so that a "<5" cannot be worked out from it
COUNT_COLUMNS = ("proposed", "approved", "paid")
COLUMNS = (*COUNT_COLUMNS, "amount")


@dataclass
class Cell:
    value: int | Decimal
    hidden: bool = False
    small: bool = False  # hidden because it is 1–4 (else: hidden to protect another cell)

    @property
    def text(self) -> str:
        if self.hidden:
            return SHOWN_SMALL if self.small else HIDDEN
        return f"{int(self.value):,}".replace(",", ".")


@dataclass
class CountsRow:
    unit: OrgUnit | None  # None: the total
    cells: dict[str, Cell]
    exact: bool = False  # the reader may read this commune's mothers: nothing hidden

    def __getitem__(self, column: str) -> Cell:
        return self.cells[column]


@dataclass
class CountsTable:
    unit: OrgUnit
    year: int
    by_village: bool
    rows: list[CountsRow] = field(default_factory=list)
    total: CountsRow | None = None

    @property
    def any_hidden(self) -> bool:
        rows = [*self.rows, *([self.total] if self.total else [])]
        return any(cell.hidden for row in rows for cell in row.cells.values())


# The rows' units, built once a process (core.compiled): every plan page reads them.
_VILLAGES = Compiled(
    lambda parent_id: OrgUnit.objects.filter(
        parent_id=parent_id, level=OrgUnit.Level.VILLAGE
    ).order_by("name", "pk"),
    prepared=True,
)
_COMMUNES_UNDER = Compiled(
    lambda path: (
        OrgUnit.objects.filter(path__startswith=path, level=OrgUnit.Level.COMMUNE)
        .select_related("parent")
        .order_by("path")
    )
)


def _row_units(unit: OrgUnit) -> tuple[list[OrgUnit], bool]:
    if unit.level == OrgUnit.Level.COMMUNE:
        return _VILLAGES(unit.pk), True
    return _COMMUNES_UNDER(unit.path), False


def _cases(path: str, first: datetime.date, last: datetime.date) -> QuerySet[Pregnancy]:
    """The cases of a year under ``path``: delivered in it, or proposed in it before the
    delivery. The year as its first and last day (``created_at``'s local date), as
    ``__year`` reads it, so that the reads below are compiled once."""
    in_year = Q(delivered_on__gte=first, delivered_on__lte=last) | Q(
        delivered_on__isnull=True, created_at__date__gte=first, created_at__date__lte=last
    )
    # unordered: the models' default orderings would only be compiled, then dropped (GROUP BY)
    return (
        Pregnancy.objects.filter(Q(commune__path__startswith=path) & in_year)
        .exclude(status=Pregnancy.Status.DUPLICATE)
        .order_by()
    )


def _counted(key: str) -> Compiled[tuple[int, int, int]]:
    """(row unit id, mothers proposed, approved) per row unit of the year's cases."""
    return Compiled(
        lambda path, first, last: (
            _cases(path, first, last)
            .values(key)
            .annotate(
                proposed=Count("mother", distinct=True),
                approved=Count("mother", distinct=True, filter=Q(status=Pregnancy.Status.APPROVED)),
            )
            .values_list(key, "proposed", "approved")
        )
    )


def _paid(key: str) -> Compiled[tuple[int, int, Decimal]]:
    """(row unit id, mother id, net amount paid) per mother of the year's cases."""
    return Compiled(
        lambda path, first, last: (
            Payment.objects.filter(entry__pregnancy__in=_cases(path, first, last))
            .order_by()
            .values(f"entry__pregnancy__{key}", "entry__pregnancy__mother_id")
            .annotate(net=Sum("amount"))
            .values_list(f"entry__pregnancy__{key}", "entry__pregnancy__mother_id", "net")
        )
    )


# by "village_id" (a commune's table) or "commune_id" (a district's, a province's)
_COUNTED = {key: _counted(key) for key in ("village_id", "commune_id")}
_PAID = {key: _paid(key) for key in ("village_id", "commune_id")}


def _figures(unit: OrgUnit, year: int, key: str) -> dict[int, dict[str, int | Decimal]]:
    """Raw figures per row unit id (``key``: "village_id" or "commune_id")."""
    figures: dict[int, dict[str, int | Decimal]] = defaultdict(
        lambda: {"proposed": 0, "approved": 0, "paid": 0, "amount": Decimal(0)}
    )
    year_of = (unit.path, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    for row_unit, proposed, approved in _COUNTED[key](*year_of):
        figures[row_unit]["proposed"] = proposed
        figures[row_unit]["approved"] = approved
    for row_unit, _mother, net in _PAID[key](*year_of):
        target = figures[row_unit]
        target["amount"] = Decimal(target["amount"]) + net
        if net > 0:
            target["paid"] = int(target["paid"]) + 1
    return figures


def _suppress_small(rows: list[CountsRow]) -> None:
    for row in rows:
        if row.exact:
            continue
        for column in COUNT_COLUMNS:
            cell = row.cells[column]
            if int(cell.value) in SMALL:
                cell.hidden = cell.small = True


def _complement(rows: list[CountsRow]) -> None:
    """Where one cell of a column is hidden, hide the smallest other non-zero one as well."""
    for column in COUNT_COLUMNS:
        hidden = [row for row in rows if row.cells[column].hidden]
        if len(hidden) != 1:
            continue
        others = [
            row
            for row in rows
            if not row.cells[column].hidden and not row.exact and row.cells[column].value
        ]
        if others:
            min(others, key=lambda row: row.cells[column].value).cells[column].hidden = True


def _total(rows: list[CountsRow]) -> CountsRow:
    cells = {}
    protected = not all(row.exact for row in rows)
    for column in COLUMNS:
        value = sum((row.cells[column].value for row in rows), start=Decimal(0))
        cell = Cell(value if column == "amount" else int(value))
        hidden = [row for row in rows if row.cells[column].hidden]
        if len(hidden) == 1:
            cell.hidden = True
        elif protected and column != "amount" and int(value) in SMALL:
            cell.hidden = cell.small = True
        cells[column] = cell
    if cells["paid"].hidden:
        cells["amount"].hidden = True
    return CountsRow(unit=None, cells=cells, exact=not protected)


def mothers_counts(actor: User, unit: OrgUnit, year: int) -> CountsTable:
    """The table of counts for ``unit`` and ``year`` as ``actor`` may see it (counts only)."""
    units, by_village = _row_units(unit)
    figures = _figures(unit, year, "village_id" if by_village else "commune_id")
    table = CountsTable(unit=unit, year=year, by_village=by_village)
    exact_here = can(actor, MOTHERS_VIEW, unit) if by_village else False
    for row_unit in units:
        values = figures.get(row_unit.pk) or {}
        table.rows.append(
            CountsRow(
                unit=row_unit,
                cells={c: Cell(values.get(c, Decimal(0) if c == "amount" else 0)) for c in COLUMNS},
                exact=exact_here or (not by_village and can(actor, MOTHERS_VIEW, row_unit)),
            )
        )
    _suppress_small(table.rows)
    if by_village:
        _complement(table.rows)
    for row in table.rows:  # the amount gives the count away (÷ the package)
        if row.cells["paid"].hidden:
            row.cells["amount"].hidden = True
    table.total = _total(table.rows)
    return table


def counts_legend() -> str:
    return _(
        "Counts of 1 to 4 are shown as “<5”; “×” hides a figure from which a hidden one could be "
        "worked out."
    )
