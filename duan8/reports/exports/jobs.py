"""A data export as a job (issue 18): the file written by a worker, with a progress bar.

Named ``reports.data_export`` in ``settings.JOB_KINDS``. The download page sends a province's or
the country's export here (their figures take seconds to read, and the file may hold hundreds of
thousands of values), and any export asked for with ``job=1``; a commune's or a village's file is
streamed at once. The worker calls ``data_export`` as the page does (the same rights, the same
audit entry, the same bytes) and writes the file as it is made into the job's file, never whole
in memory.

``params``: ``{"unit": "VN-QD19-51", "period": "2023" | "2023-10-01..2023-12-31", "as_of":
"2026-01-01", "format": "xlsx", "children": true, "minute": "2026-03-04T10:15"}``. The minute the
file was asked for makes a new file for a new request (the records change), while a second tap
within the minute leads to the first job (``jobs.services.job_submit``).
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duan8.accounts.models import User
from duan8.accounts.permissions import RECORDS_VIEW
from duan8.activities.rule_filters import Period
from duan8.core.audit import NotVisible
from duan8.jobs.kinds import JobContext, JobKind, JobOutput
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_units_visible_to
from duan8.reports.exports import FORMATS, data_export
from duan8.reports.exports.codes import org_unit_code, org_unit_from_code
from duan8.reports.exports.periods import dhis2_period

KIND = "reports.data_export"
JOB_FROM_LEVEL = OrgUnit.Level.PROVINCE  # this level and above export through a job


def export_as_job(unit: OrgUnit) -> bool:
    return unit.level <= JOB_FROM_LEVEL


def data_export_params(
    *, unit: OrgUnit, period: Period, as_of: datetime.date, format: str, children: bool = True
) -> dict[str, Any]:
    whole_year = period.start == datetime.date(period.start.year, 1, 1) and (
        period.end == datetime.date(period.start.year, 12, 31)
    )
    return {
        "unit": org_unit_code(unit),
        "period": (
            str(period.start.year)
            if whole_year
            else f"{period.start.isoformat()}..{period.end.isoformat()}"
        ),
        "as_of": as_of.isoformat(),
        "format": format,
        "children": children,
        "minute": timezone.now().strftime("%Y-%m-%dT%H:%M"),
    }


def _period(text: str) -> Period:
    try:
        if text.isdigit():
            return Period.year(int(text))
        start, _sep, end = text.partition("..")
        return Period(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
    except ValueError:
        raise ValidationError(
            _("%(text)s is not a period: give a year (2023) or two dates (2023-10-01..2023-12-31).")
            % {"text": text}
        ) from None


def _read(actor: User | None, params: dict[str, Any]) -> tuple[User, OrgUnit, Period, Any]:
    """The actor, unit, period and day of ``params``, once the actor may read the unit."""
    if actor is None:
        raise PermissionDenied
    if params.get("format") not in FORMATS:
        raise ValidationError(
            _("Unknown format %(format)s; choose one of %(formats)s.")
            % {"format": params.get("format"), "formats": ", ".join(FORMATS)}
        )
    period = _period(str(params.get("period", "")))
    try:
        as_of = datetime.date.fromisoformat(str(params.get("as_of", "")))
    except ValueError:
        raise ValidationError(
            _("%(text)s is not a date.") % {"text": params.get("as_of")}
        ) from None
    try:
        unit = org_unit_from_code(str(params.get("unit", "")), on=as_of)
    except (OrgUnit.DoesNotExist, OrgUnit.MultipleObjectsReturned):
        raise NotVisible(_("Administrative unit not found.")) from None
    if not org_units_visible_to(actor, RECORDS_VIEW).filter(pk=unit.pk).exists():
        raise NotVisible(_("Administrative unit not found."))
    if params["format"] == "dhis2":
        dhis2_period(period)  # a span DHIS2 has no period type for: refused before queuing
    return actor, unit, period, as_of


def data_export_check(actor: User | None, params: dict[str, Any]) -> None:
    _read(actor, params)


def data_export_run(ctx: JobContext) -> JobOutput:
    actor, unit, period, as_of = _read(ctx.actor, ctx.params)  # rights may have changed
    ctx.progress(5, _("Reading the figures of %(unit)s…") % {"unit": unit.full_name})

    def written(done: int, total: int) -> None:
        ctx.progress(
            10 + 85 * done // max(total, 1),
            _("Writing the file: %(done)s of %(total)s values…") % {"done": done, "total": total},
        )

    export = data_export(
        actor=actor,
        unit=unit,
        period=period,
        as_of=as_of,
        format=ctx.params["format"],
        children=bool(ctx.params.get("children", True)),
        progress=written,
    )
    ctx.progress(10, _("Writing the file: %(total)s values…") % {"total": export.rows})
    with ctx.output_path.open("wb") as stream:
        export.write_to(stream)
    return JobOutput(export.filename, export.content_type)


def data_export_back(params: dict[str, Any]) -> str:
    query = {"as_of": params["as_of"]}
    start, sep, end = str(params["period"]).partition("..")
    query |= {"start": start, "end": end} if sep else {"year": start}
    return reverse("reports:data_rollup", args=[params["unit"]]) + "?" + urlencode(query)


DATA_EXPORT = JobKind(
    label=gettext_lazy("Data export"),
    check=data_export_check,
    run=data_export_run,
    back_url=data_export_back,
)
