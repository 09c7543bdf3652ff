"""Values of apps above ``reports`` in the exchange files (DHIS2, ADX): the extension point.

``settings.DATA_EXPORT_EXTENSIONS`` lists functions (dotted paths, as ``UNIT_PAGE_PANELS``) taking
``actor``, ``unit``, ``period``, ``as_of``, ``children`` (and the engine's ``data``: its units are
the rows) and returning ``ExtraValue``s: the money app adds the disbursement (``DA8_FIN_*``).
Each value names its data element by a stable code and its dimensions (ADX attributes; DHIS2's
category option combo is their values joined by "_", ``default`` without any).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from duan8.orgunits.models import OrgUnit
from duan8.reports.exports.codes import DEFAULT_COMBO


@dataclass(frozen=True)
class ExtraValue:
    unit: OrgUnit
    data_element: str
    value: int | Decimal
    dimensions: dict[str, str] = field(default_factory=dict)

    @property
    def combo(self) -> str:
        return "_".join(self.dimensions.values()) or DEFAULT_COMBO


def extra_values(**kwargs: Any) -> list[ExtraValue]:
    """The values every extension adds (none when no extension is configured)."""
    found: list[ExtraValue] = []
    for dotted in getattr(settings, "DATA_EXPORT_EXTENSIONS", ()):
        found += import_string(dotted)(**kwargs)
    return found


def by_unit(values: Iterable[ExtraValue]) -> dict[int, list[ExtraValue]]:
    grouped: dict[int, list[ExtraValue]] = {}
    for value in values:
        grouped.setdefault(value.unit.pk, []).append(value)
    return grouped
