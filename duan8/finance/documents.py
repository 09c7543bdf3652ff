"""Disbursement and settlement as files: Excel (.xlsx, through ``core.xlsx``: every cell is text
except our own numbers) and Word (.docx, ``documents.docx_builder`` with the NĐ 30/2020 header of
the commune template, as the mothers' payment lists are).

These are official Vietnamese documents: their wording is Vietnamese whatever the language of the
page. A table is a title row and rows of (label, numbers...); amounts are whole đồng (Excel: the
number, formatted ``#,##0``; Word: "1.200.000"). Demo amounts and the unverified rules
(the year-end deadline's extensions, the settlement's breakdown) are said under the table.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from duan8.core import xlsx
from duan8.documents.docx_builder import DocxBuilder, Layout, Line, TableCell
from duan8.documents.plan_document import fill
from duan8.documents.selectors import document_template_get
from duan8.documents.vietnamese import place_date_line, upper
from duan8.finance.disbursement import Disbursement
from duan8.finance.models import Settlement, Source
from duan8.finance.money import money
from duan8.finance.services.settlement import settlement_totals
from duan8.orgunits.models import OrgUnit

TEMPLATE_KEY = "plan.commune"
SOURCES_VI: dict[str, str] = {Source.CENTRAL: "NSTW", Source.LOCAL: "NSĐP"}
DEADLINE_NOTE = (
    "Thời hạn giải ngân: 31/12/{year}. Việc kéo dài thời hạn, chuyển nguồn sang năm sau theo "
    "quy định chưa được kiểm chứng (domain.md 4.3)."
)
SETTLEMENT_NOTE = (
    "Quyết toán theo dự án, nội dung, hoạt động và nguồn vốn (TT 55/2023/TT-BTC; chưa kiểm "
    "chứng). Dòng hoạt động là chi tiết của dòng nội dung/dự án phía trên."
)


@dataclass
class Table:
    """What both files print: the title, the columns, rows of a label and numbers, notes."""

    unit: OrgUnit
    title: str
    subtitle: str
    heads: list[str]
    rows: list[list[Any]] = field(default_factory=list)  # label, then Decimal or int or text
    notes: list[str] = field(default_factory=list)


def _pct(value: int | None) -> str:
    return "" if value is None else f"{value}%"


def disbursement_table(data: Disbursement) -> Table:
    unit = data.unit
    assert unit is not None, "the files are those of a unit"
    table = Table(
        unit=unit,
        title="BÁO CÁO TÌNH HÌNH GIẢI NGÂN KINH PHÍ DỰ ÁN 8",
        subtitle=(
            f"Năm {data.year} — {unit.kind} {unit.name} "
            f"(theo địa giới ngày {data.as_of.strftime('%d/%m/%Y')})"
        ),
        heads=["Nội dung", "Dự toán được giao (đồng)", "Đã giải ngân (đồng)", "Tỷ lệ"],
        notes=[DEADLINE_NOTE.format(year=data.year)],
    )

    def add(label: str, figures: Any) -> None:
        table.rows.append([label, figures.allocated, figures.disbursed, _pct(figures.percent)])

    add("Tổng cộng", data.total)
    for row in data.sources:
        add(f"Nguồn {SOURCES_VI.get(str(row.key), str(row.key))}", row.figures)
    for row in data.contents:
        label = "Cả dự án (không chia theo nội dung)" if row.key == "project" else row.label
        add(label, row.figures)
    for row in data.quarters:
        assert row.cumulative is not None
        add(f"Lũy kế đến hết quý {row.key}", row.cumulative)
    for row in data.units:
        if row.unit is not None:
            add(f"{row.unit.kind} {row.unit.name}", row.figures)
    return table


def settlement_table(settlement: Settlement) -> Table:
    unit = settlement.holder
    lines = list(settlement.lines.select_related("element"))
    status = "Đã phê duyệt" if settlement.status == Settlement.Status.APPROVED else "Dự thảo"
    table = Table(
        unit=unit,
        title="BÁO CÁO QUYẾT TOÁN KINH PHÍ DỰ ÁN 8",
        subtitle=f"Năm {settlement.year} — {unit.kind} {unit.name} ({status})",
        heads=[
            "Dự án / nội dung / hoạt động",
            "Nguồn",
            "Dự toán được giao (đồng)",
            "Đã chi (đồng)",
            "Chuyển nguồn (đồng)",
        ],
        notes=[SETTLEMENT_NOTE],
    )
    for line in lines:
        element = line.element
        label = f"{element.number}: {element.title}" if element.number else element.title
        if element.kind == element.Kind.ACTIVITY:
            label = f"   Trong đó: {label}"
        table.rows.append(
            [label, SOURCES_VI.get(line.source, line.source), line.allocated, line.spent]
            + [line.carried_over]
        )
    allocated, spent, carried = settlement_totals(lines)
    table.rows.append(["Tổng cộng", "", allocated, spent, carried])
    return table


def _agency(unit: OrgUnit) -> list[str]:
    return ["ỦY BAN NHÂN DÂN", upper(f"{unit.kind} {unit.name}".strip())]


def _place_date(unit: OrgUnit) -> str:
    return place_date_line(unit.name, timezone.localdate())


# --- Excel --------------------------------------------------------------------------------------


def table_xlsx(table: Table) -> bytes:
    book = xlsx.workbook_new(title=table.title)
    sheet = book.worksheets[0]
    sheet.title = "Báo cáo"
    template = document_template_get(key=TEMPLATE_KEY)
    width = len(table.heads)
    agency = _agency(table.unit)
    bold = Font(bold=True)
    xlsx.cell_write(sheet, 1, 1, agency[0]).font = bold
    xlsx.cell_write(sheet, 2, 1, agency[1]).font = bold
    xlsx.cell_write(sheet, 1, width, fill(template, "national_name")).font = bold
    xlsx.cell_write(sheet, 2, width, fill(template, "motto")).font = bold
    xlsx.cell_write(sheet, 3, width, _place_date(table.unit)).font = Font(italic=True)
    xlsx.cell_write(sheet, 5, 1, table.title).font = Font(bold=True, size=14)
    xlsx.cell_write(sheet, 6, 1, table.subtitle).font = bold
    for row in (5, 6):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    xlsx.row_append(sheet, [])
    top = 8
    for column, head in enumerate(table.heads, start=1):
        cell = xlsx.cell_write(sheet, top, column, head)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for offset, values in enumerate(table.rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = xlsx.cell_write(sheet, top + offset, column, value)
            if isinstance(value, Decimal | int):
                cell.number_format = "#,##0"
    row = top + len(table.rows) + 2
    for note in table.notes:
        xlsx.cell_write(sheet, row, 1, note).font = Font(italic=True)
        row += 1
    sheet.column_dimensions["A"].width = 60
    for column in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 20
    return xlsx.workbook_bytes(book)


# --- Word ---------------------------------------------------------------------------------------


def _header(builder: DocxBuilder, table: Table, usable: float) -> None:
    layout = builder.layout
    template = document_template_get(key=TEMPLATE_KEY)
    agency = _agency(table.unit)
    left = [
        Line(agency[0], size="agency", bold=True),
        Line(
            agency[1], size="agency", bold=True, rule=layout.agency_rule_ratio, rule_text=agency[0]
        ),
    ]
    right = [
        Line(fill(template, "national_name"), size="national_name", bold=True),
        Line(fill(template, "motto"), size="motto", bold=True, rule=layout.motto_rule_ratio),
    ]
    builder.columns(
        (usable * 0.4, usable * 0.6),
        [
            [left, right],
            [
                [Line(" ", size="number")],
                [Line(_place_date(table.unit), size="place_date", italic=True)],
            ],
        ],
    )


def _cell(value: Any, *, bold: bool) -> TableCell:
    if isinstance(value, Decimal | int):
        return TableCell(money(value), align="right", bold=bold)
    return TableCell(str(value), bold=bold)


def table_docx(table: Table) -> bytes:
    template = document_template_get(key=TEMPLATE_KEY)
    layout = Layout.from_data(template.layout)
    builder = DocxBuilder(layout)
    usable = layout.text_width_mm
    core = builder.document.core_properties
    core.title = core.subject = table.title[:255]
    core.language = layout.language
    _header(builder, table, usable)
    builder.line(Line(table.title, size="document_type", bold=True, space_before_pt=12))
    builder.line(
        Line(table.subtitle, size="summary", bold=True, space_after_pt=12),
        width_pt=usable * 72 / 25.4,
    )
    numbers = len(table.heads) - 1
    first = usable - 26 * numbers
    widths: Sequence[float] = [first, *([26.0] * numbers)]
    header = [[TableCell(head, bold=True, align="center") for head in table.heads]]
    last = len(table.rows) - 1
    body = [
        [_cell(value, bold=index in (0, last)) for value in row]
        for index, row in enumerate(table.rows)
    ]
    builder.table(list(widths), header, body)
    for note in table.notes:
        builder.paragraph(note, italic=True, indent=False, space_before=6)
    _signatures(builder, usable)
    return builder.to_bytes()


def _signatures(builder: DocxBuilder, usable: float) -> None:
    space = builder.layout.signature_space_pt

    def block(title: list[str]) -> list[Line]:
        lines = [Line(title[0], size="signature", bold=True, space_before_pt=12)]
        lines += [Line(text, size="signature", bold=True) for text in title[1:]]
        lines.append(Line(" ", size="signer_name", bold=True, space_before_pt=space))
        return lines

    third = usable / 3
    builder.columns(
        [third, third, third],
        [
            [
                block(["NGƯỜI LẬP"]),
                block(["KẾ TOÁN"]),
                block(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
            ]
        ],
    )
