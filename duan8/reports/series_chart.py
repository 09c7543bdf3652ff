"""The chart of an indicator's series across years (``activities.values.series``): one bar per
year, the target behind it, the years whose element is provisional hatched, a dotted line where
the program changes. Drawn like the other charts (``reports.charts``: SVG, nothing loaded from
the network); kept apart because ``charts`` is at the module size limit.

``series_lines`` gives the same numbers as a table for the page (each year: the units whose
records count, the map they are read on, the program element in force, result and target), as
the other charts of the dashboard have theirs, for screen readers and for printing.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from duan8.activities.values import Actor
from duan8.activities.values.series import SeriesPoint, indicator_series
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.predecessors import Predecessor, org_unit_predecessors
from duan8.programs.models import ProgramElement
from duan8.reports.charts import (
    ACCENT,
    FONT_SIZE,
    MUTED,
    TEXT,
    TRACK,
    TRACK_EDGE,
    WIDTH_IN,
    Number,
    _empty,
    _number,
    indicator_label,
)

HEIGHT_IN = 3.0


@dataclass(frozen=True)
class SeriesRow:
    """One year: its result and target (None: no element in force), whether the element of the
    year is provisional, and the element's code (a change of code is a change of program)."""

    year: int
    actual: Number | None
    target: Number | None
    provisional: bool
    code: str


def _program_changes(rows: Sequence[SeriesRow]) -> list[float]:
    """The x positions between two years whose elements differ."""
    return [
        index - 0.5
        for index in range(1, len(rows))
        if rows[index].code and rows[index - 1].code and rows[index].code != rows[index - 1].code
    ]


def chart_series(rows: Sequence[SeriesRow], *, title: str | None = None) -> Figure:
    """Each year's result as a bar over its target (grey track); provisional years hatched."""
    if not rows or all(row.actual is None for row in rows):
        return _empty(title)
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN))
    fig.set_facecolor("white")
    ax = fig.add_axes((0.08, 0.14, 0.9, 0.62 if title else 0.7))
    top = max([1.0, *(float(r.actual or 0) for r in rows), *(float(r.target or 0) for r in rows)])
    for index, row in enumerate(rows):
        hatch = "///" if row.provisional else None
        if row.target:
            ax.bar(index, float(row.target), width=0.7, color=TRACK, edgecolor=TRACK_EDGE)
        if row.actual:
            ax.bar(
                index, float(row.actual), width=0.45, color=ACCENT, hatch=hatch, edgecolor="white"
            )
        shown = max(float(row.actual or 0), float(row.target or 0))
        label = _number(row.actual) + (f"/{_number(row.target)}" if row.target else "")
        ax.text(
            index,
            shown + top * 0.03,
            label,
            ha="center",
            va="bottom",
            fontsize=FONT_SIZE - 1,
            color=TEXT,
        )
    for x in _program_changes(rows):
        ax.axvline(x, color=MUTED, linestyle=":", linewidth=1)
        ax.text(
            x + 0.05, top * 1.22, _("New program"), fontsize=FONT_SIZE - 2, color=MUTED, va="top"
        )
    ax.set_xticks(range(len(rows)), [str(row.year) for row in rows], fontsize=FONT_SIZE - 1)
    ax.set_ylim(0, top * 1.25)
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(TRACK_EDGE)
    ax.tick_params(axis="x", colors=MUTED)
    legend = [
        Patch(facecolor=ACCENT, label=_("Result")),
        Patch(facecolor=TRACK, edgecolor=TRACK_EDGE, label=_("Target")),
    ]
    if any(row.provisional for row in rows):
        legend.append(
            Patch(facecolor=ACCENT, hatch="///", edgecolor="white", label=_("Unverified structure"))
        )
    fig.legend(
        handles=legend,
        loc="upper left",
        bbox_to_anchor=(0.0, 0.99 if not title else 0.9),
        ncols=3,
        frameon=False,
        fontsize=FONT_SIZE - 1,
    )
    if title:
        fig.text(
            0.01,
            0.98,
            title,
            ha="left",
            va="top",
            fontsize=FONT_SIZE + 1,
            fontweight="bold",
            color=TEXT,
        )
    return fig


# --- the same numbers, as a table -----------------------------------------------------------


@dataclass(frozen=True)
class SeriesLine:
    """One year of the table: the units whose records count in it (the unit itself and the
    units that became part of it later), the day of the map, the element in force (None: none
    covers the year), its result and target."""

    year: int
    units: list[OrgUnit]
    as_of: datetime.date
    element: ProgramElement | None
    value: Number | None
    target: Number | None

    @property
    def provisional(self) -> bool:
        return self.element is not None and not self.element.verified

    @property
    def element_label(self) -> str:
        if self.element is None:
            return ""
        return indicator_label(self.element.outline_number, self.element.title)


def _whole(value: int | Decimal | None) -> Number | None:
    """14 rather than 14.00: targets are stored as decimals, most are whole numbers."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def _lived_in(unit: OrgUnit, year: int) -> bool:
    return (unit.valid_from is None or unit.valid_from.year <= year) and (
        unit.valid_to is None or unit.valid_to.year >= year
    )


def _units_of(unit: OrgUnit, year: int, predecessors: Iterable[Predecessor]) -> list[OrgUnit]:
    """The units whose records count in ``unit``'s figure of ``year``: its predecessors that
    still existed that year (xã Ba Trang and xã Ba Khâm in xã Đặng Thùy Trâm's 2023), then
    itself if it existed."""
    earlier = [p.unit for p in predecessors if p.effective_on > datetime.date(year, 1, 1)]
    return [*earlier, unit] if _lived_in(unit, year) else earlier


def series_table(unit: OrgUnit, points: Sequence[SeriesPoint]) -> list[SeriesLine]:
    """The table of ``points`` (``indicator_series``); two queries for the predecessors."""
    predecessors = org_unit_predecessors(unit)
    return [
        SeriesLine(
            year=point.year,
            units=_units_of(unit, point.year, predecessors),
            as_of=point.as_of,
            element=point.element,
            value=_whole(point.value),
            target=_whole(point.target),
        )
        for point in points
    ]


def series_lines(
    *, actor: Actor, unit: OrgUnit, element: ProgramElement, years: Iterable[int]
) -> list[SeriesLine]:
    """``element``'s series in ``unit`` as the table under the chart (the numbers the chart
    draws: ``indicator_series``). Raises PermissionDenied as ``indicator_values`` does."""
    points = indicator_series(actor=actor, unit=unit, element=element, years=years)
    return series_table(unit, points)
