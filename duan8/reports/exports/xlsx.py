"""Excel workbook of aggregate data, headers in the user's language (Vietnamese by default).

Three sheets: a summary (indicators × units, results), the data as one long table (every value
with its unit, indicator, measure and disaggregation, stable codes beside the names) and what
the file holds (unit, period, the map's date, how codes read).

Written as it goes: openpyxl's write-only workbook sends each row to a temporary file as it is
appended, so memory does not grow with the number of values. The summary's title and header are
written first and its figures once the data table has been read (each sheet is its own stream).
A table longer than a sheet takes (Excel's 1,048,576 rows) goes on in "Data (2)", "Data (3)"…

As every workbook duan8 writes (``duan8.core.xlsx``): text is always text (through
``cell_value``: a leading apostrophe before ``= + - @``, a tab or a carriage return, and a string
cell even for "#N/A"), only our own numbers are numbers. ``core.xlsx.workbook_bytes`` cannot walk
a write-only workbook once more, so every cell here is made by ``core.xlsx.StreamedRows``.
"""

import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from duan8.activities.models import AgeGroup, Sex
from duan8.activities.values import DataValue, IndicatorValues, Measure
from duan8.core import xlsx
from duan8.reports.exports.codes import data_element_code, org_unit_code
from duan8.reports.exports.rows import data_rows

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")
SHEET_ROWS = 1_048_576  # Excel's limit, the header row included


def _widths(sheet: Any, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _number(value: int | Decimal) -> int | float:
    return int(value) if value == int(value) else float(value)


def _table_headers() -> list[str]:
    return [
        _("Unit code"),
        _("Unit"),
        _("Data element code"),
        _("Indicator"),
        _("Measure"),
        _("Sex"),
        _("Ethnicity"),
        _("Age group"),
        _("Value"),
    ]


class _Table:
    """The long table, on as many sheets as it takes."""

    def __init__(self, book: Workbook, cells: xlsx.StreamedRows) -> None:
        self.book, self.cells = book, cells
        self.sheets: list[tuple[Any, int]] = []  # (sheet, rows written below its header)
        self._new_sheet()

    def _new_sheet(self) -> None:
        if self.sheets:
            self._close_current()
        title = _("Data") if not self.sheets else f"{_('Data')} ({len(self.sheets) + 1})"
        sheet = self.book.create_sheet(title[:31])
        _widths(sheet, [20, 28, 38, 60, 14, 8, 16, 18, 10])
        sheet.freeze_panes = "A2"
        self.cells.put(sheet, _table_headers(), BOLD, WRAP)
        self.sheets.append((sheet, 0))

    def _close_current(self) -> None:
        sheet, count = self.sheets[-1]
        sheet.auto_filter.ref = f"A1:I{count + 1}"

    def append(self, values: list[Any]) -> None:
        sheet, count = self.sheets[-1]
        if count + 1 >= SHEET_ROWS:
            self._new_sheet()
            sheet, count = self.sheets[-1]
        self.cells.put(sheet, values)
        self.sheets[-1] = (sheet, count + 1)

    def close(self) -> None:
        self._close_current()


def _data_lines(rows: Iterable[DataValue]) -> Iterator[tuple[DataValue, list[Any]]]:
    sexes, ages = dict(Sex.choices), dict(AgeGroup.choices)
    measures = {key: str(label) for key, label in Measure.choices}
    minority = {True: _("Ethnic minority"), False: _("Kinh")}
    unit_codes: dict[int, str] = {}
    for row in rows:
        cell = row.cell
        code = unit_codes.get(row.unit.pk)
        if code is None:
            code = unit_codes[row.unit.pk] = org_unit_code(row.unit)
        yield (
            row,
            [
                code,
                row.unit.full_name,
                data_element_code(row.element, row.measure),
                row.element.title,
                measures[row.measure],
                str(sexes[cell.sex]) if cell else "",
                minority[cell.minority] if cell else "",
                str(ages[cell.age_group]) if cell else "",
                _number(row.value),
            ],
        )


def write(
    stream: IO[bytes], data: IndicatorValues, rows: Iterable[DataValue] | None = None
) -> None:
    """The workbook of ``data`` into ``stream``: ``rows`` (by default every row of ``data``,
    made one at a time) in the data table, the results of ``data.units`` in the summary."""
    cells = xlsx.StreamedRows()
    book = xlsx.workbook_new(write_only=True)
    period = data.period
    when = _("%(start)s to %(end)s") % {
        "start": period.start.strftime("%d/%m/%Y"),
        "end": period.end.strftime("%d/%m/%Y"),
    }
    as_of = data.as_of.strftime("%d/%m/%Y")

    summary = book.create_sheet(_("Summary")[:31])
    _widths(summary, [8, 60, 12] + [16] * len(data.units))
    summary.freeze_panes = "D4"
    title = _("Results of %(unit)s, %(period)s, on the map of %(date)s") % {
        "unit": data.unit.full_name,
        "period": when,
        "date": as_of,
    }
    cells.put(summary, [title], TITLE)
    cells.put(summary, [])
    cells.put(
        summary,
        [_("No."), _("Indicator"), _("Unit of measure")] + [u.full_name for u in data.units],
        BOLD,
        WRAP,
    )

    table = _Table(book, cells)
    results: dict[tuple[int, int], Any] = {}  # a result per unit and indicator: the summary's
    for row, values in _data_lines(data_rows(data) if rows is None else rows):
        if row.measure == Measure.VALUE and row.cell is None:
            results[(row.unit.pk, row.element.pk)] = row.value
        table.append(values)
    table.close()

    for element in data.elements:
        cells.put(
            summary,
            [element.outline_number, element.title, element.unit]
            + [results.get((unit.pk, element.pk), 0) for unit in data.units],
        )

    about = book.create_sheet(_("About")[:31])
    _widths(about, [22, 100])
    lines = [
        (_("Unit"), f"{data.unit.full_name} ({org_unit_code(data.unit)})"),
        (_("Period"), when),
        (_("On the map of"), as_of),
        (_("Exported at"), timezone.localtime().strftime("%d/%m/%Y %H:%M")),
        (
            _("How to read"),
            _(
                "Figures are counted from the records by the indicator rules. A unit's figures "
                "include those of its children and of every unit that became part of it by the "
                "map's date."
            ),
        ),
        (
            _("Unit codes"),
            _(
                "VN-QD124-… : code under QĐ 124/2004/QĐ-TTg (until 30/6/2025); VN-QD19-… : code "
                "under QĐ 19/2025/QĐ-TTg (from 1/7/2025); VN-LOCAL-… : village code of this system."
            ),
        ),
        (
            _("Data element codes"),
            _("Indicator code; “:TARGET” for the plan's target, “:PARTICIPANTS” for participants."),
        ),
    ]
    for label, value in lines:
        cells.put_cells(about, cells.cells(about, [label], BOLD) + cells.cells(about, [value]))
    xlsx.workbook_stream(book, stream)


def render(data: IndicatorValues) -> bytes:
    """The whole workbook at once (small exports, tests)."""
    buffer = io.BytesIO()
    write(buffer, data)
    return buffer.getvalue()
