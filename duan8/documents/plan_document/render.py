"""The Kế hoạch as a Word document: ``plan_text``'s paragraphs and tables laid out by the builder.

Header and closing blocks in two columns, the body, then each appendix in its own (landscape)
section, every measure from the template's layout.
"""

from duan8.documents.docx_builder import DocxBuilder, Line, text_width_pt
from duan8.documents.plan_document.text import PlanText


def plan_text_render(text: PlanText) -> bytes:
    """The document as .docx bytes."""
    layout = text.layout
    builder = DocxBuilder(layout)
    core = builder.document.core_properties
    core.title, core.subject, core.author = text.core_title, text.summary[:255], text.issuing_body
    core.language = layout.language

    widest_agency = max(
        text.agency_lines,
        key=lambda s: text_width_pt(s, layout.size("agency"), bold=True),
        default="",
    )
    left = []
    if text.parent_line:
        left.append(Line(text.parent_line, size="parent_agency"))
    for index, name in enumerate(text.agency_lines):
        last = index == len(text.agency_lines) - 1
        left.append(
            Line(
                name,
                size="agency",
                bold=True,
                rule=layout.agency_rule_ratio if last else None,
                rule_text=widest_agency,
            )
        )
    right = [
        Line(text.national_name, size="national_name", bold=True),
        Line(text.motto, size="motto", bold=True, rule=layout.motto_rule_ratio),
    ]
    builder.columns(
        layout.header_columns_mm,
        [
            [left, right],
            [
                [Line(text.number_line, size="number", space_before_pt=4)],
                [Line(text.place_date_line, size="place_date", italic=True, space_before_pt=4)],
            ],
        ],
    )
    text_width = layout.text_width_mm * 72 / 25.4
    builder.line(Line(text.document_type_name, size="document_type", bold=True, space_before_pt=18))
    builder.line(
        Line(
            text.summary,
            size="summary",
            bold=True,
            rule=layout.summary_rule_ratio,
            space_after_pt=12,
        ),
        width_pt=text_width,
    )
    for para in text.legal_bases:
        builder.paragraph(para.text, italic=layout.legal_basis_italic)
    for para in text.body:
        if para.heading:
            builder.heading(para.text)
        else:
            builder.paragraph(para.text)

    recipients = [
        Line(
            text.recipients_heading,
            size="recipients_heading",
            bold=True,
            italic=True,
            align="left",
            space_before_pt=6,
        ),
        *(Line(r, size="recipients", align="left") for r in text.recipients),
    ]
    signature = [Line(s, size="signature", bold=True) for s in text.signature_lines]
    if signature:
        signature[0] = Line(signature[0].text, size="signature", bold=True, space_before_pt=6)
    signature.append(
        Line(
            text.signer_name,
            size="signer_name",
            bold=True,
            space_before_pt=layout.signature_space_pt,
        )
    )
    builder.columns(layout.closing_columns_mm, [[recipients, signature]])

    for appendix in text.appendices:
        builder.new_section(landscape=appendix.landscape)
        builder.line(Line(appendix.label, size="appendix_label", bold=True))
        builder.line(Line(appendix.title, size="appendix_title", bold=True))
        builder.line(
            Line(appendix.attached_line, size="appendix_attached", italic=True, space_after_pt=12)
        )
        builder.table(appendix.widths_mm, appendix.header, appendix.body)
    return builder.to_bytes()
