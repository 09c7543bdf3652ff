"""Dashboards: a unit's year at a glance, on the map of an "as of" date.

- ``dashboard_view``: progress against targets per indicator and per unit under it, participants
  by sex, ethnicity and age group, the indicator over the years, and the reports' completeness
  per deadline. The roll-up is computed once per page; each chart is drawn inline as small SVG
  (``reports.page_charts``) from the rows of the table under it (for screen readers and for
  printing): no second request, nothing computed twice.
- ``dashboard_chart``: one chart alone, as an SVG image (to save or embed; the page does not use
  it).
- ``dashboard_home``: the same page for the user's own unit (header link).

The rows are built by ``reports.selectors.dashboards`` (the numbers of the one engine,
``activities.values.indicator_values``: counts only, no names, and the completeness selectors);
this module reads the query, adds the links and renders. Access: the units where the user reads
records (``records.view``); any other unit is answered 404.
"""

import datetime
from functools import lru_cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from duan8.accounts.http import AuthedRequest
from duan8.activities.selectors.progress import records_unit_get, records_units_of
from duan8.activities.selectors.work import work_year
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.predecessors import Predecessor
from duan8.programs.models import ProgramElement
from duan8.reports import page_charts
from duan8.reports.exports.codes import org_unit_code
from duan8.reports.selectors.dashboards import (
    Dashboard,
    chosen_indicator,
    completeness_lines,
    dashboard_rows,
    dashboard_values,
    indicator_label,
    indicator_lines,
    participant_rows,
    series_chart_rows,
    series_years,
    unit_lines,
)
from duan8.reports.series_chart import series_lines

FIRST_YEAR, LAST_YEAR = 2000, 2100
CHARTS = ("progress", "units", "participants", "completeness", "series")
# The image of a chart runs no script, has no style and loads nothing.
SVG_POLICY = "default-src 'none'; frame-ancestors 'self'"


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
        data = super().clean() or {}
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


@lru_cache(maxsize=4096)
def _choice_label(label: str, language: str | None) -> str:
    """An indicator in the list of choices, cut at 70 characters (``truncatechars``, whose
    ellipsis is translated: kept per language)."""
    return Truncator(label).chars(70)


# --- views --------------------------------------------------------------------------------------


def _query(form: DashboardForm, **extra: str) -> dict[str, str]:
    query = {
        "year": str(form.cleaned_data["year"]),
        "as_of": form.cleaned_data["as_of"].isoformat(),
    }
    query.update(extra)
    return query


def _form(request: AuthedRequest, unit: OrgUnit) -> DashboardForm:
    """The query, with the defaults filled in so the form shows what the page shows."""
    query = request.GET.copy()
    if not query.get("year"):
        query["year"] = str(work_year(unit))
    if not query.get("as_of"):
        query["as_of"] = default_as_of(unit).isoformat()
    return DashboardForm(query, unit=unit)


def _links(
    items: list[tuple[Predecessor, bool]], year: int
) -> list[tuple[Predecessor, str | None]]:
    """Each predecessor with the link to its own dashboard on its last day (None when the
    actor may not read it)."""
    return [
        (
            p,
            reverse("reports:dashboard", args=[p.unit.pk])
            + "?"
            + urlencode({"year": str(year), "as_of": p.last_day.isoformat()})
            if readable
            else None,
        )
        for p, readable in items
    ]


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


def _page_context(dashboard: Dashboard, unit: OrgUnit, form: DashboardForm) -> dict[str, Any]:
    """The rows with their links: each unit's dashboard, the predecessors', the charts."""
    element, year = dashboard.element, dashboard.year
    query = _query(form)
    # Units merged into the unit or its children: their figures of the year are in its rows.
    history = {unit_id: _links(items, year) for unit_id, items in dashboard.predecessors.items()}
    suffix = "?" + urlencode(query)
    for line in dashboard.units:
        line.url = reverse("reports:dashboard", args=[line.unit.pk]) + suffix
        if line.unit.pk in history:
            names = _names(history[line.unit.pk])
            line.includes = format_html(_("(including {units})"), units=names)
    return {
        "data": dashboard.data,
        "year": year,
        "as_of": form.cleaned_data["as_of"],
        "indicators": dashboard.indicators,
        "element": element,
        "indicator_choices": [
            (e.code, _choice_label(indicator_label(e), get_language()))
            for e in dashboard.data.elements
        ],
        "targets_summed": unit.level < OrgUnit.Level.COMMUNE,
        "element_label": indicator_label(element) if element else "",
        "units": dashboard.units,
        "predecessors": history.get(unit.pk, []),
        "predecessor_names": _names(history.get(unit.pk, []), dated=True),
        "participants": dashboard.participants,
        "data_url": reverse("reports:data_rollup", args=[org_unit_code(unit)])
        + "?"
        + urlencode(query),
    }


def _render(
    request: AuthedRequest, unit: OrgUnit, own_units: list[OrgUnit] | None = None
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
        dashboard = dashboard_rows(
            actor=request.user,
            unit=unit,
            year=form.cleaned_data["year"],
            as_of=form.cleaned_data["as_of"],
            indicator=form.cleaned_data["indicator"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return render(request, "reports/dashboard_unit.html", context)
    context.update(_page_context(dashboard, unit, form))
    completeness = completeness_lines(request.user, unit, dashboard.year)
    series = None
    if dashboard.element is not None:  # the series chart's numbers, in a table under it
        years = series_years(dashboard.year)
        series = series_lines(actor=request.user, unit=unit, element=dashboard.element, years=years)
    context["completeness"] = completeness
    context["series"] = series
    # The charts, drawn from the rows of the tables under them.
    context["svg"] = {
        "progress": _svg("progress", [line.row for line in dashboard.indicators]),
        "units": _svg("units", [line.row for line in dashboard.units], dashboard.element),
        "participants": _svg("participants", dashboard.participants),
        "completeness": _svg("completeness", [line.row for line in completeness or []]),
        "series": _svg("series", series_chart_rows(series or []), dashboard.element),
    }
    return render(request, "reports/dashboard_unit.html", context)


@require_safe
def dashboard_view(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = records_unit_get(actor=request.user, unit_id=pk)
    return _render(request, unit)


@require_safe
def dashboard_home(request: AuthedRequest) -> HttpResponse:
    """The dashboard of the user's own unit (the highest one where they read records)."""
    units = records_units_of(request.user)
    if not units:
        return render(request, "reports/dashboard_none.html")
    return _render(request, units[0], own_units=units)


def _svg(name: str, rows: list[Any], element: ProgramElement | None = None) -> SafeString:
    """Chart ``name`` of ``rows``, with its text for screen readers (the numbers are in the
    table under it)."""
    indicator = indicator_label(element) if element else ""
    if name == "progress":
        label = _(
            "Chart: each indicator’s result as a share of its target. The numbers are in the "
            "table below."
        )
        return page_charts.progress_svg(rows, label)
    if name == "units":
        label = _(
            "Chart: the result and the target of each unit for %(indicator)s. The numbers are in "
            "the table below."
        ) % {"indicator": indicator}
        return page_charts.units_svg(rows, label)
    if name == "participants":
        label = _(
            "Chart: the participants of each indicator’s events by sex, by ethnic minority or "
            "not, and by age group. The numbers are in the table below."
        )
        return page_charts.participants_svg(rows, label)
    if name == "series":
        label = _(
            "Chart: the result and the target of %(indicator)s in each year since 2021, on the "
            "map of that year; from 2026 the element of the 2026–2030 program that continues it. "
            "The numbers are in the table below."
        ) % {"indicator": indicator}
        return page_charts.series_svg(rows, label)
    label = _(
        "Chart: for each deadline, the units that reported on time, late or not at all. The "
        "numbers are in the table below."
    )
    return page_charts.completeness_svg(rows, label)


def _chart_svg(request: AuthedRequest, unit: OrgUnit, name: str, form: DashboardForm) -> SafeString:
    """One chart alone: the rows its section of the page draws, for this chart only."""
    year = form.cleaned_data["year"]
    if name == "completeness":
        reports = completeness_lines(request.user, unit, year) or []
        return _svg(name, [line.row for line in reports])
    data = dashboard_values(
        actor=request.user, unit=unit, year=year, as_of=form.cleaned_data["as_of"]
    )
    if name == "progress":
        return _svg(name, [line.row for line in indicator_lines(data)])
    if name == "participants":
        return _svg(name, participant_rows(data))
    element = chosen_indicator(data, form.cleaned_data["indicator"])
    if name == "series":
        years = series_years(year)
        lines = (
            series_lines(actor=request.user, unit=unit, element=element, years=years)
            if element
            else []
        )
        return _svg(name, series_chart_rows(lines), element)
    rows = [line.row for line in unit_lines(data, element)] if element else []
    return _svg(name, rows, element)


@require_safe
def dashboard_chart(request: AuthedRequest, pk: int, chart: str) -> HttpResponse:
    """One chart of the dashboard as an SVG image (the page shows the numbers in tables)."""
    unit = records_unit_get(actor=request.user, unit_id=pk)
    if chart not in CHARTS:
        raise Http404(_("No such chart."))
    form = _form(request, unit)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        svg = _chart_svg(request, unit, chart, form)
    except ValidationError:
        return HttpResponse(status=400)
    document = '<?xml version="1.0" encoding="utf-8"?>\n' + svg
    response = HttpResponse(document.encode(), content_type="image/svg+xml")
    response["Content-Security-Policy"] = SVG_POLICY
    response["Cache-Control"] = "private, no-cache"  # the records may change at any time
    return response
