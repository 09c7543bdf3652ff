"""DHIS2 dataValueSet (DXF2) JSON, identified by codes (``"idScheme": "code"``).

Shape as in DHIS2's ``DataValueSet``/``DataValue``: set-level ``dataSet``, ``period``,
``orgUnit``; one entry per value with ``dataElement``, ``period``, ``orgUnit``,
``categoryOptionCombo`` and ``value`` (always a string). A unit's value includes its
children's: a DHIS2 that adds up its own hierarchy should import one level (``--no-children``).
"""

import json
from collections.abc import Sequence

from duan8.activities.values import IndicatorValues
from duan8.reports.exports.codes import (
    DATA_SET,
    category_option_combo,
    data_element_code,
    org_unit_code,
)
from duan8.reports.exports.extra import ExtraValue
from duan8.reports.exports.periods import dhis2_period


def number_text(value: object) -> str:
    """``12``, ``12.5``: no exponent, no trailing zeros."""
    text = f"{value:f}" if not isinstance(value, int) else str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def data_value_set(data: IndicatorValues, extra: Sequence[ExtraValue] = ()) -> dict:
    period = dhis2_period(data.period)
    return {
        "idScheme": "code",
        "dataSet": DATA_SET,
        "period": period,
        "orgUnit": org_unit_code(data.unit),
        "dataValues": [
            {
                "dataElement": data_element_code(row.element, row.measure),
                "period": period,
                "orgUnit": org_unit_code(row.unit),
                "categoryOptionCombo": category_option_combo(row.cell),
                "value": number_text(row.value),
            }
            for row in data.rows
        ]
        + [
            {
                "dataElement": value.data_element,
                "period": period,
                "orgUnit": org_unit_code(value.unit),
                "categoryOptionCombo": value.combo,
                "value": number_text(value.value),
            }
            for value in extra
        ],
    }


def render(data: IndicatorValues, extra: Sequence[ExtraValue] = ()) -> bytes:
    return json.dumps(data_value_set(data, extra), ensure_ascii=False, indent=1).encode("utf-8")
