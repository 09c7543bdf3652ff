"""An indicator's series across years, across the program change and the map change.

``indicator_series(actor, unit, element, years)`` asks the one engine (``indicator_values``)
once per year, for the element in force that year (``programs.structure.element_in_force``:
the phase-I indicator up to 2025, the phase-II indicator the crosswalk links it to from 2026),
on the map of that year (its last day, or the unit's own first or last day when the unit did
not exist all year: xã Đặng Thùy Trâm's 2023 is read on 1/7/2025, where the engine counts xã
Ba Trang's and xã Ba Khâm's records in it).

A phase-II indicator has no counting rule of its own until one is written for it; its year is
then counted by the rules of the element it continues (``counted_by``), and the point says so.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from duan8.activities.values.engine import indicator_values
from duan8.activities.values.result import Actor, Breakdown, IndicatorValues, Measure
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import ProgramElement
from duan8.programs.structure import element_in_force


@dataclass(frozen=True)
class SeriesPoint:
    """One year of the series: the element in force, its result and target (None: no element
    covers the year, or no target), and the element whose rules counted the records."""

    year: int
    element: ProgramElement | None
    counted_by: ProgramElement | None
    value: int | Decimal | None
    target: int | Decimal | None
    as_of: datetime.date

    @property
    def verified(self) -> bool:
        """False when the element of the year is provisional (the 2026–2030 structure)."""
        return self.element is None or self.element.verified

    @property
    def through_crosswalk(self) -> bool:
        return self.counted_by is not None and self.counted_by != self.element


def map_day(unit: OrgUnit, year: int) -> datetime.date:
    """The map a year is read on: its last day, within the unit's life."""
    day = datetime.date(year, 12, 31)
    if unit.valid_to and day > unit.valid_to:
        day = unit.valid_to
    if unit.valid_from and day < unit.valid_from:
        day = unit.valid_from
    return day


def _counted_by(
    data: IndicatorValues, in_force: ProgramElement, element: ProgramElement
) -> ProgramElement | None:
    """The element of the result that stands for ``in_force``: itself when it has rules, else
    the series' own element (the one it continues or is continued by)."""
    codes = {e.code for e in data.elements}
    for candidate in (in_force, element):
        if candidate.code in codes:
            return candidate
    return None


def indicator_series(
    *, actor: Actor, unit: OrgUnit, element: ProgramElement, years: Iterable[int]
) -> list[SeriesPoint]:
    """``element``'s result and target in ``unit`` for each of ``years`` (see the module).
    Raises PermissionDenied as ``indicator_values`` does."""
    points = []
    for year in years:
        day = map_day(unit, year)
        in_force = element_in_force(element, year)
        if in_force is None:
            points.append(SeriesPoint(year, None, None, None, None, day))
            continue
        data = indicator_values(
            actor=actor,
            unit=unit,
            period=year,
            as_of=day,
            breakdown=Breakdown.UNIT,
            participants=False,
        )
        counted_by = _counted_by(data, in_force, element)
        value = target = None
        if counted_by is not None:
            value = data.value(unit, counted_by)
            target = data.value(unit, counted_by, Measure.TARGET)
        points.append(SeriesPoint(year, in_force, counted_by, value, target, day))
    return points
