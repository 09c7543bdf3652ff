"""IHE ADX (urn:ihe:qrph:adx:2015): one ``group`` per unit, one ``dataValue`` per value.

The document validates against the loose ADX schema (``reports/data/adx/adx_loose.xsd``):
``exported`` on the root, ``orgUnit`` and ``period`` (start/duration) on each group, ``value`` a
decimal. Participants carry their dimensions as attributes (``SEX``, ``ETHNICITY``,
``AGE_GROUP``); the group's ``asOf`` says which map the units belong to.

Written as it goes with lxml's incremental writer (``etree.xmlfile``): the root and each group
are opened and closed on the stream, each value is written as soon as it comes from the engine,
and the pieces are handed out every ``FLUSH_EVERY`` values; memory does not grow with the number
of values. The bytes are those ``etree.tostring(tree, pretty_print=True)`` gives for the whole
tree (the tests compare): the declaration, two spaces of indentation per level, and empty
``dataValue`` elements closed with ``/>``. The incremental writer closes an element it opened
with ``</dataValue>``, so each value is an element of its own, made without a namespace: written
inside the root's default namespace, it is ADX's ``dataValue`` (the same bytes as the tree's,
read back as ``{urn:ihe:qrph:adx:2015}dataValue``), without a redundant ``xmlns`` on each.
"""

from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, groupby

from django.utils import timezone
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs; none declared

from duan8.activities.values import DataValue, IndicatorValues
from duan8.orgunits.models import OrgUnit
from duan8.reports.exports.codes import DATA_SET, data_element_code, dimensions, org_unit_code
from duan8.reports.exports.dhis2 import number_text
from duan8.reports.exports.extra import ExtraValue, by_unit
from duan8.reports.exports.periods import adx_period
from duan8.reports.exports.rows import unit_rows

NAMESPACE = "urn:ihe:qrph:adx:2015"
DECLARATION = b"<?xml version='1.0' encoding='UTF-8'?>\n"
FLUSH_EVERY = 2000  # values between two pieces handed out (about 200 KB)


class _Pieces:
    """Where the incremental writer writes: the bytes since they were last taken."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.parts.append(data)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def _value(data_element: str, dims: dict[str, str], value: object) -> etree._Element:
    return etree.Element("dataValue", dataElement=data_element, **dims, value=number_text(value))


def _rows_by_unit(
    data: IndicatorValues, rows: Iterable[DataValue] | None
) -> Iterator[tuple[OrgUnit, Iterable[DataValue]]]:
    """Each unit of ``data.units`` with its rows: from ``data`` one at a time, or from ``rows``
    (which come unit by unit in that order)."""
    if rows is None:
        for unit in data.units:
            yield unit, unit_rows(data, unit)
        return
    grouped = groupby(rows, key=lambda row: row.unit.pk)
    pending = next(grouped, None)
    for unit in data.units:
        if pending is not None and pending[0] == unit.pk:
            yield unit, pending[1]
            pending = next(grouped, None)  # past whatever of the group was not read
        else:
            yield unit, ()


def _groups(
    data: IndicatorValues, rows: Iterable[DataValue] | None, extra: Sequence[ExtraValue]
) -> Iterator[tuple[OrgUnit, Iterator[etree._Element]]]:
    """(unit, its values as elements) for each unit that has any: its rows, then its extra."""
    others = by_unit(extra)
    for unit, own in _rows_by_unit(data, rows):
        values = chain(
            (
                _value(data_element_code(row.element, row.measure), dimensions(row.cell), row.value)
                for row in own
            ),
            (_value(v.data_element, v.dimensions, v.value) for v in others.get(unit.pk, [])),
        )
        first = next(values, None)
        if first is not None:
            yield unit, chain((first,), values)


def _chunks(
    data: IndicatorValues, rows: Iterable[DataValue] | None, extra: Sequence[ExtraValue]
) -> Iterator[bytes]:
    out = _Pieces()
    out.write(DECLARATION)
    period, as_of = adx_period(data.period), data.as_of.isoformat()
    exported = timezone.now().replace(microsecond=0).isoformat()
    written = 0
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        root = xf.element(f"{{{NAMESPACE}}}adx", nsmap={None: NAMESPACE}, exported=exported)
        with root:
            empty = True
            for unit, values in _groups(data, rows, extra):
                empty = False
                xf.write("\n  ")
                group = xf.element(
                    f"{{{NAMESPACE}}}group",
                    orgUnit=org_unit_code(unit),
                    period=period,
                    dataSet=DATA_SET,
                    asOf=as_of,
                )
                with group:
                    for value in values:
                        xf.write("\n    ")
                        xf.write(value)
                        written += 1
                        if written % FLUSH_EVERY == 0:
                            xf.flush()
                            yield out.take()
                    xf.write("\n  ")
            if not empty:
                xf.write("\n")
    out.write(b"\n")
    data_bytes = out.take()
    if empty:  # the tree writes an empty root as <adx …/>
        data_bytes = data_bytes.replace(b"></adx>\n", b"/>\n")
    yield data_bytes


def chunks(
    data: IndicatorValues,
    extra: Sequence[ExtraValue] = (),
    rows: Iterable[DataValue] | None = None,
) -> Iterator[bytes]:
    """The document in pieces. ``rows`` (by default every row of ``data``, made one at a time)
    come unit by unit in the order of ``data.units``; each unit's ``extra`` values follow its
    own."""
    return _chunks(data, rows, extra)


def render(data: IndicatorValues, extra: Sequence[ExtraValue] = ()) -> bytes:
    """The whole document at once (small exports, tests)."""
    return b"".join(chunks(data, extra))
