"""What ``indicator_values`` returns: values per unit, indicator, measure and participant cell."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duan8.accounts.models import User
from duan8.activities.models import AgeGroup, IndicatorRule
from duan8.activities.rule_filters import Period
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import ProgramElement


class Measure(TextChoices):
    VALUE = "value", gettext_lazy("Result")
    TARGET = "target", gettext_lazy("Target")
    PARTICIPANTS = "participants", gettext_lazy("Participants")


class Breakdown(StrEnum):
    """How the unit's value is split into rows (the unit's own row is always the total).

    - ``UNIT``: the unit alone;
    - ``CHILDREN``: and each unit directly under it on the map of the date (a commune's
      villages, a province's communes), each with the records placed under it;
    - ``ORIGIN``: and each unit the records came from across the map's history (xã Ba Trang
      and xã Ba Khâm in xã Đặng Thùy Trâm), each with its own records (the unit's own records
      are the total less theirs).
    """

    UNIT = "unit"
    CHILDREN = "children"
    ORIGIN = "origin"


@dataclass(frozen=True, order=True)
class Cell:
    """A disaggregation of participants: sex (F/M) × ethnic minority × age group."""

    sex: str
    minority: bool
    age_group: str


# Cells in the order tables print them: women first, minorities first, adults first.
CELLS = [
    Cell(sex, minority, age)
    for sex in ("F", "M")
    for minority in (True, False)
    for age in (AgeGroup.ADULT.value, AgeGroup.CHILD.value)
]


@dataclass(frozen=True)
class Participants:
    """Participants added up from their cells: by sex, minorities, children."""

    women: int = 0
    men: int = 0
    minority: int = 0
    children: int = 0

    @property
    def total(self) -> int:
        return self.women + self.men

    @classmethod
    def of(cls, cells: dict[Cell, int]) -> "Participants":
        return cls(
            women=sum(n for c, n in cells.items() if c.sex == "F"),
            men=sum(n for c, n in cells.items() if c.sex == "M"),
            minority=sum(n for c, n in cells.items() if c.minority),
            children=sum(n for c, n in cells.items() if c.age_group == AgeGroup.CHILD),
        )


@dataclass(frozen=True)
class DataValue:
    unit: OrgUnit
    element: ProgramElement
    measure: str
    value: int | Decimal
    cell: Cell | None = None


class SystemActor:
    """The command line run without ``--user``: the operator, who can read the database anyway.

    Passed explicitly, so a view can never fall into it by forgetting the user.
    """

    pk = None
    is_authenticated = False
    is_active = False
    is_superuser = False

    def get_username(self) -> str:
        return "system"

    def __str__(self) -> str:
        return str(_("System (command line)"))


SYSTEM = SystemActor()
Actor = User | SystemActor


Key = tuple[int, int, str, Cell | None]  # (row unit id, element id, measure, cell)


@dataclass
class IndicatorValues:
    """Values for ``unit`` and the units of its breakdown (``children``): ``values`` by (unit
    id, element id, measure, cell), ``rows`` the same as a list (read lazily: the progress
    pages never build it)."""

    unit: OrgUnit
    as_of: datetime.date
    period: Period
    children: list[OrgUnit]
    elements: list[ProgramElement]
    values: dict[Key, Any] = field(default_factory=dict, repr=False)
    # The rules of each indicator (element id), and the units whose records count in ``unit``.
    rules: dict[int, list[IndicatorRule]] = field(default_factory=dict)
    record_units: frozenset[int] = frozenset()

    @property
    def units(self) -> list[OrgUnit]:
        return [self.unit, *self.children]

    @cached_property
    def rows(self) -> list[DataValue]:
        """One row per unit, indicator and measure: a value always, a target and participants
        when there are."""
        rows: list[DataValue] = []
        values = self.values
        for shown in self.units:
            for element in self.elements:
                key = (shown.pk, element.pk)
                rows.append(
                    DataValue(
                        shown, element, Measure.VALUE, values.get((*key, Measure.VALUE, None), 0)
                    )
                )
                target = values.get((*key, Measure.TARGET, None))
                if target is not None:
                    rows.append(DataValue(shown, element, Measure.TARGET, target))
                for cell in CELLS:
                    count = values.get((*key, Measure.PARTICIPANTS, cell))
                    if count:
                        rows.append(DataValue(shown, element, Measure.PARTICIPANTS, count, cell))
        return rows

    @cached_property
    def _element_ids(self) -> dict[str, int]:
        return {element.code: element.pk for element in self.elements}

    def __iter__(self) -> Iterator[DataValue]:
        return iter(self.rows)

    def value(
        self,
        unit: OrgUnit,
        element: ProgramElement | str,
        measure: str = Measure.VALUE,
        cell: Cell | None = None,
    ) -> int | Decimal | None:
        """One value: ``None`` when there is none (no target, no participants in that cell, a
        unit or indicator not in the result); a unit's result without records is 0."""
        element_id = self._element_ids.get(element if isinstance(element, str) else element.code)
        if element_id is None:
            return None
        found = self.values.get((unit.pk, element_id, str(measure), cell))
        if found is None and measure == Measure.VALUE and cell is None:
            return 0 if any(unit.pk == shown.pk for shown in self.units) else None
        if measure == Measure.PARTICIPANTS and not found:
            return None
        return found

    def participants(self) -> list[tuple[ProgramElement, Participants]]:
        """The participants of each indicator's events in the unit, for the indicators with
        any (an event counted by two indicators is under both: the lines do not add up)."""
        people: dict[int, dict[Cell, int]] = {}
        for (unit_id, element_id, measure, cell), count in self.values.items():
            if (
                cell is not None
                and unit_id == self.unit.pk
                and count
                and measure == Measure.PARTICIPANTS
            ):
                people.setdefault(element_id, {})[cell] = int(count)
        return [
            (element, Participants.of(people[element.pk]))
            for element in self.elements
            if people.get(element.pk)
        ]

    def actual(self, unit: OrgUnit, element: ProgramElement) -> int:
        """The result of ``element`` in ``unit`` (0 without records)."""
        return int(self.values.get((unit.pk, element.pk, Measure.VALUE, None)) or 0)


def period_of(value: int | Period | tuple[datetime.date, datetime.date]) -> Period:
    if isinstance(value, Period):
        period = value
    elif isinstance(value, int):
        period = Period.year(value)
    else:
        period = Period(*value)
    if period.end < period.start:
        raise ValidationError(_("The period ends before it starts."))
    return period


def period_is_year(period: Period) -> bool:
    return (
        period.start.year == period.end.year
        and period.start == datetime.date(period.start.year, 1, 1)
        and period.end == datetime.date(period.start.year, 12, 31)
    )


def as_of_within(unit: OrgUnit, period: Period) -> datetime.date:
    """The map a period is read on by default: its last day, moved into the unit's lifetime
    (xã Đặng Thùy Trâm's 2023 is read on the map of 1/7/2025, the day it was formed)."""
    day = period.end
    if unit.valid_to and day > unit.valid_to:
        day = unit.valid_to
    if unit.valid_from and day < unit.valid_from:
        day = unit.valid_from
    return day
