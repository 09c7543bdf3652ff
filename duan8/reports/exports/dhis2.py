"""DHIS2 dataValueSet (DXF2) JSON, identified by codes (``"idScheme": "code"``).

Shape as in DHIS2's ``DataValueSet``/``DataValue``: set-level ``dataSet``, ``period``,
``orgUnit``; one entry per value with ``dataElement``, ``period``, ``orgUnit``,
``categoryOptionCombo`` and ``value`` (always a string). A unit's value includes its
children's: a DHIS2 that adds up its own hierarchy should import one level (``--no-children``).

Written as it goes (``chunks``): the envelope, then each value as it comes from the engine, in
pieces of about ``CHUNK_BYTES``; memory does not grow with the number of values. The text is the
one ``json.dumps(..., ensure_ascii=False, indent=1)`` gives for the whole set, byte for byte.
"""

import json
from collections.abc import Iterable, Iterator, Sequence

from duan8.activities.values import DataValue, IndicatorValues
from duan8.reports.exports.codes import (
    DATA_SET,
    category_option_combo,
    data_element_code,
    org_unit_code,
)
from duan8.reports.exports.extra import ExtraValue
from duan8.reports.exports.periods import dhis2_period
from duan8.reports.exports.rows import data_rows

CHUNK_BYTES = 64 * 1024
_quote = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False
# One entry of "dataValues" as json.dumps(indent=1) lays it out at that depth.
_ENTRY = (
    '  {\n   "dataElement": %s,\n   "period": %s,\n   "orgUnit": %s,\n'
    '   "categoryOptionCombo": %s,\n   "value": %s\n  }'
)


def number_text(value: object) -> str:
    """``12``, ``12.5``: no exponent, no trailing zeros."""
    text = f"{value:f}" if not isinstance(value, int) else str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _entries(
    rows: Iterable[DataValue], extra: Sequence[ExtraValue]
) -> Iterator[tuple[str, str, str, str]]:
    """(dataElement, orgUnit quoted, categoryOptionCombo, value) of each value, the engine's
    first."""
    codes: dict[int, str] = {}  # a unit's code, worked out once per unit
    for row in rows:
        unit = codes.get(row.unit.pk)
        if unit is None:
            unit = codes[row.unit.pk] = _quote(org_unit_code(row.unit))
        yield (
            data_element_code(row.element, row.measure),
            unit,
            category_option_combo(row.cell),
            number_text(row.value),
        )
    for value in extra:
        yield (
            value.data_element,
            _quote(org_unit_code(value.unit)),
            value.combo,
            number_text(value.value),
        )


def _chunks(
    data: IndicatorValues, period: str, rows: Iterable[DataValue], extra: Sequence[ExtraValue]
) -> Iterator[bytes]:
    head = {"idScheme": "code", "dataSet": DATA_SET, "period": period}
    head["orgUnit"] = org_unit_code(data.unit)
    parts = ["{\n"]
    parts += [f" {_quote(key)}: {_quote(value)},\n" for key, value in head.items()]
    parts.append(' "dataValues": [')
    quoted_period = _quote(period)
    size, first = 0, True
    for element, unit, combo, value in _entries(rows, extra):
        entry = _ENTRY % (_quote(element), quoted_period, unit, _quote(combo), _quote(value))
        parts.append(("\n" if first else ",\n") + entry)
        first = False
        size += len(entry)
        if size >= CHUNK_BYTES:
            yield "".join(parts).encode("utf-8")
            parts, size = [], 0
    parts.append("]\n}" if first else "\n ]\n}")
    yield "".join(parts).encode("utf-8")


def chunks(
    data: IndicatorValues,
    extra: Sequence[ExtraValue] = (),
    rows: Iterable[DataValue] | None = None,
) -> Iterator[bytes]:
    """The document in pieces: ``rows`` (by default every row of ``data``, made one at a time)
    then ``extra``. Raises ValidationError at once for a period DHIS2 has no type for."""
    period = dhis2_period(data.period)  # checked before the first byte
    return _chunks(data, period, data_rows(data) if rows is None else rows, extra)


def render(data: IndicatorValues, extra: Sequence[ExtraValue] = ()) -> bytes:
    """The whole document at once (small exports, tests)."""
    return b"".join(chunks(data, extra))
