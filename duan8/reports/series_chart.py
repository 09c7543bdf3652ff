"""An indicator's series across years (``activities.values.series``) for the dashboard.

``series_lines`` gives the numbers as a table for the page (each year: the units whose records
count, the map they are read on, the program element in force, result and target), as the other
charts of the dashboard have theirs, for screen readers and for printing; ``SeriesRow`` is a
year as the chart draws it (``page_charts.series_svg``: one bar per year, the target behind it,
the years whose element is provisional hatched, a dotted line where the program changes).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from duan8.activities.values import Actor
from duan8.activities.values.series import SeriesPoint, indicator_series
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.predecessors import Predecessor, org_unit_predecessors
from duan8.programs.models import ProgramElement
from duan8.reports.charts import Number, indicator_label


@dataclass(frozen=True)
class SeriesRow:
    """One year: its result and target (None: no element in force), whether the element of the
    year is provisional, and the element's code (a change of code is a change of program)."""

    year: int
    actual: Number | None
    target: Number | None
    provisional: bool
    code: str


def _program_changes(rows: Sequence[SeriesRow]) -> list[float]:
    """The x positions between two years whose elements differ."""
    return [
        index - 0.5
        for index in range(1, len(rows))
        if rows[index].code and rows[index - 1].code and rows[index].code != rows[index - 1].code
    ]


# --- the same numbers, as a table -----------------------------------------------------------


@dataclass(frozen=True)
class SeriesLine:
    """One year of the table: the units whose records count in it (the unit itself and the
    units that became part of it later), the day of the map, the element in force (None: none
    covers the year), its result and target."""

    year: int
    units: list[OrgUnit]
    as_of: datetime.date
    element: ProgramElement | None
    value: Number | None
    target: Number | None

    @property
    def provisional(self) -> bool:
        return self.element is not None and not self.element.verified

    @property
    def element_label(self) -> str:
        if self.element is None:
            return ""
        return _label(self.element.outline_number, self.element.title)


@lru_cache(maxsize=4096)
def _label(number: str, title: str) -> str:
    """``charts.indicator_label``, kept (``textwrap.shorten`` is not cheap; a page names the
    same indicators every time)."""
    return indicator_label(number, title)


def _whole(value: int | Decimal | None) -> Number | None:
    """14 rather than 14.00: targets are stored as decimals, most are whole numbers."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def _lived_in(unit: OrgUnit, year: int) -> bool:
    return (unit.valid_from is None or unit.valid_from.year <= year) and (
        unit.valid_to is None or unit.valid_to.year >= year
    )


def _units_of(unit: OrgUnit, year: int, predecessors: Iterable[Predecessor]) -> list[OrgUnit]:
    """The units whose records count in ``unit``'s figure of ``year``: its predecessors that
    still existed that year (xã Ba Trang and xã Ba Khâm in xã Đặng Thùy Trâm's 2023), then
    itself if it existed."""
    earlier = [p.unit for p in predecessors if p.effective_on > datetime.date(year, 1, 1)]
    return [*earlier, unit] if _lived_in(unit, year) else earlier


def series_table(unit: OrgUnit, points: Sequence[SeriesPoint]) -> list[SeriesLine]:
    """The table of ``points`` (``indicator_series``); two queries for the predecessors."""
    predecessors = org_unit_predecessors(unit)
    return [
        SeriesLine(
            year=point.year,
            units=_units_of(unit, point.year, predecessors),
            as_of=point.as_of,
            element=point.element,
            value=_whole(point.value),
            target=_whole(point.target),
        )
        for point in points
    ]


def series_lines(
    *, actor: Actor, unit: OrgUnit, element: ProgramElement, years: Iterable[int]
) -> list[SeriesLine]:
    """``element``'s series in ``unit`` as the table under the chart (the numbers the chart
    draws: ``indicator_series``). Raises PermissionDenied as ``indicator_values`` does."""
    points = indicator_series(actor=actor, unit=unit, element=element, years=years)
    return series_table(unit, points)
