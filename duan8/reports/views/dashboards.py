"""Dashboards: a unit's year at a glance, on the map of an "as of" date.

- ``dashboard_view``: progress against targets per indicator and per unit under it, participants
  by sex, ethnicity and age group, and the reports' completeness per deadline. Each chart is an
  ``<img>`` of ``dashboard_chart`` (SVG drawn by ``reports.charts``) with a table of the same
  numbers under it, for screen readers and for printing.
- ``dashboard_home``: the same page for the user's own unit (header link).

The numbers come from the roll-up (``reports.aggregate.data_values``: counts only, no names) and
from the completeness selectors of ``reports.selectors``. Access: the units where the user reads
records (``records.view``); any other unit is answered 404.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from duan8.accounts.models import User
from duan8.activities.selectors.progress import records_unit_get, records_units_of, work_year
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.predecessors import Predecessor, predecessors_in_year
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.models import ProgramElement
from duan8.reports import charts
from duan8.reports.aggregate import CELLS, AggregateData, Measure, data_values
from duan8.reports.exports.codes import org_unit_code
from duan8.reports.figures import element_number
from duan8.reports.selectors import REVIEW, State, completeness, report_state, unit_report_rows

FIRST_YEAR, LAST_YEAR = 2000, 2100
CHARTS = ("progress", "units", "participants", "completeness")
# The image of a chart may keep its inline SVG styles; it runs no script and loads nothing.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


class DashboardForm(forms.Form):
    """The year of the figures, the day of the map, and the indicator compared across units."""

    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )
    as_of = forms.DateField(
        label=gettext_lazy("On the map of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Units as they stood on this day (today if left empty)."),
    )
    indicator = forms.CharField(
        label=gettext_lazy("Indicator compared across units"), required=False, max_length=60
    )

    def __init__(self, *args: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            data["year"] = data.get("year") or work_year(self.unit)
            data["as_of"] = data.get("as_of") or default_as_of(self.unit)
        return data


def default_as_of(unit: OrgUnit) -> datetime.date:
    """Today, or the last day of a unit that has ended (huyện Ba Tơ: 30/6/2025)."""
    day = timezone.localdate()
    if unit.valid_to and day > unit.valid_to:
        return unit.valid_to
    return day


# --- what the page and the charts show ---------------------------------------------------------


@dataclass
class IndicatorLine:
    element: ProgramElement
    label: str
    actual: int | Decimal
    target: int | Decimal | None

    @property
    def row(self) -> charts.ProgressRow:
        return charts.ProgressRow(self.label, self.actual, self.target)

    @property
    def percent(self) -> int | None:
        return self.row.percent


@dataclass
class UnitLine:
    unit: OrgUnit
    actual: int | Decimal
    target: int | Decimal | None
    url: str
    # The units that became part of it, whose figures of the year are in its row, as links.
    includes: SafeString | None = None

    @property
    def row(self) -> charts.ProgressRow:
        return charts.ProgressRow(self.unit.full_name, self.actual, self.target)

    @property
    def percent(self) -> int | None:
        return self.row.percent


@dataclass
class CompletenessLine:
    due_on: datetime.date
    report: str
    on_time: int
    late: int
    missing: int
    waiting: int

    @property
    def expected(self) -> int:
        return self.on_time + self.late + self.missing + self.waiting

    @property
    def row(self) -> charts.CompletenessRow:
        label = charts.shorten(f"{self.due_on:%d/%m/%Y} · {self.report}")
        return charts.CompletenessRow(label, self.on_time, self.late, self.missing, self.waiting)


def plain(value: int | Decimal | None) -> int | Decimal | None:
    """14 rather than 14.00: targets are stored as decimals, most are whole numbers."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def indicator_label(element: ProgramElement) -> str:
    return charts.indicator_label(element_number(element.code), element.title)


def _values(data: AggregateData) -> dict[tuple[int, int, str], Any]:
    return {
        (row.unit.pk, row.element.pk, row.measure): plain(row.value)
        for row in data.rows
        if row.cell is None
    }


def indicator_lines(data: AggregateData) -> list[IndicatorLine]:
    """Each indicator's result and target for the unit, for those with either (the data page
    lists every indicator). Above a commune the plans' targets are the communes', so the unit's
    target is the sum of its children's (when they have any)."""
    values = _values(data)
    lines = []
    for element in data.elements:
        target = values.get((data.unit.pk, element.pk, Measure.TARGET))
        if target is None and data.unit.level < OrgUnit.Level.COMMUNE:
            parts = [
                values[(child.pk, element.pk, Measure.TARGET)]
                for child in data.children
                if (child.pk, element.pk, Measure.TARGET) in values
            ]
            target = sum(parts) if parts else None
        actual = values.get((data.unit.pk, element.pk, Measure.VALUE), 0)
        if actual or target is not None:
            lines.append(IndicatorLine(element, indicator_label(element), actual, target))
    return lines


def chosen_indicator(data: AggregateData, code: str) -> ProgramElement | None:
    """The indicator compared across units: the one asked for, else the first with a target
    under the unit, else the first with a result."""
    if not data.elements:
        return None
    by_code = {element.code: element for element in data.elements}
    if code in by_code:
        return by_code[code]
    values = _values(data)
    children = [child.pk for child in data.children]
    for measure in (Measure.TARGET, Measure.VALUE):
        for element in data.elements:
            if any(values.get((pk, element.pk, measure)) for pk in children):
                return element
    return data.elements[0]


def unit_lines(
    data: AggregateData,
    element: ProgramElement,
    query: dict[str, str],
    history: dict[int, SafeString] | None = None,
) -> list[UnitLine]:
    values = _values(data)
    return [
        UnitLine(
            unit=child,
            actual=values.get((child.pk, element.pk, Measure.VALUE), 0),
            target=values.get((child.pk, element.pk, Measure.TARGET)),
            url=reverse("reports:dashboard", args=[child.pk]) + "?" + urlencode(query),
            includes=(history or {}).get(child.pk),
        )
        for child in data.children
    ]


def predecessor_links(
    actor: User, units: list[OrgUnit], year: int, as_of: datetime.date
) -> dict[int, list[tuple[Predecessor, str | None]]]:
    """For each unit (by id), the units that became part of it by ``as_of`` and existed in
    ``year``, whose figures the roll-up counts in it, each with the link to its own dashboard
    on its last day (None when the actor may not read it)."""
    found = predecessors_in_year(units, year, on=as_of)
    ids = {p.unit.pk for items in found.values() for p in items}
    readable = set(
        org_units_visible_to(actor, "records.view").filter(pk__in=ids).values_list("pk", flat=True)
    )
    links: dict[int, list[tuple[Predecessor, str | None]]] = {}
    for unit_id, items in found.items():
        links[unit_id] = [
            (
                p,
                reverse("reports:dashboard", args=[p.unit.pk])
                + "?"
                + urlencode({"year": year, "as_of": p.last_day.isoformat()})
                if p.unit.pk in readable
                else None,
            )
            for p in items
        ]
    return links


def _names(items: list[tuple[Predecessor, str | None]], *, dated: bool = False) -> SafeString:
    """The units as links, separated by commas; ``dated``: each with its last day (the old and
    the new tỉnh Quảng Ngãi share a name)."""
    return format_html_join(
        ", ",
        "{}{}",
        (
            (
                format_html('<a href="{}">{}</a>', url, p.unit.full_name)
                if url
                else p.unit.full_name,
                " (" + _("until %(end)s") % {"end": p.last_day.strftime("%d/%m/%Y")} + ")"
                if dated
                else "",
            )
            for p, url in items
        ),
    )


def participant_rows(data: AggregateData) -> list[charts.ParticipantRow]:
    """Participants of each indicator's events in the unit (an event counted by two indicators
    appears under both, so the rows are not added up)."""
    people: dict[int, dict[Any, int]] = {}
    for row in data.rows:
        if row.cell is not None and row.unit.pk == data.unit.pk:
            people.setdefault(row.element.pk, {})[row.cell] = int(row.value)
    rows = []
    for element in data.elements:
        cells = people.get(element.pk)
        if not cells:
            continue
        count = {cell: cells.get(cell, 0) for cell in CELLS}
        rows.append(
            charts.ParticipantRow(
                indicator_label(element),
                women=sum(n for c, n in count.items() if c.sex == "F"),
                men=sum(n for c, n in count.items() if c.sex == "M"),
                minority=sum(n for c, n in count.items() if c.minority),
                children=sum(n for c, n in count.items() if c.age_group == "child"),
            )
        )
    return rows


def completeness_lines(actor: User, unit: OrgUnit, year: int) -> list[CompletenessLine] | None:
    """Reports on time, late, not reported, per deadline of ``year``: of the units under
    ``unit`` for its reviewers, of the commune itself for those who read its records; None where
    neither applies (a village, a level above without the right to review)."""
    today = timezone.localdate()
    if unit.level <= OrgUnit.Level.COMMUNE and can(actor, REVIEW, unit):
        return [
            CompletenessLine(
                c.deadline.due_on, c.deadline.schedule.name, c.on_time, c.late, c.missing, c.waiting
            )
            for c in completeness(actor=actor, area=unit, year=year, today=today)
        ]
    if unit.level != OrgUnit.Level.COMMUNE:
        return None
    lines = []
    for row in unit_report_rows(actor=actor, unit=unit, year=year):
        state = report_state(row.report, row.deadline.due_on, today)
        lines.append(
            CompletenessLine(
                row.deadline.due_on,
                row.deadline.schedule.name,
                on_time=int(state == State.ON_TIME),
                late=int(state == State.LATE),
                missing=int(state == State.MISSING),
                waiting=int(state == State.WAITING),
            )
        )
    return lines


# --- views --------------------------------------------------------------------------------------


def _query(form: DashboardForm, **extra: str) -> dict[str, str]:
    query = {
        "year": str(form.cleaned_data["year"]),
        "as_of": form.cleaned_data["as_of"].isoformat(),
    }
    query.update(extra)
    return query


def _aggregate(request: HttpRequest, unit: OrgUnit, form: DashboardForm) -> AggregateData:
    return data_values(
        actor=request.user,
        unit=unit,
        period=form.cleaned_data["year"],
        as_of=form.cleaned_data["as_of"],
    )


def _form(request: HttpRequest, unit: OrgUnit) -> DashboardForm:
    """The query, with the defaults filled in so the form shows what the page shows."""
    query = request.GET.copy()
    if not query.get("year"):
        query["year"] = str(work_year(unit))
    if not query.get("as_of"):
        query["as_of"] = default_as_of(unit).isoformat()
    return DashboardForm(query, unit=unit)


def _render(
    request: HttpRequest, unit: OrgUnit, own_units: list[OrgUnit] | None = None
) -> HttpResponse:
    form = _form(request, unit)
    context: dict[str, Any] = {
        "unit": unit,
        "form": form,
        "own_units": [u for u in own_units or [] if u.pk != unit.pk],
    }
    if not form.is_valid():
        return render(request, "reports/dashboard_unit.html", context)
    try:
        data = _aggregate(request, unit, form)
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(request, "reports/dashboard_unit.html", context)
    element = chosen_indicator(data, form.cleaned_data["indicator"])
    query = _query(form)
    chart_query = urlencode(_query(form, indicator=element.code if element else ""))
    year = form.cleaned_data["year"]
    # Units merged into the unit or its children: their figures of the year are in its rows.
    history = predecessor_links(
        request.user, [unit, *data.children], year, form.cleaned_data["as_of"]
    )
    includes = {
        unit_id: format_html(_("(including {units})"), units=_names(items))
        for unit_id, items in history.items()
    }
    context.update(
        data=data,
        year=year,
        as_of=form.cleaned_data["as_of"],
        indicators=indicator_lines(data),
        element=element,
        indicator_choices=[(e.code, indicator_label(e)) for e in data.elements],
        targets_summed=unit.level < OrgUnit.Level.COMMUNE,
        element_label=indicator_label(element) if element else "",
        units=unit_lines(data, element, query, includes) if element else [],
        predecessors=history.get(unit.pk, []),
        predecessor_names=_names(history.get(unit.pk, []), dated=True),
        participants=participant_rows(data),
        completeness=completeness_lines(request.user, unit, year),
        charts={
            name: reverse("reports:dashboard_chart", args=[unit.pk, name]) + "?" + chart_query
            for name in CHARTS
        },
        data_url=reverse("reports:data_rollup", args=[org_unit_code(unit)])
        + "?"
        + urlencode(query),
    )
    return render(request, "reports/dashboard_unit.html", context)


@require_safe
def dashboard_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = records_unit_get(actor=request.user, unit_id=pk)
    return _render(request, unit)


@require_safe
def dashboard_home(request: HttpRequest) -> HttpResponse:
    """The dashboard of the user's own unit (the highest one where they read records)."""
    units = records_units_of(request.user)
    if not units:
        return render(request, "reports/dashboard_none.html")
    return _render(request, units[0], own_units=units)


def _chart_figure(request: HttpRequest, unit: OrgUnit, name: str, form: DashboardForm) -> Any:
    year = form.cleaned_data["year"]
    if name == "completeness":
        lines = completeness_lines(request.user, unit, year) or []
        return charts.chart_completeness([line.row for line in lines])
    data = _aggregate(request, unit, form)
    if name == "progress":
        return charts.chart_progress([line.row for line in indicator_lines(data)])
    if name == "participants":
        return charts.chart_participants(participant_rows(data))
    element = chosen_indicator(data, form.cleaned_data["indicator"])
    lines = unit_lines(data, element, {}) if element else []
    return charts.chart_unit_progress([line.row for line in lines])


@require_safe
def dashboard_chart(request: HttpRequest, pk: int, chart: str) -> HttpResponse:
    """One chart of the dashboard as an SVG image (the page shows the numbers in tables)."""
    unit = records_unit_get(actor=request.user, unit_id=pk)
    if chart not in CHARTS:
        raise Http404(_("No such chart."))
    form = _form(request, unit)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        figure = _chart_figure(request, unit, chart, form)
    except ValidationError:
        return HttpResponse(status=400)
    response = HttpResponse(charts.figure_svg(figure), content_type="image/svg+xml")
    response["Content-Security-Policy"] = SVG_POLICY
    response["Cache-Control"] = "private, no-cache"  # the records may change at any time
    return response
