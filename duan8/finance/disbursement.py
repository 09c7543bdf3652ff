"""Disbursement (giải ngân, issue 14 point 5): how much of a unit's allocation for a year was paid
out, by month and quarter, by source and by content, for a commune and rolled up to the district,
the province or the nation on the map of an "as of" date.

The roll-up is the values engine's (``orgunits.rollup.org_unit_rollup_map``, as read by
``activities.values.records``): vouchers and allocations are grouped by the start of their
holder's path (``RollupMap.bucket``) and each group is placed on a row (``path_targets``), so xã
Ba Trang's 2023 vouchers count under xã Đặng Thùy Trâm, and under the new tỉnh Quảng Ngãi, in a
view as of 2027.

Queries, whatever the number of units: the map's (``org_unit_rollup_map``; for the whole
country ``org_unit_rollup_national``, the provinces' maps in one pass), then two grouped
queries per kind of record (allocations, vouchers): one by holder group (the rows, and which
groups count), one by month, source and content over the groups that count; and one for the
names of the contents.

Disbursed = vouchers net of reversals (a reversal is a negative voucher), by the voucher's budget
year; a voucher's content is its activity's content. An allocation on the whole project is not
split between contents: the contents' table shows it on a row of its own.

The year-end deadline shown is 31/12 of the year. Extensions (chuyển nguồn, carrying unspent
money over) follow rules that are not verified (domain.md 4.3): the page says so.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, When
from django.db.models.functions import ExtractMonth, Substr
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import FINANCE_VIEW
from duan8.core.audit import NotVisible
from duan8.finance.models import Allocation, Source, Voucher
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.rollup import (
    RollupMap,
    org_unit_map_state,
    org_unit_rollup_map,
    org_unit_rollup_national,
)
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.models import ProgramElement

ZERO = Decimal(0)
MONEY: DecimalField = DecimalField(max_digits=18, decimal_places=0)


@dataclass
class Figures:
    """Allocated and disbursed, in whole đồng."""

    allocated: Decimal = ZERO
    disbursed: Decimal = ZERO

    @property
    def percent(self) -> int | None:
        """The share of the allocation disbursed, rounded; None without an allocation."""
        if self.allocated <= 0:
            return None
        return int((100 * self.disbursed / self.allocated).to_integral_value())

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.disbursed


@dataclass
class Row:
    """A line of a table: its key (a month, a quarter, a source, a content's id, a unit's id),
    its label and figures; ``cumulative`` for months and quarters (disbursed up to its end)."""

    key: object
    label: str
    figures: Figures
    cumulative: Figures | None = None
    unit: OrgUnit | None = None


@dataclass
class Placement:
    """Where records count: the engine's map of one unit (``RollupMap`` has these fields), or
    those of every province merged (``national_placement``). ``prefixes`` empty: everywhere."""

    bucket: int
    path_targets: dict[str, int]
    prefixes: list[str]
    children: list[OrgUnit]


@dataclass
class Disbursement:
    unit: OrgUnit | None  # None: the whole country
    year: int
    as_of: datetime.date
    total: Figures
    months: list[Row] = field(default_factory=list)
    quarters: list[Row] = field(default_factory=list)
    sources: list[Row] = field(default_factory=list)
    contents: list[Row] = field(default_factory=list)
    units: list[Row] = field(default_factory=list)  # one per unit under it on the map

    @property
    def deadline(self) -> datetime.date:
        """The year-end deadline: 31/12 of the year (extensions are not verified)."""
        return deadline_of(self.year)


def deadline_of(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def disbursement_unit_get(*, actor: User, unit_id: int) -> OrgUnit:
    """A unit whose money the actor may read (``finance.view`` there or above); 404 else."""
    unit = (
        org_units_visible_to(actor, FINANCE_VIEW)
        .select_related("parent")
        .filter(pk=unit_id)
        .first()
    )
    if unit is None:
        raise NotVisible(_("Administrative unit not found."))
    return unit


def _signed() -> Case:
    return Case(
        When(kind=Allocation.Kind.REDUCTION, then=-F("amount")),
        default=F("amount"),
        output_field=MONEY,
    )


def _under(prefixes: Iterable[str]) -> Q:
    condition = Q()
    for prefix in prefixes:
        condition |= Q(holder__path__startswith=prefix)
    return condition


def _by_group(
    rows: QuerySet, amount: object, rollup: RollupMap | Placement
) -> tuple[dict[int, Decimal], Q]:
    """Sums per row of the map (by unit id) and a condition leaving out the groups that count
    elsewhere on the map of the date: one query."""
    grouped = (
        rows.order_by()
        .annotate(bucket=Substr("holder__path", 1, rollup.bucket))
        .values("bucket")
        .annotate(total=Sum(amount))
        .values_list("bucket", "total")
    )
    sums: dict[int, Decimal] = defaultdict(Decimal)
    elsewhere = Q()
    for bucket, total in grouped:
        target = rollup.path_targets.get(bucket)
        if target is None:
            elsewhere |= Q(holder__path__startswith=bucket)
            continue
        sums[target] += Decimal(total or 0)
    return sums, elsewhere


def _records(
    year: int, rollup: RollupMap | Placement, until: datetime.date | None
) -> tuple[QuerySet, QuerySet]:
    under = _under(rollup.prefixes)
    vouchers = Voucher.objects.filter(under, year=year)
    if until is not None:
        vouchers = vouchers.filter(paid_on__lte=until)
    return Allocation.objects.filter(under, year=year), vouchers


def disbursement_compute(
    *, unit: OrgUnit, year: int, as_of: datetime.date, until: datetime.date | None = None
) -> Disbursement:
    """The figures of ``unit`` for ``year`` on the map of ``as_of`` (no access check: the
    callers check ``finance.view``); ``until``: only the vouchers paid by that day. A
    ValidationError when the unit did not exist on ``as_of``."""
    rollup = org_unit_rollup_map(unit, on=as_of, records_until=deadline_of(year))
    return _compute(unit, year, as_of, until, rollup)


_NATIONAL: dict[tuple, Placement] = {}  # by date, year and the state of the map (below)


def _grouping_depth(path_targets: dict[str, int]) -> int:
    """As the engine sets ``RollupMap.bucket``: the deepest unit that does not count where its
    parent counts (paths are fixed-width segments of 9 characters)."""
    return max(
        (
            len(path)
            for path, target in path_targets.items()
            if path_targets.get(path[:-9]) != target
        ),
        default=0,
    )


def national_placement(*, year: int, as_of: datetime.date) -> Placement:
    """Every record counts toward the province of ``as_of`` it counts in on Việt Nam's map
    (``org_unit_rollup_national``), kept while the map does not change
    (``org_unit_map_state``); the money's queries are then run once for the whole country,
    grouped by province where the map allows (a unit counting where its parent counts is
    grouped with it)."""
    state = org_unit_map_state()
    key = (as_of, year, state)
    found = _NATIONAL.get(key)
    if found is not None:
        return found
    provinces, path_targets = org_unit_rollup_national(on=as_of, records_until=deadline_of(year))
    placement = Placement(bucket=0, path_targets=path_targets, prefixes=[], children=provinces)
    placement.bucket = _grouping_depth(placement.path_targets)
    if state is None:
        return placement  # no state to keep it under
    if len(_NATIONAL) >= 16:
        _NATIONAL.clear()
    _NATIONAL[key] = placement
    return placement


def disbursement_national(
    *, year: int, as_of: datetime.date, until: datetime.date | None = None
) -> Disbursement:
    """The whole country's figures, one row per province of the map of ``as_of``."""
    return _compute(None, year, as_of, until, national_placement(year=year, as_of=as_of))


def _compute(
    unit: OrgUnit | None,
    year: int,
    as_of: datetime.date,
    until: datetime.date | None,
    rollup: RollupMap | Placement,
) -> Disbursement:
    allocations, vouchers = _records(year, rollup, until)
    given, skip_given = _by_group(allocations, _signed(), rollup)
    paid, skip_paid = _by_group(vouchers, F("amount"), rollup)
    if skip_given:
        allocations = allocations.exclude(skip_given)
    if skip_paid:
        vouchers = vouchers.exclude(skip_paid)
    allocation_rows = list(
        allocations.order_by()
        .values("source", "element_id", "element__kind")
        .annotate(total=Sum(_signed()))
        .values_list("source", "element_id", "element__kind", "total")
    )
    voucher_rows = list(
        vouchers.order_by()
        .annotate(month=ExtractMonth("paid_on"))
        .values("month", "source", "activity_id")
        .annotate(total=Sum("amount"))
        .values_list("month", "source", "activity_id", "total")
    )
    voucher_rows = _by_content(voucher_rows)
    total = Figures(sum(given.values(), ZERO), sum(paid.values(), ZERO))
    result = Disbursement(unit=unit, year=year, as_of=as_of, total=total)
    _periods(result, voucher_rows)
    _sources(result, allocation_rows, voucher_rows)
    _contents(result, allocation_rows, voucher_rows)
    children = {child.pk: child for child in rollup.children}
    result.units = [
        Row(pk, child.name, Figures(given.get(pk, ZERO), paid.get(pk, ZERO)), unit=child)
        for pk, child in children.items()
    ]
    result.units.sort(key=lambda row: (row.label, str(row.key)))
    return result


def _by_content(voucher_rows: list[tuple]) -> list[tuple]:
    """The rows with each voucher's activity replaced by its content: an activity, or an
    indicator under one, belongs to the content above it (one query for all of them)."""
    ids = {activity_id for _month, _source, activity_id, _total in voucher_rows}
    if not ids:
        return voucher_rows
    elements = ProgramElement.objects.filter(pk__in=ids).select_related(
        "parent", "parent__parent", "parent__parent__parent"
    )
    content_of: dict[int, int | None] = {}
    for element in elements:
        found: ProgramElement | None = element
        while found is not None and found.kind != ProgramElement.Kind.CONTENT:
            found = found.parent
        content_of[element.pk] = found.pk if found is not None else None
    return [(m, source, content_of.get(a), total) for m, source, a, total in voucher_rows]


def _periods(result: Disbursement, voucher_rows: list[tuple]) -> None:
    by_month: dict[int, Decimal] = defaultdict(Decimal)
    for month, _source, _content, amount in voucher_rows:
        by_month[int(month)] += Decimal(amount or 0)
    allocated = result.total.allocated
    running = ZERO
    for month in range(1, 13):
        running += by_month[month]
        result.months.append(
            Row(
                month,
                _("Month %(month)s") % {"month": month},
                Figures(allocated, by_month[month]),
                cumulative=Figures(allocated, running),
            )
        )
    for quarter in range(1, 5):
        months = result.months[3 * quarter - 3 : 3 * quarter]
        paid = sum((row.figures.disbursed for row in months), ZERO)
        cumulative = months[-1].cumulative
        result.quarters.append(
            Row(
                quarter,
                _("Quarter %(quarter)s") % {"quarter": quarter},
                Figures(allocated, paid),
                cumulative,
            )
        )


def _sources(result: Disbursement, allocation_rows: list[tuple], voucher_rows: list[tuple]) -> None:
    figures = {source: Figures() for source in Source.values}
    for source, _element, _kind, amount in allocation_rows:
        figures.setdefault(source, Figures()).allocated += Decimal(amount or 0)
    for _month, source, _content, amount in voucher_rows:
        figures.setdefault(source, Figures()).disbursed += Decimal(amount or 0)
    labels = dict(Source.choices)
    result.sources = [
        Row(source, str(labels.get(source, source)), value) for source, value in figures.items()
    ]


WHOLE_PROJECT = "project"


def _contents(
    result: Disbursement, allocation_rows: list[tuple], voucher_rows: list[tuple]
) -> None:
    figures: dict[object, Figures] = defaultdict(Figures)
    for _source, element_id, kind, amount in allocation_rows:
        key = element_id if kind == ProgramElement.Kind.CONTENT else WHOLE_PROJECT
        figures[key].allocated += Decimal(amount or 0)
    for _month, _source, content_id, amount in voucher_rows:
        figures[content_id].disbursed += Decimal(amount or 0)
    ids = [key for key in figures if isinstance(key, int)]
    contents = {e.pk: e for e in ProgramElement.objects.filter(pk__in=ids)} if ids else {}
    rows = []
    for key, value in figures.items():
        element = contents.get(key) if isinstance(key, int) else None
        if element is not None:
            label = f"{element.number}: {element.title}" if element.number else element.title
            rows.append((element.code, Row(key, label, value)))
        else:
            rows.append(
                ("~", Row(WHOLE_PROJECT, _("The whole project (not split by content)"), value))
            )
    result.contents = [row for _code, row in sorted(rows, key=lambda item: item[0])]


def disbursement_of(
    *, actor: User, unit: OrgUnit, year: int, as_of: datetime.date | None = None
) -> Disbursement:
    """The unit's disbursement for the actor: 404 (NotVisible) when they may not read its money.
    ``as_of``: today, or the last day of a unit that has ended."""
    if not org_units_visible_to(actor, FINANCE_VIEW).filter(pk=unit.pk).exists():
        raise NotVisible(_("Administrative unit not found."))
    return disbursement_compute(unit=unit, year=year, as_of=as_of or default_as_of(unit))


def default_as_of(unit: OrgUnit) -> datetime.date:
    """Today, or the last day of a unit that has ended (xã Ba Trang: 30/6/2025)."""
    from django.utils import timezone

    day = timezone.localdate()
    if unit.valid_to and day > unit.valid_to:
        return unit.valid_to
    if unit.valid_from and day < unit.valid_from:
        return unit.valid_from
    return day
