"""The payment list as files: Excel (.xlsx), Word (.docx, NĐ 30/2020/NĐ-CP) and PDF.

"Danh sách chi trả / ký nhận" is an official Vietnamese document: its wording is Vietnamese
whatever the language of the page. The Word file is built from ``documents.docx_builder`` with
the layout, quốc hiệu and tiêu ngữ of the commune template (``plan.commune``), as the reports
are: issuing body (Ủy ban nhân dân xã), number, place and date, the title, then the table —
STT, họ tên mẹ, năm sinh, thôn, the amount of each package item, the total, a column to sign
and a note — a total row, the total in words, and the signatures of the person who made the
list, the accountant and the commune chairman. Landscape: the table is wide.

Only names, years of birth, villages and amounts are printed: never ethnicity or health.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from duan8.accounts.models import User
from duan8.core import audit, xlsx
from duan8.core.audit import NotVisible
from duan8.documents.docx_builder import DocxBuilder, Layout, Line, TableCell
from duan8.documents.pdf import docx_to_pdf
from duan8.documents.plan_document import fill
from duan8.documents.selectors import document_template_get
from duan8.documents.vietnamese import BLANK, ascii_slug, place_date_line, upper
from duan8.mothers.models import PaymentList, Pregnancy
from duan8.mothers.money_words import amount_in_words
from duan8.mothers.selectors_payments import ListTable, Row, payment_list_table, payments_readable
from duan8.mothers.services.payments import money

XLSX, DOCX, PDF = "xlsx", "docx", "pdf"
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    PDF: "application/pdf",
}
TEMPLATE_KEY = "plan.commune"
COMMAND_LINE = "payment_list (command line)"
TEXTS = {
    "document_type": "DANH SÁCH",
    "number": "Số: {number}",
    "symbol": "DS-UBND",
    "head_number": "STT",
    "head_name": "Họ và tên mẹ",
    "head_birth_year": "Năm sinh",
    "head_village": "Thôn",
    "head_amounts": "Số tiền hỗ trợ (đồng)",
    "head_total": "Tổng cộng",
    "head_signature": "Ký nhận",
    "head_note": "Ghi chú",
    "total_row": "Tổng cộng",
    "in_words": "Số tiền bằng chữ: {words}.",
    "maker": "NGƯỜI LẬP",
    "accountant": "KẾ TOÁN",
    "authority": "TM. ỦY BAN NHÂN DÂN",
    "chairman": "CHỦ TỊCH",
    "sign_hint": "(Ký, ghi rõ họ tên)",
    "not_payable": "Không chi trả ({status})",
    "reversed": "Có bút toán hủy",
}
STATUS_VI: dict[str, str] = {
    Pregnancy.Status.REJECTED: "không được duyệt",
    Pregnancy.Status.DUPLICATE: "trùng hồ sơ",
    Pregnancy.Status.PROPOSED: "chưa duyệt",
    Pregnancy.Status.VERIFIED: "chưa duyệt",
}


@dataclass(frozen=True)
class ExportedFile:
    filename: str
    content_type: str
    content: bytes


def _agency(payment_list: PaymentList) -> list[str]:
    """ "ỦY BAN NHÂN DÂN", "XÃ BA TRANG"."""
    commune = payment_list.commune
    return ["ỦY BAN NHÂN DÂN", upper(f"{commune.kind} {commune.name}".strip())]


def _number(payment_list: PaymentList) -> str:
    return TEXTS["number"].format(number=payment_list.number or f"{BLANK}/{TEXTS['symbol']}")


def _place_date(payment_list: PaymentList) -> str:
    approved = payment_list.approved_at
    day = timezone.localdate(approved) if approved else None
    return place_date_line(payment_list.commune.name, day, year=payment_list.year)


def _note(row: Row) -> str:
    if row.status != Pregnancy.Status.APPROVED:
        return TEXTS["not_payable"].format(status=STATUS_VI.get(row.status, row.status))
    if any(p.reverses_id for p in row.payments):
        return TEXTS["reversed"]
    return ""


def _signers(payment_list: PaymentList) -> tuple[str, str]:
    maker = payment_list.created_by.full_name if payment_list.created_by else ""
    chairman = payment_list.approved_by.full_name if payment_list.approved_by else ""
    return maker, chairman


# --- Excel --------------------------------------------------------------------------------------


def _xlsx_head(sheet: Any, table: ListTable, width: int) -> int:
    """The header block, title and the table's two header rows; returns the first data row."""
    payment_list = table.payment_list
    agency = _agency(payment_list)
    template = document_template_get(key=TEMPLATE_KEY)
    right = max(width - 4, 4)
    bold = Font(bold=True)
    for row, (left, other) in enumerate(
        [
            (agency[0], fill(template, "national_name")),
            (agency[1], fill(template, "motto")),
            (_number(payment_list), _place_date(payment_list)),
        ],
        start=1,
    ):
        xlsx.cell_write(sheet, row, 1, left).font = bold if row < 3 else Font()
        xlsx.cell_write(sheet, row, right, other).font = bold if row < 3 else Font(italic=True)
    xlsx.cell_write(sheet, 5, 1, TEXTS["document_type"]).font = Font(bold=True, size=14)
    xlsx.cell_write(sheet, 6, 1, payment_list.title).font = bold
    for row in (5, 6):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center", wrap_text=True)
    top, items = 8, len(table.columns)
    heads = [
        TEXTS["head_number"],
        TEXTS["head_name"],
        TEXTS["head_birth_year"],
        TEXTS["head_village"],
    ]
    for column, text in enumerate(heads, start=1):
        xlsx.cell_write(sheet, top, column, text)
        sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
    xlsx.cell_write(sheet, top, 5, TEXTS["head_amounts"])
    sheet.merge_cells(start_row=top, start_column=5, end_row=top, end_column=5 + items)
    for index, item in enumerate(table.columns):
        xlsx.cell_write(sheet, top + 1, 5 + index, item.name)
    xlsx.cell_write(sheet, top + 1, 5 + items, TEXTS["head_total"])
    for offset, text in enumerate((TEXTS["head_signature"], TEXTS["head_note"])):
        column = 6 + items + offset
        xlsx.cell_write(sheet, top, column, text)
        sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
    for row in (top, top + 1):
        for column in range(1, width + 1):
            cell = sheet.cell(row=row, column=column)
            cell.font = bold
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return top + 2


def _xlsx_signatures(sheet: Any, row: int, payment_list: PaymentList, width: int) -> None:
    maker, chairman = _signers(payment_list)
    columns = [1, max(width // 2 - 1, 2), max(width - 3, 3)]
    blocks = [
        [TEXTS["maker"], TEXTS["sign_hint"], maker],
        [TEXTS["accountant"], TEXTS["sign_hint"], ""],
        [TEXTS["authority"], TEXTS["chairman"], chairman],
    ]
    for column, lines in zip(columns, blocks, strict=True):
        xlsx.cell_write(sheet, row, column, lines[0]).font = Font(bold=True)
        xlsx.cell_write(sheet, row + 1, column, lines[1]).font = Font(
            italic=lines[1] == TEXTS["sign_hint"], bold=lines[1] == TEXTS["chairman"]
        )
        if lines[2]:
            xlsx.cell_write(sheet, row + 6, column, lines[2]).font = Font(bold=True)


def payment_list_xlsx(table: ListTable) -> bytes:
    payment_list = table.payment_list
    book = xlsx.workbook_new(title=payment_list.title)
    sheet = book.worksheets[0]
    sheet.title = "Danh sách chi trả"
    items = len(table.columns)
    width = 7 + items
    row = _xlsx_head(sheet, table, width)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    first = row - 2
    for line in table.rows:
        values: list[Any] = [line.number, line.name, line.birth_year, line.village]
        values += [int(a) for a in line.amounts] + [int(line.due), "", _note(line)]
        for column, value in enumerate(values, start=1):
            xlsx.cell_write(sheet, row, column, value)
        row += 1
    xlsx.cell_write(sheet, row, 1, TEXTS["total_row"]).font = Font(bold=True)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    for index, total in enumerate([*table.column_totals, table.due]):
        xlsx.cell_write(sheet, row, 5 + index, int(total)).font = Font(bold=True)
    for line_row in sheet.iter_rows(min_row=first, max_row=row, max_col=width):
        for cell in line_row:
            cell.border = border
            if isinstance(cell.value, int) and cell.column >= 5:
                cell.number_format = "#,##0"
    words = TEXTS["in_words"].format(words=amount_in_words(table.due))
    xlsx.cell_write(sheet, row + 1, 1, words).font = Font(italic=True, bold=True)
    _xlsx_signatures(sheet, row + 3, payment_list, width)
    for column, size in enumerate([6, 28, 9, 16, *([14] * items), 15, 16, 18], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    return xlsx.workbook_bytes(book)


# --- Word ---------------------------------------------------------------------------------------


def _docx_table(builder: DocxBuilder, table: ListTable, usable_mm: float) -> None:
    items = len(table.columns)
    fixed = [10.0, 44.0, 14.0, 24.0]
    tail = [22.0, 24.0, 22.0]
    item_width = max((usable_mm - sum(fixed) - sum(tail)) / max(items, 1), 14.0)
    widths = [*fixed, *([item_width] * items), *tail]

    def head(text: str, **kwargs: Any) -> TableCell:
        return TableCell(text, bold=True, align="center", **kwargs)

    header = [
        [
            head(TEXTS["head_number"], rowspan=2),
            head(TEXTS["head_name"], rowspan=2),
            head(TEXTS["head_birth_year"], rowspan=2),
            head(TEXTS["head_village"], rowspan=2),
            head(TEXTS["head_amounts"], colspan=items + 1),
            head(TEXTS["head_signature"], rowspan=2),
            head(TEXTS["head_note"], rowspan=2),
        ],
        [*(head(item.name) for item in table.columns), head(TEXTS["head_total"])],
    ]
    body = [
        [
            TableCell(str(row.number), align="center"),
            TableCell(row.name),
            TableCell(str(row.birth_year), align="center"),
            TableCell(row.village),
            *(TableCell(money(a), align="right") for a in row.amounts),
            TableCell(money(row.due), align="right", bold=True),
            TableCell(""),
            TableCell(_note(row), italic=True),
        ]
        for row in table.rows
    ]
    body.append(
        [
            TableCell(TEXTS["total_row"], colspan=4, bold=True, align="center"),
            *(TableCell(money(t), align="right", bold=True) for t in table.column_totals),
            TableCell(money(table.due), align="right", bold=True),
            TableCell(""),
            TableCell(""),
        ]
    )
    builder.table(widths, header, body)


def _docx_signatures(builder: DocxBuilder, payment_list: PaymentList, usable_mm: float) -> None:
    maker, chairman = _signers(payment_list)
    space = builder.layout.signature_space_pt

    def block(title: list[str], name: str) -> list[Line]:
        lines = [Line(title[0], size="signature", bold=True, space_before_pt=12)]
        lines += [
            Line(text, size="signature", bold=text != TEXTS["sign_hint"]) for text in title[1:]
        ]
        lines.append(Line(name or " ", size="signer_name", bold=True, space_before_pt=space))
        return lines

    third = usable_mm / 3
    builder.columns(
        [third, third, third],
        [
            [
                block([TEXTS["maker"], TEXTS["sign_hint"]], maker),
                block([TEXTS["accountant"], TEXTS["sign_hint"]], ""),
                block([TEXTS["authority"], TEXTS["chairman"]], chairman),
            ]
        ],
    )


def payment_list_docx(table: ListTable) -> bytes:
    payment_list = table.payment_list
    template = document_template_get(key=TEMPLATE_KEY)
    layout = Layout.from_data(template.layout)
    builder = DocxBuilder(layout)
    # The whole document on landscape pages (the binding margin at the top, as the layout says
    # for landscape appendices): the table has a column per package item.
    builder._page_setup(builder.document.sections[0], landscape=True)
    margins = layout.landscape_margins_mm
    usable = 297 - margins["left"] - margins["right"]
    core = builder.document.core_properties
    core.title, core.subject = payment_list.title[:255], payment_list.title[:255]
    core.language = layout.language

    agency = _agency(payment_list)
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
    widths = (usable * 0.4, usable * 0.6)
    builder.columns(
        widths,
        [
            [left, right],
            [
                [Line(_number(payment_list), size="number", space_before_pt=4)],
                [
                    Line(
                        _place_date(payment_list), size="place_date", italic=True, space_before_pt=4
                    )
                ],
            ],
        ],
    )
    builder.line(Line(TEXTS["document_type"], size="document_type", bold=True, space_before_pt=12))
    builder.line(
        Line(
            payment_list.title,
            size="summary",
            bold=True,
            rule=layout.summary_rule_ratio,
            space_after_pt=12,
        ),
        width_pt=usable * 72 / 25.4,
    )
    _docx_table(builder, table, usable)
    builder.paragraph(
        TEXTS["in_words"].format(words=amount_in_words(table.due)),
        italic=True,
        indent=False,
        space_before=6,
    )
    _docx_signatures(builder, payment_list, usable)
    return builder.to_bytes()


# --- the export service -------------------------------------------------------------------------


def payment_list_filename(payment_list: PaymentList, file_format: str) -> str:
    """ "danh-sach-chi-tra-ba-trang-2023-7.xlsx"."""
    unit = ascii_slug(payment_list.commune.name)
    return f"danh-sach-chi-tra-{unit}-{payment_list.year}-{payment_list.pk}.{file_format}"


def payment_list_export(
    *, actor: User | None, payment_list: PaymentList, file_format: str
) -> ExportedFile:
    """The list as .xlsx, .docx or .pdf for those who may read it (``actor`` None: the command
    line); every export is audited. Raises ``documents.pdf.ConversionError`` when LibreOffice is
    missing or fails (nothing is audited then)."""
    if file_format not in CONTENT_TYPES:
        raise ValidationError(
            _("Unknown format “%(format)s”; use xlsx, docx or pdf.") % {"format": file_format}
        )
    if actor is not None and not payments_readable(actor, payment_list.commune):
        raise NotVisible
    table = payment_list_table(payment_list)
    if file_format == XLSX:
        content = payment_list_xlsx(table)
    else:
        content = payment_list_docx(table)
        if file_format == PDF:
            content = docx_to_pdf(content)
    audit.record(
        actor=actor,
        actor_name="" if actor is not None else COMMAND_LINE,
        action="mothers.payment_list.exported",
        target=payment_list,
        org_unit=payment_list.commune,
        after={"format": file_format, "bytes": len(content), "entries": len(table.rows)},
    )
    return ExportedFile(
        payment_list_filename(payment_list, file_format), CONTENT_TYPES[file_format], content
    )
