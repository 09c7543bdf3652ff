"""The figures of a report, filled from the records by the one engine (``activities.values``).

``figures_compute`` asks ``indicator_values`` for the reporting unit and its villages, on the map
of the due date: each indicator's result for the period, its target for the year (from the commune's
plan) and the participants by sex × ethnic minority × age group. The result is plain JSON, stored
on the report at submission so an approved report never changes. ``figure_table`` turns that JSON
into rows for pages and files; a page, the Excel file and the Word file print the same rows.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.module_loading import import_string

from duan8.accounts.models import User
from duan8.activities.rule_filters import Period
from duan8.activities.values import CELLS, Measure, indicator_values
from duan8.programs.models import element_number
from duan8.reports.models import Report

FORMAT = "duan8.report_figures/1"


def _number(value: int | Decimal | None) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return int(value)


def _empty(report: Report) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "as_of": report.due_on.isoformat(),
        "period": [report.period_start.isoformat(), report.period_end.isoformat()],
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "units": [],
        "lines": [],
    }


def figures_compute(*, actor: User, report: Report) -> dict[str, Any]:
    """The report's figures from today's records (the actor must see the unit's records).

    The period is the report's; targets are the plan's for the year the period ends in; the map is
    that of the due date (xã Đặng Thùy Trâm's report for 2025 counts xã Ba Trang's and xã Ba Khâm's
    records of January–June).
    """
    unit, as_of = report.org_unit, report.due_on
    figures = _empty(report)
    period = Period(report.period_start, report.period_end)
    try:
        data = indicator_values(actor=actor, unit=unit, period=period, as_of=as_of)
    except ValidationError:
        figures_extend(figures, actor=actor, report=report)
        return figures  # no records at all before the due date: nothing to report
    year = Period.year(report.period_end.year)
    targets = data
    if period != year:
        targets = indicator_values(actor=actor, unit=unit, period=year, as_of=as_of)
    values = {(r.unit.pk, r.element.pk, r.measure, r.cell): r.value for r in data.rows}
    planned = {
        (r.unit.pk, r.element.pk): r.value for r in targets.rows if r.measure == Measure.TARGET
    }
    figures["units"] = [
        {"id": u.pk, "code": u.code, "name": u.full_name, "level": u.level} for u in data.units
    ]
    lines = []
    for element in data.elements:
        target = _number(planned.get((unit.pk, element.pk)))
        value = _number(values.get((unit.pk, element.pk, Measure.VALUE, None)) or 0) or 0
        cells = []
        for cell in CELLS:
            count = values.get((unit.pk, element.pk, Measure.PARTICIPANTS, cell))
            if count:
                cells.append(
                    {
                        "sex": cell.sex,
                        "minority": cell.minority,
                        "age_group": cell.age_group,
                        "count": int(count),
                    }
                )
        lines.append(
            {
                "code": element.code,
                "number": element_number(element.code),
                "title": element.title,
                "measure_unit": element.unit,
                "target": target,
                "value": value,
                "participants": cells,
                "units": [
                    {
                        "id": child.pk,
                        "value": _number(
                            values.get((child.pk, element.pk, Measure.VALUE, None)) or 0
                        ),
                        "target": _number(planned.get((child.pk, element.pk))),
                    }
                    for child in data.children
                ],
            }
        )
    figures["lines"] = lines
    figures_extend(figures, actor=actor, report=report)
    return figures


def figures_extend(figures: dict[str, Any], *, actor: User, report: Report) -> None:
    """Figures of the apps above (``settings.REPORT_FIGURES_EXTENSIONS``: dotted paths of
    functions taking ``actor`` and ``report`` and returning keys to add, e.g. the money's
    ``disbursement``), kept in the snapshot with the indicators'."""
    for dotted in getattr(settings, "REPORT_FIGURES_EXTENSIONS", ()):
        figures.update(import_string(dotted)(actor=actor, report=report))


def report_figures(*, actor: User, report: Report) -> dict[str, Any]:
    """The figures a report shows: the snapshot of its submission while it is submitted or
    approved; for a draft or a returned report, today's records (they may still change)."""
    if report.figures is not None and report.status in (
        Report.Status.SUBMITTED,
        Report.Status.APPROVED,
    ):
        return report.figures
    return figures_compute(actor=actor, report=report)


def figures_missing(figures: dict[str, Any] | None) -> bool:
    """True when the records give no result at all for the period."""
    return not figures or not any(line.get("value") for line in figures.get("lines", []))


def figures_differ(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """Whether two snapshots report different figures (the time of computing aside)."""

    def core(f: dict[str, Any] | None) -> Any:
        return None if f is None else {k: v for k, v in f.items() if k != "computed_at"}

    return core(a) != core(b)


# --- rows for pages and files -------------------------------------------------------------------


@dataclass
class UnitFigure:
    name: str
    value: int | float | None
    target: int | float | None


@dataclass
class FigureLine:
    code: str
    number: str
    title: str
    measure_unit: str
    target: int | float | None
    value: int | float
    women: int = 0
    men: int = 0
    minority: int = 0
    children: int = 0
    participants: int = 0
    units: list[UnitFigure] = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        if not self.target:
            return None
        return round(100 * float(self.value) / float(self.target))

    @property
    def title_with_unit(self) -> str:
        """ "Số lớp học xóa mù chữ (lớp)": the unit after the title, unless the official title
        already ends with it (many do), so that it is never printed twice."""
        unit = f"({self.measure_unit.strip()})" if self.measure_unit.strip() else ""
        if not unit or unit.casefold() in self.title.casefold():
            return self.title
        return f"{self.title} {unit}"


@dataclass
class FigureTable:
    as_of: datetime.date | None
    computed_at: str
    units: list[str]  # the villages (or communes), in column order
    lines: list[FigureLine]
    disbursement: dict[str, Any] | None = None  # the money's (finance.reporting), when given
    supervision: dict[str, Any] | None = None  # supervision's counts (supervision.reporting)

    @property
    def is_empty(self) -> bool:
        return figures_missing({"lines": [{"value": line.value} for line in self.lines]})

    @property
    def computed_time(self) -> datetime.datetime | None:
        """When the figures were computed, for display (templates show it in local time)."""
        try:
            return datetime.datetime.fromisoformat(self.computed_at)
        except ValueError:
            return None


def figure_table(figures: dict[str, Any] | None) -> FigureTable:
    figures = figures or {}
    units = figures.get("units") or []
    names = {u["id"]: u["name"] for u in units}
    lines = []
    for raw in figures.get("lines", []):
        line = FigureLine(
            code=raw["code"],
            number=raw.get("number", ""),
            title=raw["title"],
            measure_unit=raw.get("measure_unit", ""),
            target=raw.get("target"),
            value=raw.get("value") or 0,
            units=[
                UnitFigure(names.get(u["id"], ""), u.get("value"), u.get("target"))
                for u in raw.get("units", [])
            ],
        )
        for cell in raw.get("participants", []):
            count = int(cell["count"])
            line.participants += count
            if cell["sex"] == "F":
                line.women += count
            else:
                line.men += count
            if cell["minority"]:
                line.minority += count
            if cell["age_group"] == "child":
                line.children += count
        lines.append(line)
    as_of = figures.get("as_of")
    return FigureTable(
        as_of=datetime.date.fromisoformat(as_of) if as_of else None,
        computed_at=figures.get("computed_at", ""),
        units=[u["name"] for u in units[1:]],
        lines=lines,
        disbursement=figures.get("disbursement") or None,
        supervision=figures.get("supervision") or None,
    )
