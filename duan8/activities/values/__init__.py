"""One engine for an indicator's value: ``indicator_values(actor, unit, period, as_of,
breakdown)``.

The plan page's progress panel, the progress pages, the work page, the dashboards, the reports'
figures and the exports (ADX, DHIS2, xlsx) all read it, so a unit shows the same figure for the
same year everywhere (xã Đặng Thùy Trâm's 2025 counts xã Ba Trang's records of January–June).

- ``engine``: ``indicator_values``, the access check and the "as of" check;
- ``records``: the records' side, one query per kind of record for every rule;
- ``targets``: the communes' plans' targets beside the values;
- ``periods``: ``indicator_values_over``, the same engine for several periods in one pass (an
  indicator's series, ``series``: queries that do not grow with the years);
- ``result``: what it returns (``IndicatorValues``, its values in a compact mapping,
  ``ValueStore``, ``DataValue``, ``Measure``, ``Cell``, ``Breakdown``) and the command line's
  actor (``SYSTEM``).
"""

from duan8.activities.values.engine import indicator_values
from duan8.activities.values.periods import indicator_values_over
from duan8.activities.values.result import (
    CELLS,
    SYSTEM,
    Actor,
    Breakdown,
    Cell,
    DataValue,
    IndicatorValues,
    Measure,
    SystemActor,
    ValueStore,
    as_of_within,
    period_is_year,
    period_of,
)

__all__ = [
    "CELLS",
    "SYSTEM",
    "Actor",
    "Breakdown",
    "Cell",
    "DataValue",
    "IndicatorValues",
    "Measure",
    "SystemActor",
    "ValueStore",
    "as_of_within",
    "indicator_values",
    "indicator_values_over",
    "period_is_year",
    "period_of",
]
