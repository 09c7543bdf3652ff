"""What ``indicator_values`` returns: values per unit, indicator, measure and participant cell."""

import datetime
from collections.abc import ItemsView, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Any, NamedTuple

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

# Where a (measure, cell) goes in a unit's and indicator's list of ``ValueStore``: the result,
# the target, then the participants of each cell in ``CELLS`` order.
_SLOT_KEYS: list[tuple[str, Cell | None]] = [
    (Measure.VALUE, None),
    (Measure.TARGET, None),
    *((Measure.PARTICIPANTS, cell) for cell in CELLS),
]
_SLOTS = {slot_key: slot for slot, slot_key in enumerate(_SLOT_KEYS)}
_CELLS_FROM = 2  # the slots before the participant cells: the result and the target
_TARGET_SLOT = _SLOTS[(Measure.TARGET, None)]
RESULT_SLOT = _SLOTS[(Measure.VALUE, None)]  # where ``add_at`` keeps a result


class Entry(NamedTuple):
    """What ``ValueStore.entry`` finds for a unit and an indicator (None: no such value)."""

    value: Any
    target: Any
    cells: list[tuple[Cell, Any]]  # the participant cells held, in ``CELLS`` order


class ValueStore(MutableMapping[Key, Any]):
    """The result's values by (unit id, element id, measure, cell), held compactly: a list per
    unit and indicator (the result, the target, the 8 participant cells; ``None`` where there is
    no value) instead of a dictionary entry and a 4-tuple per value. A million values took
    about 120 MB as a dictionary, about 20 MB here. Keys of other shapes (another measure, a cell
    outside ``CELLS``) are kept as they come, in a plain dictionary beside.

    A mapping like the dictionary it replaces: a key is present once set (to 0 too), ``get``
    gives the default for a missing one and ``[]`` raises KeyError; ``add`` adds to a value as
    ``defaultdict(int)``'s ``+=`` did. A value is a number: ``None`` cannot be stored. Iteration
    goes unit by unit and, within a unit, indicator by indicator (each in the order first
    written), the result, the target and the cells in ``CELLS`` order; then the other keys.
    """

    __slots__ = ("_count", "_other", "_units")

    def __init__(self, values: Mapping[Key, Any] | Iterable[tuple[Key, Any]] = ()) -> None:
        self._units: dict[Any, dict[Any, list[Any]]] = {}
        self._other: dict[Key, Any] = {}
        self._count = 0  # values held in the lists
        self.update(values)

    @staticmethod
    def _slot(key: object) -> int | None:
        if type(key) is not tuple or len(key) != 4:
            return None
        return _SLOTS.get((key[2], key[3]))

    def _list(self, unit_id: Any, element_id: Any, slot: int) -> list[Any]:
        """The list of ``unit_id`` and ``element_id``, made (or lengthened) to hold ``slot``: two
        places until a participant cell is written, then all ten."""
        entries = self._units.get(unit_id)
        if entries is None:
            entries = self._units[unit_id] = {}
        found = entries.get(element_id)
        if found is None:
            found = entries[element_id] = [None] * (
                _CELLS_FROM if slot < _CELLS_FROM else len(_SLOT_KEYS)
            )
        elif slot >= len(found):
            found.extend([None] * (len(_SLOT_KEYS) - len(found)))
        return found

    def _found(self, key: Any, slot: int) -> Any:
        entries = self._units.get(key[0])
        found = entries.get(key[1]) if entries is not None else None
        return found[slot] if found is not None and slot < len(found) else None

    def __getitem__(self, key: Key) -> Any:
        slot = self._slot(key)
        if slot is None:
            return self._other[key]
        value = self._found(key, slot)
        if value is None:
            raise KeyError(key)
        return value

    def get(self, key: Key, default: Any = None) -> Any:
        slot = self._slot(key)
        if slot is None:
            return self._other.get(key, default)
        value = self._found(key, slot)
        return default if value is None else value

    def __contains__(self, key: object) -> bool:
        slot = self._slot(key)
        if slot is None:
            return key in self._other
        return self._found(key, slot) is not None

    def __setitem__(self, key: Key, value: Any) -> None:
        if value is None:
            raise ValueError("A value of the result is a number, not None.")
        slot = self._slot(key)
        if slot is None:
            self._other[key] = value
            return
        found = self._list(key[0], key[1], slot)
        if found[slot] is None:
            self._count += 1
        found[slot] = value

    def add(self, key: Key, value: Any) -> None:
        """Add ``value`` to the key's value (0 when it has none), as ``defaultdict(int)``'s
        ``values[key] += value``."""
        slot = self._slot(key)
        if slot is None:
            self._other[key] = self._other.get(key, 0) + value
            return
        self.add_at(key[0], key[1], slot, value)

    @staticmethod
    def slot_of(measure: str, cell: Cell | None) -> int | None:
        """Where ``add_at`` keeps a measure and cell (None: kept as another key, by ``add``)."""
        return _SLOTS.get((measure, cell))

    def add_at(self, unit_id: Any, element_id: Any, slot: int, value: Any) -> None:
        """``add`` at a place found once by ``slot_of``: the records' loops add thousands."""
        entries = self._units.get(unit_id)
        found = entries.get(element_id) if entries is not None else None
        if found is None or slot >= len(found):
            found = self._list(unit_id, element_id, slot)
        old = found[slot]
        if old is None:
            self._count += 1
            found[slot] = value
        else:
            found[slot] = old + value

    def total_into(self, unit_id: Any) -> None:
        """Set ``unit_id``'s values to the sums of every unit's (its own included), targets
        excepted: a result's own row, summed from the lists rather than key by key."""
        sums: dict[Any, list[Any]] = {}
        for entries in self._units.values():
            for element_id, found in entries.items():
                acc = sums.get(element_id)
                if acc is None:
                    acc = sums[element_id] = [None] * len(_SLOT_KEYS)
                for slot, value in enumerate(found):
                    if value is not None and slot != _TARGET_SLOT:
                        held = acc[slot]
                        acc[slot] = value if held is None else held + value
        others: dict[Key, Any] = {}
        for key, value in self._other.items():
            if len(key) == 4 and key[2] != Measure.TARGET:
                total_key = (unit_id, key[1], key[2], key[3])
                others[total_key] = others.get(total_key, 0) + value
        for element_id, acc in sums.items():
            for slot, value in enumerate(acc):
                if value is not None:
                    found = self._list(unit_id, element_id, slot)
                    if found[slot] is None:
                        self._count += 1
                    found[slot] = value
        self._other.update(others)

    def __delitem__(self, key: Key) -> None:
        slot = self._slot(key)
        if slot is None:
            del self._other[key]
            return
        if self._found(key, slot) is None:
            raise KeyError(key)
        self._units[key[0]][key[1]][slot] = None
        self._count -= 1

    def __len__(self) -> int:
        return self._count + len(self._other)

    @staticmethod
    def _held(unit_id: Any, entries: dict[Any, list[Any]]) -> Iterator[tuple[Key, Any]]:
        for element_id, found in entries.items():
            for slot, value in enumerate(found):
                if value is not None:
                    measure, cell = _SLOT_KEYS[slot]
                    yield (unit_id, element_id, measure, cell), value

    def _pairs(self) -> Iterator[tuple[Key, Any]]:
        for unit_id, entries in self._units.items():
            yield from self._held(unit_id, entries)
        yield from self._other.items()

    def unit_items(self, unit_id: Any) -> Iterator[tuple[Key, Any]]:
        """The (key, value) pairs of one unit, in the order of ``items()``, without reading the
        other units'."""
        yield from self._held(unit_id, self._units.get(unit_id, {}))
        for key, value in self._other.items():
            if len(key) == 4 and key[0] == unit_id:
                yield key, value

    def __iter__(self) -> Iterator[Key]:
        return (key for key, _value in self._pairs())

    def items(self) -> "_Items":
        return _Items(self)

    def result(self, unit_id: Any, element_id: Any) -> Any:
        """The result of a unit and an indicator (None: none held): ``get((unit_id,
        element_id, Measure.VALUE, None))`` without the key's look-up, for the progress tables'
        thousand cells."""
        entries = self._units.get(unit_id)
        found = entries.get(element_id) if entries is not None else None
        return None if found is None else found[0]

    def results(self, unit_ids: list[Any], element_id: Any) -> list[int]:
        """The result of ``element_id`` in each of ``unit_ids`` (0 where none is held), as
        ints: a progress table's line of villages."""
        return [int(self.result(unit_id, element_id) or 0) for unit_id in unit_ids]

    def entry(self, unit_id: Any, element_id: Any) -> Entry:
        """The result, the target and the participant cells of a unit and an indicator, read at
        once (the rows' readers: one look-up instead of ten)."""
        entries = self._units.get(unit_id)
        found = entries.get(element_id) if entries is not None else None
        if found is None:
            return Entry(None, None, [])
        cells = [
            (CELLS[slot - _CELLS_FROM], value)
            for slot, value in enumerate(found[_CELLS_FROM:], start=_CELLS_FROM)
            if value is not None
        ]
        return Entry(found[0], found[1], cells)

    def __repr__(self) -> str:
        return f"ValueStore({len(self)} values)"


class _Items(ItemsView[Key, Any]):
    """``ValueStore.items()``: the pairs read straight from the lists, not key by key."""

    _mapping: ValueStore

    def __iter__(self) -> Iterator[tuple[Key, Any]]:
        return self._mapping._pairs()


@dataclass
class IndicatorValues:
    """Values for ``unit`` and the units of its breakdown (``children``): ``values`` by (unit
    id, element id, measure, cell) (a ``ValueStore``: a mapping, compact), ``rows`` the same as
    a list (read lazily: the progress pages never build it)."""

    unit: OrgUnit
    as_of: datetime.date
    period: Period
    children: list[OrgUnit]
    elements: list[ProgramElement]
    values: ValueStore = field(default_factory=ValueStore, repr=False)
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
        for shown in self.units:
            for element in self.elements:
                value, target, cells = self.values.entry(shown.pk, element.pk)
                rows.append(DataValue(shown, element, Measure.VALUE, 0 if value is None else value))
                if target is not None:
                    rows.append(DataValue(shown, element, Measure.TARGET, target))
                for cell, count in cells:
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
        for (_unit_id, element_id, measure, cell), count in self.values.unit_items(self.unit.pk):
            if cell is not None and count and measure == Measure.PARTICIPANTS:
                people.setdefault(element_id, {})[cell] = int(count)
        return [
            (element, Participants.of(people[element.pk]))
            for element in self.elements
            if people.get(element.pk)
        ]

    def actual(self, unit: OrgUnit, element: ProgramElement) -> int:
        """The result of ``element`` in ``unit`` (0 without records)."""
        return int(self.values.result(unit.pk, element.pk) or 0)


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
