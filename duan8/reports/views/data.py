"""Aggregate data: a unit's indicators (and its children's) on the map of a date, and the same
as Excel, DHIS2 JSON or ADX XML.

Views translate: they read the query, call ``activities.values.indicator_values`` /
``data_export`` and show what they return or refuse. A unit the user may not see is answered
404 (its existence is not confirmed).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duan8.accounts.http import AuthedRequest
from duan8.accounts.permissions import RECORDS_VIEW
from duan8.activities.rule_filters import Period
from duan8.activities.values import (
    IndicatorValues,
    Measure,
    as_of_within,
    indicator_values,
)
from duan8.core.audit import NotVisible
from duan8.jobs.views import job_request
from duan8.orgunits.models import OrgUnit, OrgUnitSuccession
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.models import ProgramElement, format_count
from duan8.reports.exports import FORMATS, data_export
from duan8.reports.exports.codes import org_unit_code, org_unit_from_code
from duan8.reports.exports.jobs import KIND as EXPORT_JOB
from duan8.reports.exports.jobs import data_export_params, export_as_job

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DataQueryForm(forms.Form):
    """A year, or a range of days; and the date of the map to show them on."""

    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False
    )
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=DATE_INPUT)
    as_of = forms.DateField(
        label=gettext_lazy("On the map of"),
        required=False,
        widget=DATE_INPUT,
        help_text=gettext_lazy(
            "Units as they stood on this day: in a view as of 2026, the figures of communes "
            "merged on 1/7/2025 count under the new commune."
        ),
    )

    def __init__(self, *args: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start or end:
            if not (start and end):
                raise ValidationError(_("Give both the first and the last day, or a year."))
            period = Period(start, end)
        else:
            period = Period.year(data.get("year") or default_year(self.unit))
        data["period"] = period
        data["as_of"] = data.get("as_of") or as_of_within(self.unit, period)
        return data


def default_year(unit: OrgUnit) -> int:
    """This year, or the unit's last year for a unit that has ended."""
    year = timezone.localdate().year
    return min(year, unit.valid_to.year) if unit.valid_to else year


def _visible_unit(request: AuthedRequest, code: str) -> OrgUnit:
    try:
        unit = org_unit_from_code(code, on=timezone.localdate())
    except (OrgUnit.DoesNotExist, OrgUnit.MultipleObjectsReturned):
        raise NotVisible(_("Administrative unit not found.")) from None
    if not org_units_visible_to(request.user, RECORDS_VIEW).filter(pk=unit.pk).exists():
        raise NotVisible(_("Administrative unit not found."))
    return unit


@dataclass
class Line:
    element: ProgramElement
    cells: list[tuple[int | Decimal, str]]  # per unit: (result, target as printed or "")


@dataclass
class ParticipantLine:
    element: ProgramElement
    women: int
    men: int
    minority: int
    children: int
    total: int


def _lines(data: IndicatorValues) -> tuple[list[Line], list[ParticipantLine]]:
    values: dict[tuple[int, int, str], Any] = {
        (row.unit.pk, row.element.pk, row.measure): row.value
        for row in data.rows
        if row.cell is None
    }
    lines = []
    for element in data.elements:
        cells = []
        for unit in data.units:
            target = values.get((unit.pk, element.pk, Measure.TARGET))
            cells.append(
                (
                    values.get((unit.pk, element.pk, Measure.VALUE), 0),
                    format_count(target) if target is not None else "",
                )
            )
        lines.append(Line(element, cells))
    participants = [
        ParticipantLine(
            element=element,
            women=people.women,
            men=people.men,
            minority=people.minority,
            children=people.children,
            total=people.total,
        )
        for element, people in data.participants()
    ]
    return lines, participants


def _query(form: DataQueryForm) -> dict[str, str]:
    period: Period = form.cleaned_data["period"]
    if period.start == datetime.date(period.start.year, 1, 1) and period.end == datetime.date(
        period.start.year, 12, 31
    ):
        query = {"year": str(period.start.year)}
    else:
        query = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    query["as_of"] = form.cleaned_data["as_of"].isoformat()
    return query


def _page(
    request: AuthedRequest,
    unit: OrgUnit,
    form: DataQueryForm,
    data: IndicatorValues | None,
    status: int = 200,
    successors: list[tuple] | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "unit": unit,
        "unit_code": org_unit_code(unit),
        "form": form,
        "successors": successors or [],
    }
    if data is not None:
        query = urlencode(_query(form))
        lines, participants = _lines(data)
        context.update(
            data=data,
            lines=lines,
            participants=participants,
            query=query,
            children=[
                (child, reverse("reports:data_rollup", args=[org_unit_code(child)]) + "?" + query)
                for child in data.children
            ],
            downloads=[
                (
                    label,
                    reverse("reports:data_export", args=[org_unit_code(unit)])
                    + "?"
                    + urlencode({**_query(form), "format": name}),
                )
                for name, label in [
                    ("xlsx", _("Excel (.xlsx)")),
                    ("dhis2", _("DHIS2 dataValueSets (.json)")),
                    ("adx", _("ADX (.xml)")),
                ]
            ],
        )
    return render(request, "reports/data_rollup.html", context, status=status)


def data_rollup(request: AuthedRequest, code: str) -> HttpResponse:
    """The unit's indicators, and each child's, for a period on the map of a date."""
    unit = _visible_unit(request, code)
    form = DataQueryForm(request.GET, unit=unit)
    if not form.is_valid():
        return _page(request, unit, form, None)
    try:
        data = indicator_values(
            actor=request.user,
            unit=unit,
            period=form.cleaned_data["period"],
            as_of=form.cleaned_data["as_of"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _page(request, unit, form, None, successors=_successors(request, unit, form))
    return _page(request, unit, form, data)


def _successors(request: AuthedRequest, unit: OrgUnit, form: DataQueryForm) -> list[tuple]:
    """For a unit that had ended by the chosen date: what it became, as links (visible ones)."""
    as_of = form.cleaned_data["as_of"]
    if unit.valid_to is None or as_of <= unit.valid_to:
        return []
    visible = org_units_visible_to(request.user, RECORDS_VIEW)
    query = urlencode(_query(form))
    return [
        (
            s.successor,
            reverse("reports:data_rollup", args=[org_unit_code(s.successor)]) + "?" + query,
        )
        for s in OrgUnitSuccession.objects.filter(
            predecessor=unit, successor__in=visible
        ).select_related("successor")
    ]


def data_download(request: AuthedRequest, code: str) -> HttpResponseBase:
    """The same data as a file: ``format`` xlsx, dhis2 or adx.

    A commune's or a village's file is sent as it is made. A province's or the country's (or any
    asked for with ``job=1``) is made by a job: the link shows a button, which starts it (POST)
    and leads to its page, with a progress bar and then the file (``exports/jobs.py``)."""
    unit = _visible_unit(request, code)
    form = DataQueryForm(request.GET, unit=unit)
    chosen = request.GET.get("format", "xlsx")
    if not form.is_valid():
        return _page(request, unit, form, None, status=400)
    if request.method == "POST" or request.GET.get("job") == "1" or export_as_job(unit):
        if chosen not in FORMATS:
            form.add_error(
                None,
                _("Unknown format %(format)s; choose one of %(formats)s.")
                % {"format": chosen, "formats": ", ".join(FORMATS)},
            )
            return _page(request, unit, form, None, status=400)
        back = reverse("reports:data_rollup", args=[code]) + "?" + urlencode(_query(form))
        try:
            return job_request(
                request,
                kind=EXPORT_JOB,
                params=data_export_params(
                    unit=unit,
                    period=form.cleaned_data["period"],
                    as_of=form.cleaned_data["as_of"],
                    format=chosen,
                ),
                title=_("Data of %(unit)s as a file") % {"unit": unit.full_name},
                intro=_(
                    "The file holds every figure of %(unit)s and of the units under it; for a"
                    " province or the whole country it takes a while. It is made in the"
                    " background: you will see its progress, then a link to the file."
                )
                % {"unit": unit.full_name},
                back_url=back,
                back_label=unit.full_name,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return _page(request, unit, form, None, status=400)
    try:
        export = data_export(
            actor=request.user,
            unit=unit,
            period=form.cleaned_data["period"],
            as_of=form.cleaned_data["as_of"],
            format=chosen if chosen in FORMATS else "",
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _page(request, unit, form, None, status=400)
    # Sent as it is made: a million values take little memory (bench/bench_export_stream.py).
    response = StreamingHttpResponse(export.chunks(), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
