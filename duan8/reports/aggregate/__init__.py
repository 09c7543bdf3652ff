"""Aggregate data across the changing map: ``data_values`` and what it returns."""

from duan8.reports.aggregate.values import (
    CELLS,
    SYSTEM,
    Actor,
    AggregateData,
    Cell,
    DataValue,
    Measure,
    SystemActor,
    data_values,
    period_is_year,
    period_of,
)

__all__ = [
    "CELLS",
    "SYSTEM",
    "Actor",
    "AggregateData",
    "Cell",
    "DataValue",
    "Measure",
    "SystemActor",
    "data_values",
    "period_is_year",
    "period_of",
]
