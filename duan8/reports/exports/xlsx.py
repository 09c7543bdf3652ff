"""Excel workbook of aggregate data, headers in the user's language (Vietnamese by default).

Three sheets: a summary (indicators × units, results), the data as one long table (every value
with its unit, indicator, measure and disaggregation, stable codes beside the names) and what
the file holds (unit, period, the map's date, how codes read).
"""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from duan8.activities.models import AgeGroup, Sex
from duan8.activities.values import IndicatorValues, Measure
from duan8.core import xlsx
from duan8.reports.exports.codes import data_element_code, org_unit_code

BOLD = Font(bold=True)


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _header(sheet: Worksheet, row: int, labels: list[str]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = xlsx.cell_write(sheet, row, column, label)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _number(value: int | Decimal) -> int | float:
    return int(value) if value == int(value) else float(value)


def workbook(data: IndicatorValues) -> Workbook:
    book = xlsx.workbook_new()
    period = data.period
    when = _("%(start)s to %(end)s") % {
        "start": period.start.strftime("%d/%m/%Y"),
        "end": period.end.strftime("%d/%m/%Y"),
    }
    as_of = data.as_of.strftime("%d/%m/%Y")

    summary = book.active
    assert isinstance(summary, Worksheet)
    summary.title = _("Summary")[:31]
    title = _("Results of %(unit)s, %(period)s, on the map of %(date)s") % {
        "unit": data.unit.full_name,
        "period": when,
        "date": as_of,
    }
    xlsx.cell_write(summary, 1, 1, title)
    summary["A1"].font = Font(bold=True, size=13)
    _header(
        summary,
        3,
        [_("No."), _("Indicator"), _("Unit of measure")] + [u.full_name for u in data.units],
    )
    results = {(r.unit.pk, r.element.pk): r.value for r in data.rows if r.measure == Measure.VALUE}
    for index, element in enumerate(data.elements, start=4):
        xlsx.cell_write(summary, index, 1, element.outline_number)
        xlsx.cell_write(summary, index, 2, element.title)
        xlsx.cell_write(summary, index, 3, element.unit)
        for column, unit in enumerate(data.units, start=4):
            xlsx.cell_write(summary, index, column, results.get((unit.pk, element.pk), 0))
    _widths(summary, [8, 60, 12] + [16] * len(data.units))
    summary.freeze_panes = "D4"

    table = book.create_sheet(_("Data")[:31])
    _header(
        table,
        1,
        [
            _("Unit code"),
            _("Unit"),
            _("Data element code"),
            _("Indicator"),
            _("Measure"),
            _("Sex"),
            _("Ethnicity"),
            _("Age group"),
            _("Value"),
        ],
    )
    sexes, ages = dict(Sex.choices), dict(AgeGroup.choices)
    measures = dict(Measure.choices)
    minority = {True: _("Ethnic minority"), False: _("Kinh")}
    for row in data.rows:
        cell = row.cell
        xlsx.row_append(
            table,
            [
                org_unit_code(row.unit),
                row.unit.full_name,
                data_element_code(row.element, row.measure),
                row.element.title,
                str(measures[row.measure]),
                str(sexes[cell.sex]) if cell else "",
                minority[cell.minority] if cell else "",
                str(ages[cell.age_group]) if cell else "",
                _number(row.value),
            ],
        )
    _widths(table, [20, 28, 38, 60, 14, 8, 16, 18, 10])
    table.freeze_panes = "A2"
    table.auto_filter.ref = f"A1:I{max(table.max_row, 1)}"

    about = book.create_sheet(_("About")[:31])
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
        xlsx.row_append(about, [label, value])
        about.cell(row=about.max_row, column=1).font = BOLD
    _widths(about, [22, 100])
    return book


def render(data: IndicatorValues) -> bytes:
    return xlsx.workbook_bytes(workbook(data))
