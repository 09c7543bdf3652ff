"""A report as files: Excel (.xlsx), Word (.docx, Nghị định 30/2020/NĐ-CP) and PDF.

The report is an official Vietnamese document: its wording (headings, table headers, status
names) is Vietnamese whatever the language of the page, as the Kế hoạch's wording comes from its
document template. The Word file is assembled from the building blocks of
``documents.docx_builder`` with the layout, quốc hiệu and tiêu ngữ of the commune template
(``plan.commune``, so an administrator's corrections apply to reports too); the issuer lines,
symbol, summary, recipients and signature come from the report's schedule (data). The PDF is the
Word file converted by LibreOffice (``documents.pdf``).

The figures are the snapshot kept at submission; a draft prints the figures of today's records.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from duan8.accounts.models import User
from duan8.core import audit, xlsx
from duan8.core.audit import NotVisible
from duan8.core.problems import WHOLE, Invalid, Problem
from duan8.documents.docx_builder import DocxBuilder, Layout, Line, TableCell, text_width_pt
from duan8.documents.pdf import docx_to_pdf
from duan8.documents.plan_document import fill
from duan8.documents.selectors import document_template_get
from duan8.documents.vietnamese import BLANK, ascii_slug, date_numeric, place_date_line, upper
from duan8.orgunits.access import can
from duan8.reports.charts import (
    chart_participants,
    chart_progress,
    figure_png,
    participant_rows_from_figures,
    progress_rows_from_figures,
)
from duan8.reports.figures import FigureTable, figure_table, report_figures
from duan8.reports.models import Report
from duan8.reports.selectors import VIEW, report_signer_name

XLSX = "xlsx"
DOCX = "docx"
PDF = "pdf"
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    PDF: "application/pdf",
}
TEMPLATE_KEY = "plan.commune"
CHART_WIDTH_MM = 200  # at most; a tall chart is made smaller to fit its page (docx_builder)

STATUS_VI: dict[str, str] = {
    Report.Status.DRAFT: "Dự thảo",
    Report.Status.SUBMITTED: "Đã gửi",
    Report.Status.RETURNED: "Trả lại để chỉnh sửa",
    Report.Status.APPROVED: "Đã phê duyệt",
}
TEXTS = {
    "document_type": "BÁO CÁO",
    "section_results": "I. KẾT QUẢ THỰC HIỆN",
    "section_difficulties": "II. KHÓ KHĂN, VƯỚNG MẮC",
    "section_proposals": "III. ĐỀ XUẤT, KIẾN NGHỊ",
    "figures_see_appendix": (
        "Kết quả thực hiện các chỉ tiêu (tổng hợp từ số liệu đã ghi) tại Phụ lục "
        "kèm theo Báo cáo này."
    ),
    "appendix_label": "Phụ lục",
    "appendix_title": "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU TỪ NGÀY {start} ĐẾN NGÀY {end}",
    "appendix_attached": (
        "(Kèm theo Báo cáo {summary}; số liệu theo địa giới hành chính ngày {as_of})"
    ),
    "figures_none": "Chưa có số liệu trong kỳ báo cáo.",
    "chart_progress": "Biểu đồ 1. Kết quả so với chỉ tiêu (tỷ lệ % đạt được của từng chỉ tiêu)",
    "chart_participants": "Biểu đồ 2. Người tham gia theo giới tính, dân tộc và nhóm tuổi",
    "no_text": "(Không có.)",
}
HEAD_FIGURES = [
    "TT",
    "Nội dung chỉ tiêu",
    "Đơn vị tính",
    "Chỉ tiêu năm",
    "Kết quả",
    "Tỷ lệ (%)",
    "Tổng số người tham gia",
    "Nữ",
    "Nam",
    "Dân tộc thiểu số",
    "Trẻ em (dưới 16 tuổi)",
]


@dataclass(frozen=True)
class ExportedFile:
    filename: str
    content_type: str
    content: bytes


# --- what is printed -----------------------------------------------------------------------------


def _unit_words(unit: Any) -> str:
    """ "xã Ba Trang", "huyện Ba Tơ": the unit inside a sentence."""
    return f"{unit.kind.lower()} {unit.name}".strip()


def _values(report: Report) -> dict[str, Any]:
    return {
        "unit": _unit_words(report.org_unit),
        "recipient": _unit_words(report.recipient_unit),
        "year": report.period_end.year,
        "start": date_numeric(report.period_start),
        "end": date_numeric(report.period_end),
        "due": date_numeric(report.due_on),
    }


def _format(text: str, values: dict[str, Any]) -> str:
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        raise Invalid(
            [
                Problem(
                    WHOLE,
                    _("The document settings of the schedule use an unknown field: %(error)s.")
                    % {"error": exc},
                )
            ]
        ) from exc


def report_summary(report: Report) -> str:
    """ "Kết quả thực hiện Dự án 8 từ ngày 01/01/2023 đến ngày 15/9/2023" (the trích yếu)."""
    default = "Kết quả thực hiện Dự án 8 từ ngày {start} đến ngày {end}"
    return _format((report.schedule.document or {}).get("summary") or default, _values(report))


def _document_lines(report: Report, key: str) -> list[str]:
    raw = (report.schedule.document or {}).get(key) or []
    items = [raw] if isinstance(raw, str) else list(raw)
    return [_format(item, _values(report)) for item in items if item]


def _paragraphs(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\n\s*\n|\n", text or "") if p.strip()]
    return parts or [TEXTS["no_text"]]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


# --- Excel --------------------------------------------------------------------------------------


def report_xlsx(report: Report, table: FigureTable) -> bytes:
    book = xlsx.workbook_new(title=report_summary(report))
    sheet = book.worksheets[0]
    sheet.title = "Báo cáo"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    xlsx.row_append(sheet, [f"{TEXTS['document_type']} {report_summary(report)}"])
    sheet["A1"].font = Font(bold=True, size=13)
    submitted = report.submitted_at
    facts = [
        ("Báo cáo", report.schedule.name),
        ("Đơn vị báo cáo", report.org_unit.full_name),
        (
            "Gửi",
            ", ".join(_document_lines(report, "recipients")) or report.recipient_unit.full_name,
        ),
        ("Đơn vị xem xét, phê duyệt", report.recipient_unit.full_name),
        ("Kỳ báo cáo", f"{date_numeric(report.period_start)} – {date_numeric(report.period_end)}"),
        ("Hạn nộp", date_numeric(report.due_on)),
        ("Trạng thái", STATUS_VI.get(report.status, report.status)),
        ("Ngày gửi", date_numeric(timezone.localdate(submitted)) if submitted else ""),
        ("Người gửi", str(report.submitted_by) if report.submitted_by else ""),
        ("Số liệu theo địa giới ngày", date_numeric(table.as_of) if table.as_of else ""),
    ]
    xlsx.row_append(sheet, [])
    for label, value in facts:
        xlsx.row_append(sheet, [label, value])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    for heading, text in (
        ("1. Kết quả thực hiện", report.results),
        ("2. Khó khăn, vướng mắc", report.difficulties),
        ("3. Đề xuất, kiến nghị", report.proposals),
    ):
        xlsx.row_append(sheet, [])
        xlsx.row_append(sheet, [heading])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        xlsx.row_append(sheet, [text or ""])
        sheet.cell(row=sheet.max_row, column=1).alignment = wrap
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=2
        )
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 90

    figures = book.create_sheet("Số liệu")
    xlsx.row_append(figures, HEAD_FIGURES)
    for cell in figures[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for line in table.lines:
        xlsx.row_append(
            figures,
            [
                line.number,
                line.title,
                line.measure_unit,
                line.target,
                line.value,
                line.percent,
                line.participants,
                line.women,
                line.men,
                line.minority,
                line.children,
            ],
        )
        figures.cell(row=figures.max_row, column=2).alignment = wrap
    for column, width in zip(range(1, 12), (8, 60, 10, 10, 10, 10, 12, 8, 8, 12, 12), strict=True):
        figures.column_dimensions[get_column_letter(column)].width = width
    figures.freeze_panes = "A2"

    if table.units:
        by_unit = book.create_sheet("Theo đơn vị")
        head = ["TT", "Nội dung chỉ tiêu"]
        for name in table.units:
            head += [f"Kết quả – {name}", f"Chỉ tiêu – {name}"]
        xlsx.row_append(by_unit, head)
        for cell in by_unit[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for line in table.lines:
            row: list[Any] = [line.number, line.title]
            for unit in line.units:
                row += [unit.value, unit.target]
            xlsx.row_append(by_unit, row)
        by_unit.column_dimensions["B"].width = 60
        by_unit.freeze_panes = "C2"
    return xlsx.workbook_bytes(book)


# --- Word ---------------------------------------------------------------------------------------


def _figures_table(builder: DocxBuilder, layout: Layout, table: FigureTable) -> None:
    """The figures, on a landscape appendix page: the official wordings of the indicators are
    long."""
    widths = list((layout.tables or {}).get("report_figures_widths_mm") or ())
    if len(widths) != 9:
        usable = 297 - layout.landscape_margins_mm["left"] - layout.landscape_margins_mm["right"]
        fixed = [14, 20, 20, 16, 18, 16, 17, 16]
        widths = [fixed[0], usable - sum(fixed), *fixed[1:]]
    header = [
        [
            TableCell("TT", rowspan=2, bold=True, align="center"),
            TableCell("Nội dung chỉ tiêu", rowspan=2, bold=True, align="center"),
            TableCell("Chỉ tiêu năm", rowspan=2, bold=True, align="center"),
            TableCell("Kết quả", rowspan=2, bold=True, align="center"),
            TableCell("Tỷ lệ (%)", rowspan=2, bold=True, align="center"),
            TableCell("Người tham gia", colspan=4, bold=True, align="center"),
        ],
        [
            TableCell("Tổng", bold=True, align="center"),
            TableCell("Nữ", bold=True, align="center"),
            TableCell("DTTS", bold=True, align="center"),
            TableCell("Trẻ em", bold=True, align="center"),
        ],
    ]
    body = []
    for line in table.lines:
        body.append(
            [
                TableCell(line.number, align="center"),
                TableCell(line.title_with_unit),
                TableCell(_cell(line.target), align="center"),
                TableCell(_cell(line.value), align="center"),
                TableCell(_cell(line.percent), align="center"),
                TableCell(_cell(line.participants or ""), align="center"),
                TableCell(_cell(line.women or ""), align="center"),
                TableCell(_cell(line.minority or ""), align="center"),
                TableCell(_cell(line.children or ""), align="center"),
            ]
        )
    builder.table(widths, header, body)


def _header_widths(layout: Layout, left: list[Line]) -> tuple[float, float]:
    """The template's header columns, the left one widened (up to what the quốc hiệu leaves) so
    that a Women's Union's longer names fit on one line."""
    total = sum(layout.header_columns_mm)
    widest = max(
        (
            text_width_pt(line.text, layout.size(line.size), bold=line.bold) * 25.4 / 72
            for line in left
        ),
        default=0,
    )
    first = min(max(layout.header_columns_mm[0], widest + 14), total - 95)
    first = max(first, layout.header_columns_mm[0])
    return first, total - first


def report_docx(report: Report, table: FigureTable) -> bytes:
    template = document_template_get(key=TEMPLATE_KEY)
    layout = Layout.from_data(template.layout)
    builder = DocxBuilder(layout)
    summary = report_summary(report)
    core = builder.document.core_properties
    core.title, core.subject = f"{TEXTS['document_type']} {summary}"[:255], summary[:255]
    core.language = layout.language

    agency = [upper(line) for line in _document_lines(report, "agency")] or [
        upper(report.org_unit.full_name)
    ]
    parent = [upper(line) for line in _document_lines(report, "parent")]
    widest = max(agency, key=lambda s: text_width_pt(s, layout.size("agency"), bold=True))
    left = [Line(line, size="parent_agency") for line in parent]
    left += [
        Line(
            name,
            size="agency",
            bold=True,
            rule=layout.agency_rule_ratio if index == len(agency) - 1 else None,
            rule_text=widest,
        )
        for index, name in enumerate(agency)
    ]
    right = [
        Line(fill(template, "national_name"), size="national_name", bold=True),
        Line(fill(template, "motto"), size="motto", bold=True, rule=layout.motto_rule_ratio),
    ]
    submitted = timezone.localdate(report.submitted_at) if report.submitted_at else None
    symbol = report.schedule.document_symbol
    number = report.document_number or f"{BLANK}/{symbol}"
    builder.columns(
        _header_widths(layout, left),
        [
            [left, right],
            [
                [Line(f"Số: {number}", size="number", space_before_pt=4)],
                [
                    Line(
                        place_date_line(report.org_unit.name, submitted, year=report.due_on.year),
                        size="place_date",
                        italic=True,
                        space_before_pt=4,
                    )
                ],
            ],
        ],
    )
    text_width = layout.text_width_mm * 72 / 25.4
    builder.line(Line(TEXTS["document_type"], size="document_type", bold=True, space_before_pt=18))
    builder.line(
        Line(summary, size="summary", bold=True, rule=layout.summary_rule_ratio, space_after_pt=12),
        width_pt=text_width,
    )
    builder.heading(TEXTS["section_results"])
    for paragraph in _paragraphs(report.results):
        builder.paragraph(paragraph)
    has_figures = bool(table.lines) and not table.is_empty
    builder.paragraph(TEXTS["figures_see_appendix"] if has_figures else TEXTS["figures_none"])
    builder.heading(TEXTS["section_difficulties"])
    for paragraph in _paragraphs(report.difficulties):
        builder.paragraph(paragraph)
    builder.heading(TEXTS["section_proposals"])
    for paragraph in _paragraphs(report.proposals):
        builder.paragraph(paragraph)

    recipients = [
        Line(
            fill(template, "recipients_heading"),
            size="recipients_heading",
            bold=True,
            italic=True,
            align="left",
            space_before_pt=6,
        ),
        *(Line(r, size="recipients", align="left") for r in _document_lines(report, "recipients")),
    ]
    signature = [Line(s, size="signature", bold=True) for s in _document_lines(report, "signature")]
    if signature:
        signature[0] = Line(signature[0].text, size="signature", bold=True, space_before_pt=6)
    # The issuing body's signer (the commune chairman for the People's Committee), or a blank
    # for a hand-written name: never simply whoever pressed "submit".
    signer = report_signer_name(report)
    signature.append(
        Line(signer, size="signer_name", bold=True, space_before_pt=layout.signature_space_pt)
    )
    builder.columns(layout.closing_columns_mm, [[recipients, signature]])

    if has_figures:
        builder.new_section(landscape=True)
        builder.line(Line(TEXTS["appendix_label"], size="appendix_label", bold=True))
        builder.line(
            Line(
                TEXTS["appendix_title"].format(
                    start=date_numeric(report.period_start), end=date_numeric(report.period_end)
                ),
                size="appendix_title",
                bold=True,
            )
        )
        builder.line(
            Line(
                TEXTS["appendix_attached"].format(
                    summary=summary[:1].lower() + summary[1:],
                    as_of=date_numeric(table.as_of or report.due_on),
                ),
                size="appendix_attached",
                italic=True,
                space_after_pt=12,
            )
        )
        _figures_table(builder, layout, table)
        _charts(builder, table)
    return builder.to_bytes()


def _charts(builder: DocxBuilder, table: FigureTable) -> None:
    """The dashboard's charts of these figures, as pictures under the appendix table."""
    progress = progress_rows_from_figures(table)
    participants = participant_rows_from_figures(table)
    if progress:
        image = figure_png(chart_progress(progress))
        builder.picture(image, width_mm=CHART_WIDTH_MM, caption=TEXTS["chart_progress"])
    if participants:
        image = figure_png(chart_participants(participants))
        builder.picture(image, width_mm=CHART_WIDTH_MM, caption=TEXTS["chart_participants"])


# --- the export service -------------------------------------------------------------------------


def report_filename(report: Report, file_format: str) -> str:
    """ "bao-cao-hlhpn-ket-qua-15-9-ba-trang-2023-09-15.docx"."""
    unit = ascii_slug(report.org_unit.name)
    return f"bao-cao-{report.schedule.code}-{unit}-{report.due_on.isoformat()}.{file_format}"


def report_export(*, actor: User, report: Report, file_format: str) -> ExportedFile:
    """The report as .xlsx, .docx or .pdf, for those who may see it; every export is audited.

    Raises ``documents.pdf.ConversionError`` when LibreOffice is missing or fails (nothing is
    audited then)."""
    if file_format not in CONTENT_TYPES:
        raise Invalid(
            [
                Problem(
                    "file_format",
                    _("Unknown format “%(format)s”; use xlsx, docx or pdf.")
                    % {"format": file_format},
                    "invalid_choice",
                )
            ]
        )
    if not can(actor, VIEW, report.org_unit):
        raise NotVisible
    table = figure_table(report_figures(actor=actor, report=report))
    if file_format == XLSX:
        content = report_xlsx(report, table)
    else:
        content = report_docx(report, table)
        if file_format == PDF:
            content = docx_to_pdf(content)
    audit.record(
        actor=actor,
        action="reports.report.exported",
        target=report,
        org_unit=report.org_unit,
        after={
            "format": file_format,
            "bytes": len(content),
            "status": report.status,
            "version": report.version,
        },
    )
    return ExportedFile(report_filename(report, file_format), CONTENT_TYPES[file_format], content)
