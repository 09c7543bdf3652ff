"""The lines of the dashboard's tables (``reports/dashboard_unit.html``), one tag per table.

Tags, not template loops: a commune's page has about 130 lines of 4 to 8 cells, and the
template engine's ``{% for %}``/``{% if %}`` per cell cost about a third of the page's time.
The cells are those the template wrote: each text escaped, numbers unlocalized (``14``, not
``14,0``), dates as ``d/m/Y``, a missing target as ``–``.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import template
from django.templatetags.l10n import unlocalize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _plain(value: Any) -> str:
    """``{{ value|unlocalize }}``: an int as it is, a decimal without the locale's separators."""
    if type(value) is int:
        return str(value)
    return escape(unlocalize(value))


def _or_dash(value: Any) -> str:
    return "–" if value is None else _plain(value)


def _percent(value: int | None) -> str:
    return "" if value is None else f"{_plain(value)}%"


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _result_cells(line: Any) -> str:
    """A line's result, target and percentage (``IndicatorLine``, ``UnitLine``)."""
    return (
        f'<td class="number">{_plain(line.actual)}</td>'
        f'<td class="number">{_or_dash(line.target)}</td>'
        f'<td class="number">{_percent(line.percent)}</td>'
    )


@register.simple_tag
def indicator_options(choices: Sequence[tuple[str, str]], selected: str | None) -> SafeString:
    """The ``<option>`` of each indicator compared across units, ``selected`` marked."""
    return SafeString(
        "".join(
            f'<option value="{escape(code)}"{" selected" if code == selected else ""}>'
            f"{escape(label)}</option>"
            for code, label in choices
        )
    )


@register.simple_tag
def indicator_rows(lines: Sequence[Any]) -> SafeString:
    """Progress against targets: each indicator (``IndicatorLine``), what it counts when its
    label does not say it."""
    rows = []
    for line in lines:
        note = f' <span class="muted">{escape(line.unit_note)}</span>' if line.unit_note else ""
        rows.append(
            f'<tr><th scope="row">{escape(line.label)}{note}</th>{_result_cells(line)}</tr>'
        )
    return SafeString("\n".join(rows))


@register.simple_tag
def unit_rows(lines: Sequence[Any]) -> SafeString:
    """Each unit under the unit (``UnitLine``): a link to its dashboard, the units that became
    part of it (``includes``, links built by the view)."""
    rows = []
    for line in lines:
        includes = (
            f' <span class="includes">{conditional_escape(line.includes)}</span>'
            if line.includes
            else ""
        )
        rows.append(
            f'<tr><th scope="row"><a href="{escape(line.url)}">{escape(line.unit.full_name)}</a>'
            f"{includes}</th>{_result_cells(line)}</tr>"
        )
    return SafeString("\n".join(rows))


def _element_cell(line: Any, unverified: str) -> str:
    element = line.element
    if element is None:
        none = escape(_("No element of the program covers this year."))
        return f'<span class="muted">{none}</span>'
    unit = f' <span class="muted">({escape(element.unit)})</span>' if element.unit else ""
    mark = f' <strong class="unverified">{unverified}</strong>' if line.provisional else ""
    return f"{escape(line.element_label)}{unit} <code>{escape(element.code)}</code>{mark}"


@register.simple_tag
def series_rows(lines: Sequence[Any]) -> SafeString:
    """The indicator each year (``SeriesLine``): the units counted and the day of their map, the
    program element in force, result and target."""
    unverified = escape(_("unverified"))
    rows = []
    for line in lines:
        units = ", ".join(escape(unit.full_name) for unit in line.units) or "–"
        rows.append(
            f'<tr><th scope="row">{_plain(line.year)}</th>'
            f'<td>{units} <span class="muted">({_day(line.as_of)})</span></td>'
            f"<td>{_element_cell(line, unverified)}</td>"
            f'<td class="number">{_or_dash(line.value)}</td>'
            f'<td class="number">{_or_dash(line.target)}</td></tr>'
        )
    return SafeString("\n".join(rows))


@register.simple_tag
def participant_rows(rows: Sequence[Any]) -> SafeString:
    """Participants of each indicator's events (``charts.ParticipantRow``)."""
    lines = []
    for row in rows:
        numbers = (
            row.women,
            row.men,
            row.minority,
            row.not_minority,
            row.adults,
            row.children,
            row.total,
        )
        cells = "".join(f'<td class="number">{_plain(n)}</td>' for n in numbers)
        lines.append(f'<tr><th scope="row">{escape(row.label)}</th>{cells}</tr>')
    return SafeString("\n".join(lines))


@register.simple_tag
def completeness_rows(lines: Sequence[Any]) -> SafeString:
    """Each deadline's reports (``CompletenessLine``): on time, late, not reported, not due."""
    rows = []
    for line in lines:
        counts = (line.on_time, line.late, line.missing, line.waiting)
        cells = "".join(f'<td class="number">{_plain(n)}</td>' for n in counts)
        rows.append(
            f'<tr><td class="nowrap">{_day(line.due_on)}</td><td>{escape(line.report)}</td>'
            f"{cells}</tr>"
        )
    return SafeString("\n".join(rows))
