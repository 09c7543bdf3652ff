"""The engine's values one row at a time, for the writers that stream.

``IndicatorValues.rows`` is a list (cached on the result): for a million values that is a
million ``DataValue`` objects held at once, on top of the engine's own values. The exports
read ``data_rows`` instead: the same rows in the same order (unit by unit, as ``data.units``
lists them; within a unit, indicator by indicator: the value, the target when there is one, the
participants by cell), made one at a time and dropped once written.
"""

from collections.abc import Iterator

from duan8.activities.values import DataValue, IndicatorValues, Measure
from duan8.orgunits.models import OrgUnit


def unit_rows(data: IndicatorValues, unit: OrgUnit) -> Iterator[DataValue]:
    """The rows of one unit of ``data.units``."""
    values = data.values
    for element in data.elements:
        value, target, cells = values.entry(unit.pk, element.pk)
        yield DataValue(unit, element, Measure.VALUE, 0 if value is None else value)
        if target is not None:
            yield DataValue(unit, element, Measure.TARGET, target)
        for cell, count in cells:
            if count:
                yield DataValue(unit, element, Measure.PARTICIPANTS, count, cell)


def data_rows(data: IndicatorValues) -> Iterator[DataValue]:
    """Every row of ``data``, as ``data.rows`` lists them, without building the list."""
    for unit in data.units:
        yield from unit_rows(data, unit)


def row_count(data: IndicatorValues) -> int:
    """``len(data.rows)`` without building a row: a result per unit and indicator, plus the
    targets and the participant cells that hold a count."""
    values = data.values
    count = 0
    for unit in data.units:
        for element in data.elements:
            _value, target, cells = values.entry(unit.pk, element.pk)
            count += 1 + (target is not None) + sum(1 for _cell, n in cells if n)
    return count
