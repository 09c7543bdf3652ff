"""An indicator's series across years, across the program change and the map change.

``indicator_series(actor, unit, element, years)`` asks the one engine for every year at once
(``values.periods.indicator_values_over``: ``indicator_values`` of each year in a number of
queries that does not grow with the years), for the element in force that year
(``programs.structure.element_in_force``: the phase-I indicator up to 2025, the phase-II
indicator the crosswalk links it to from 2026), on the map of that year (its last day, or the
unit's own first or last day when the unit did not exist all year: xã Đặng Thùy Trâm's 2023 is
read on 1/7/2025, where the engine counts xã Ba Trang's and xã Ba Khâm's records in it).

A phase-II indicator has no counting rule of its own until one is written for it; its year is
then counted by the rules of the element it continues (``counted_by``), and the point says so.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from duan8.activities.values.engine import require_visible
from duan8.activities.values.periods import indicator_values_over
from duan8.activities.values.result import Actor, IndicatorValues, Measure
from duan8.core.compiled import Compiled
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import ElementCrosswalk, ProgramElement
from duan8.programs.structure import _covers as covers


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


# The crosswalk's link out of an element, and into one (built once a process: core.compiled).
_LINK_FROM = Compiled(
    lambda pk: ElementCrosswalk.objects.select_related("to_element").filter(from_element_id=pk)[:1],
    prepared=True,
)
_LINK_TO = Compiled(
    lambda pk: ElementCrosswalk.objects.select_related("from_element").filter(to_element_id=pk)[:1],
    prepared=True,
)


def _chain(element: ProgramElement, *, forwards: bool) -> list[ProgramElement]:
    """The elements the crosswalk links ``element`` to, one after the other, forwards or
    backwards (a link per element each way: ``ElementCrosswalk``'s unique ends), as
    ``element_in_force`` follows them; one query per link."""
    chain: list[ProgramElement] = []
    seen = {element.pk}
    current = element
    while True:
        found = (_LINK_FROM if forwards else _LINK_TO).first(current.pk)
        if found is None:
            return chain
        current = found.to_element if forwards else found.from_element
        if current.pk in seen:
            return chain
        seen.add(current.pk)
        chain.append(current)


def elements_in_force(
    element: ProgramElement, years: list[int]
) -> dict[int, ProgramElement | None]:
    """``element_in_force(element, year)`` for each of ``years``, following each way of the
    crosswalk once (not once per year)."""
    found: dict[int, ProgramElement | None] = {}
    chains: dict[bool, list[ProgramElement]] = {}
    for year in years:
        if covers(element, year):
            found[year] = element
            continue
        forwards = element.end_year is not None and year > element.end_year
        if forwards not in chains:
            chains[forwards] = _chain(element, forwards=forwards)
        found[year] = next((e for e in chains[forwards] if covers(e, year)), None)
    return found


def indicator_series(
    *, actor: Actor, unit: OrgUnit, element: ProgramElement, years: Iterable[int]
) -> list[SeriesPoint]:
    """``element``'s result and target in ``unit`` for each of ``years`` (see the module), in
    one pass of the engine for all the years (``indicator_values_over``): the queries do not
    grow with the years. Raises PermissionDenied as ``indicator_values`` does."""
    years = list(years)
    in_force = elements_in_force(element, years)
    counted = [year for year in years if in_force[year] is not None]
    wanted = {element.pk} | {e.pk for e in in_force.values() if e is not None}
    if counted:
        results = indicator_values_over(
            actor=actor,
            unit=unit,
            readings=[(year, map_day(unit, year)) for year in counted],
            elements=wanted,
        )
    else:
        require_visible(actor, unit)
        results = []
    by_year = dict(zip(counted, results, strict=True))
    points = []
    for year in years:
        day = map_day(unit, year)
        force = in_force[year]
        data = by_year.get(year)
        if force is None or data is None:
            points.append(SeriesPoint(year, None, None, None, None, day))
            continue
        counted_by = _counted_by(data, force, element)
        value = target = None
        if counted_by is not None:
            value = data.value(unit, counted_by)
            target = data.value(unit, counted_by, Measure.TARGET)
        points.append(SeriesPoint(year, force, counted_by, value, target, day))
    return points
