"""The engine's values one row at a time, for the writers that stream.

``IndicatorValues.rows`` is a list (cached on the result): for a million values that is a
million ``DataValue`` objects held at once, on top of the engine's own dictionary. The exports
read ``data_rows`` instead: the same rows in the same order (unit by unit, as ``data.units``
lists them; within a unit, indicator by indicator: the value, the target when there is one, the
participants by cell), made one at a time and dropped once written.
"""

from collections.abc import Iterator

from duan8.activities.values import CELLS, DataValue, IndicatorValues, Measure
from duan8.orgunits.models import OrgUnit


def unit_rows(data: IndicatorValues, unit: OrgUnit) -> Iterator[DataValue]:
    """The rows of one unit of ``data.units``."""
    values = data.values
    for element in data.elements:
        key = (unit.pk, element.pk)
        yield DataValue(unit, element, Measure.VALUE, values.get((*key, Measure.VALUE, None), 0))
        target = values.get((*key, Measure.TARGET, None))
        if target is not None:
            yield DataValue(unit, element, Measure.TARGET, target)
        for cell in CELLS:
            count = values.get((*key, Measure.PARTICIPANTS, cell))
            if count:
                yield DataValue(unit, element, Measure.PARTICIPANTS, count, cell)


def data_rows(data: IndicatorValues) -> Iterator[DataValue]:
    """Every row of ``data``, as ``data.rows`` lists them, without building the list."""
    for unit in data.units:
        yield from unit_rows(data, unit)


def row_count(data: IndicatorValues) -> int:
    """``len(data.rows)`` without building a row: a result per unit and indicator, plus the
    targets and the participant cells that hold a count."""
    shown = {unit.pk for unit in data.units}
    elements = {element.pk for element in data.elements}
    cells = set(CELLS)
    count = len(shown) * len(elements)
    for (unit_id, element_id, measure, cell), value in data.values.items():
        if unit_id not in shown or element_id not in elements:
            continue
        target = measure == Measure.TARGET and cell is None and value is not None
        count += target or (measure == Measure.PARTICIPANTS and cell in cells and bool(value))
    return count
