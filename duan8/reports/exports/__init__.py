"""Exports of aggregate data: DHIS2 dataValueSets JSON, ADX XML, Excel.

``data_export`` is the one entry point of the download view and of ``duan8 data_export``: it
reads the data as the actor may (the engine, ``activities.values.indicator_values``, refuses a
unit the actor may not see), renders it and records ``reports.data.exported`` in the audit
trail. Nothing is written when it refuses.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from duan8.activities.rule_filters import Period
from duan8.activities.values import Actor, Breakdown, SystemActor, indicator_values
from duan8.core import audit
from duan8.orgunits.models import OrgUnit
from duan8.reports.exports import adx, dhis2, xlsx
from duan8.reports.exports.codes import org_unit_code
from duan8.reports.exports.extra import extra_values
from duan8.reports.exports.periods import period_label

FORMATS = {
    "adx": (adx.render, "application/adx+xml", "adx.xml"),
    "dhis2": (dhis2.render, "application/json", "dhis2.json"),
    "xlsx": (
        xlsx.render,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def data_export(
    *,
    actor: Actor,
    unit: OrgUnit,
    period: int | Period,
    as_of: datetime.date,
    format: str,
    children: bool = True,
) -> ExportFile:
    """The unit's aggregate data (and its children's) on the map of ``as_of``, as a file.

    Raises PermissionDenied for a unit the actor may not see, ValidationError for a bad period,
    ``as_of`` or format; the audit trail records each file produced.
    """
    if format not in FORMATS:
        raise ValidationError(
            _("Unknown format %(format)s; choose one of %(formats)s.")
            % {"format": format, "formats": ", ".join(FORMATS)}
        )
    breakdown = Breakdown.CHILDREN if children else Breakdown.UNIT
    data = indicator_values(actor=actor, unit=unit, period=period, as_of=as_of, breakdown=breakdown)
    if not data.rows:
        raise ValidationError(_("There is nothing to export: no indicator rules are loaded."))
    _render, content_type, extension = FORMATS[format]
    if format == "xlsx":
        content = xlsx.render(data)
    else:  # with the values of the apps above (settings.DATA_EXPORT_EXTENSIONS): the money's
        extra = extra_values(
            actor=actor, unit=unit, period=data.period, as_of=as_of, children=children, data=data
        )
        content = (adx.render if format == "adx" else dhis2.render)(data, extra)
    filename = (
        f"duan8_{org_unit_code(unit)}_{period_label(data.period)}"
        f"_asof_{as_of.isoformat()}.{extension}"
    )
    audit.record(
        actor=actor,
        actor_name=str(actor) if isinstance(actor, SystemActor) else "",
        action="reports.data.exported",
        org_unit=unit,
        message=(
            f"{format} {org_unit_code(unit)} {period_label(data.period)} "
            f"as-of {as_of.isoformat()} children={children} rows={len(data.rows)}"
        ),
    )
    return ExportFile(content=content, content_type=content_type, filename=filename)
