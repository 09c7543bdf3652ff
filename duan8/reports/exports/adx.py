"""IHE ADX (urn:ihe:qrph:adx:2015): one ``group`` per unit, one ``dataValue`` per value.

The document validates against the loose ADX schema (``reports/data/adx/adx_loose.xsd``):
``exported`` on the root, ``orgUnit`` and ``period`` (start/duration) on each group, ``value`` a
decimal. Participants carry their dimensions as attributes (``SEX``, ``ETHNICITY``,
``AGE_GROUP``); the group's ``asOf`` says which map the units belong to.
"""

from collections import defaultdict
from collections.abc import Sequence

from django.utils import timezone
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs; none declared

from duan8.activities.values import DataValue, IndicatorValues
from duan8.reports.exports.codes import DATA_SET, data_element_code, dimensions, org_unit_code
from duan8.reports.exports.dhis2 import number_text
from duan8.reports.exports.extra import ExtraValue, by_unit
from duan8.reports.exports.periods import adx_period

NAMESPACE = "urn:ihe:qrph:adx:2015"


def document(data: IndicatorValues, extra: Sequence[ExtraValue] = ()) -> etree._Element:
    root = etree.Element(
        f"{{{NAMESPACE}}}adx",
        nsmap={None: NAMESPACE},
        exported=timezone.now().replace(microsecond=0).isoformat(),
    )
    by_unit_rows: dict[int, list[DataValue]] = defaultdict(list)
    for row in data.rows:
        by_unit_rows[row.unit.pk].append(row)
    period = adx_period(data.period)
    others = by_unit(extra)
    for unit in data.units:
        rows = by_unit_rows.get(unit.pk)
        more = others.get(unit.pk, [])
        if not rows and not more:
            continue
        group = etree.SubElement(
            root,
            f"{{{NAMESPACE}}}group",
            orgUnit=org_unit_code(unit),
            period=period,
            dataSet=DATA_SET,
            asOf=data.as_of.isoformat(),
        )
        for row in rows or []:
            etree.SubElement(
                group,
                f"{{{NAMESPACE}}}dataValue",
                dataElement=data_element_code(row.element, row.measure),
                **dimensions(row.cell),
                value=number_text(row.value),
            )
        for value in more:
            etree.SubElement(
                group,
                f"{{{NAMESPACE}}}dataValue",
                dataElement=value.data_element,
                **value.dimensions,
                value=number_text(value.value),
            )
    return root


def render(data: IndicatorValues, extra: Sequence[ExtraValue] = ()) -> bytes:
    return etree.tostring(
        document(data, extra), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
