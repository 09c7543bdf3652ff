"""The rows of a unit's dashboard: a year at a glance, on the map of an "as of" date.

Indicators against targets, each unit under it for one indicator, participants by sex,
ethnicity and age group, and the reports' completeness per deadline. The numbers are those of
the one engine (``activities.values.indicator_values``: counts only, no names), the completeness
that of ``selectors.completeness``. The view only adds links and renders.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Any

from django.utils import timezone

from duan8.accounts.models import User
from duan8.activities.values import Breakdown, IndicatorValues, Measure, indicator_values
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.predecessors import Predecessor, predecessors_in_year
from duan8.orgunits.selectors import org_units_visible_to
from duan8.programs.models import ProgramElement, element_number
from duan8.reports import charts
from duan8.reports.selectors.completeness import State, completeness_totals, report_state
from duan8.reports.selectors.deadlines import REVIEW, VIEW
from duan8.reports.selectors.reports import unit_report_rows
from duan8.reports.series_chart import SeriesLine, SeriesRow


@dataclass
class IndicatorLine:
    element: ProgramElement
    label: str
    actual: int | Decimal
    target: int | Decimal | None

    @property
    def row(self) -> charts.ProgressRow:
        return charts.ProgressRow(self.label, self.actual, self.target)

    @cached_property
    def percent(self) -> int | None:
        return self.row.percent

    @cached_property
    def unit_note(self) -> str:
        """ "(tổ)": what the indicator counts, unless its label already says it."""
        shown = f"({self.element.unit})"
        return shown if self.element.unit and shown not in self.label else ""


@dataclass
class UnitLine:
    unit: OrgUnit
    actual: int | Decimal
    target: int | Decimal | None
    url: str = ""  # the unit's own dashboard (the view sets it)
    # The units that became part of it, whose figures of the year are in its row, as links.
    includes: Any = None

    @property
    def row(self) -> charts.ProgressRow:
        return charts.ProgressRow(self.unit.full_name, self.actual, self.target)

    @cached_property
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
        label = _short(f"{self.due_on:%d/%m/%Y} · {self.report}")
        return charts.CompletenessRow(label, self.on_time, self.late, self.missing, self.waiting)


@lru_cache(maxsize=4096)
def _short(text: str) -> str:
    """``charts.shorten``, kept (``textwrap.shorten`` is not cheap; the same deadlines come back
    on every page)."""
    return charts.shorten(text)


def plain(value: int | Decimal | None) -> int | Decimal | None:
    """14 rather than 14.00: targets are stored as decimals, most are whole numbers."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


@lru_cache(maxsize=4096)
def _label(code: str, title: str) -> str:
    return charts.indicator_label(element_number(code), title)


def indicator_label(element: ProgramElement) -> str:
    """ "1.2.2 Hỗ trợ Tổ truyền thông…", shortened for a chart row (kept: a page names each
    indicator four times, and ``textwrap.shorten`` is not cheap)."""
    return _label(element.code, element.title)


def _actual(data: IndicatorValues, unit_id: int, element_id: int) -> int | Decimal:
    """A unit's result (0 without records), read from the result's values directly: building
    ``data.rows`` (a row per unit, indicator, measure and cell) cost more than the page."""
    found = plain(data.values.get((unit_id, element_id, Measure.VALUE, None), 0))
    return 0 if found is None else found


def _target(data: IndicatorValues, unit_id: int, element_id: int) -> int | Decimal | None:
    return plain(data.values.get((unit_id, element_id, Measure.TARGET, None)))


def indicator_lines(data: IndicatorValues) -> list[IndicatorLine]:
    """Each indicator's result and target for the unit, for those with either (the data page
    lists every indicator). Above a commune the plans' targets are the communes', so the unit's
    target is the sum of its children's (when they have any)."""
    unit = data.unit.pk
    lines = []
    for element in data.elements:
        target = _target(data, unit, element.pk)
        if target is None and data.unit.level < OrgUnit.Level.COMMUNE:
            parts = [
                found
                for child in data.children
                if (found := _target(data, child.pk, element.pk)) is not None
            ]
            target = sum(parts) if parts else None
        actual = _actual(data, unit, element.pk)
        if actual or target is not None:
            lines.append(IndicatorLine(element, indicator_label(element), actual, target))
    return lines


def chosen_indicator(data: IndicatorValues, code: str) -> ProgramElement | None:
    """The indicator compared across units: the one asked for, else the first with a target
    under the unit, else the first with a result."""
    if not data.elements:
        return None
    by_code = {element.code: element for element in data.elements}
    if code in by_code:
        return by_code[code]
    # Read straight from the values (not through ``_target``/``_actual``): a commune's villages
    # without targets are looked up for every indicator, about 900 times a page.
    get = data.values.get
    children = [child.pk for child in data.children]
    for measure in (Measure.TARGET, Measure.VALUE):
        for element in data.elements:
            element_id = element.pk
            if any(get((pk, element_id, measure, None)) for pk in children):
                return element
    return data.elements[0]


def unit_lines(data: IndicatorValues, element: ProgramElement) -> list[UnitLine]:
    return [
        UnitLine(
            unit=child,
            actual=_actual(data, child.pk, element.pk),
            target=_target(data, child.pk, element.pk),
        )
        for child in data.children
    ]


def participant_rows(data: IndicatorValues) -> list[charts.ParticipantRow]:
    """Participants of each indicator's events in the unit (an event counted by two indicators
    appears under both, so the rows are not added up)."""
    return [
        charts.ParticipantRow(
            indicator_label(element),
            women=people.women,
            men=people.men,
            minority=people.minority,
            children=people.children,
        )
        for element, people in data.participants()
    ]


def completeness_lines(actor: User, unit: OrgUnit, year: int) -> list[CompletenessLine] | None:
    """Reports on time, late, not reported, per deadline of ``year``: of the units under
    ``unit`` for its reviewers, of the commune itself for those who read its records; None where
    neither applies (a village, a level above without the right to review)."""
    today = timezone.localdate()
    if unit.level <= OrgUnit.Level.COMMUNE and can(actor, REVIEW, unit):
        return [
            CompletenessLine(
                t.deadline.due_on,
                t.deadline.schedule.name,
                t.counts.on_time,
                t.counts.late,
                t.counts.missing,
                t.counts.waiting,
            )
            for t in completeness_totals(actor=actor, area=unit, year=year, today=today)
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


def readable_predecessors(
    actor: User, units: list[OrgUnit], year: int, as_of: datetime.date
) -> dict[int, list[tuple[Predecessor, bool]]]:
    """For each unit (by id), the units that became part of it by ``as_of`` and existed in
    ``year``, whose figures the engine counts in it, each with whether the actor may read its
    own records."""
    found = predecessors_in_year(units, year, on=as_of)
    if not found:  # most units: no access filter to build
        return {}
    ids = {p.unit.pk for items in found.values() for p in items}
    readable = set(
        org_units_visible_to(actor, VIEW).filter(pk__in=ids).values_list("pk", flat=True)
    )
    return {
        unit_id: [(p, p.unit.pk in readable) for p in items] for unit_id, items in found.items()
    }


@dataclass
class Dashboard:
    """What the dashboard page shows: the values, and the rows of each of its sections."""

    data: IndicatorValues
    year: int
    indicators: list[IndicatorLine]
    element: ProgramElement | None
    units: list[UnitLine]
    participants: list[charts.ParticipantRow]
    predecessors: dict[int, list[tuple[Predecessor, bool]]] = field(default_factory=dict)


def dashboard_values(
    *, actor: User, unit: OrgUnit, year: int, as_of: datetime.date
) -> IndicatorValues:
    """The unit's and its children's values for ``year`` on the map of ``as_of``."""
    return indicator_values(
        actor=actor, unit=unit, period=year, as_of=as_of, breakdown=Breakdown.CHILDREN
    )


def dashboard_rows(
    *, actor: User, unit: OrgUnit, year: int, as_of: datetime.date, indicator: str = ""
) -> Dashboard:
    """The rows of the dashboard of ``unit`` (``indicator``: the code compared across units).
    Raises PermissionDenied or ValidationError as ``indicator_values`` does."""
    data = dashboard_values(actor=actor, unit=unit, year=year, as_of=as_of)
    element = chosen_indicator(data, indicator)
    return Dashboard(
        data=data,
        year=year,
        indicators=indicator_lines(data),
        element=element,
        units=unit_lines(data, element) if element else [],
        participants=participant_rows(data),
        predecessors=readable_predecessors(actor, [unit, *data.children], year, as_of),
    )


SERIES_FIRST_YEAR = 2021  # the first year of the program's phase I


def series_years(year: int) -> range:
    """The years of the series chart: from phase I's first year to the year after the later of
    the dashboard's year and this year (next year's plan is being written)."""
    return range(SERIES_FIRST_YEAR, max(year, timezone.localdate().year) + 2)


def series_chart_rows(lines: list[SeriesLine]) -> list[SeriesRow]:
    """The series table's lines as the chart's rows: the page draws the numbers it lists."""
    return [
        SeriesRow(
            year=line.year,
            actual=line.value,
            target=line.target,
            provisional=line.provisional,
            code=line.element.code if line.element else "",
        )
        for line in lines
    ]
