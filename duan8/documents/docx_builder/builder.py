"""The Word builder: blocks of an administrative document (NĐ 30/2020/NĐ-CP, Phụ lục I).

``DocxBuilder`` knows the page (A4, margins, Times New Roman, page numbers centred in the top
margin and none on the first page), the two-column blocks of the header (agency and number |
quốc hiệu, tiêu ngữ and place/date) and of the end (nơi nhận | signature), lines drawn as shapes
under the agency name, the tiêu ngữ and the summary, headings, paragraphs, tables with merged
header cells, and new sections (portrait or landscape) for appendices. It knows nothing about
plans: ``plan_document`` assembles a Kế hoạch from these blocks, and a report to the level above
can be assembled from the same ones. Every measure comes from a ``Layout`` (``layout.py``).
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.image.image import Image as DocxImage
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Length, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from duan8.documents.docx_builder.fonts import text_width_pt
from duan8.documents.docx_builder.layout import Layout

EMU_PER_PT = 12700
CAPTION_ALLOWANCE_MM = 16  # a caption of up to two lines under a picture, with its spacing
PICTURE_SLACK_PT = 4
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"

JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


@dataclass(frozen=True)
class Line:
    """One paragraph of a header or closing block."""

    text: str
    size: str = "body"
    bold: bool = False
    italic: bool = False
    align: str = "center"
    rule: float | None = None  # draw a line under it, this fraction of the text's width
    rule_text: str = ""  # measure this text instead (the longest line of a block)
    space_before_pt: float = 0
    space_after_pt: float = 0


@dataclass
class TableCell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    bold: bool = False
    italic: bool = False
    align: str = "left"


# -- the builder -------------------------------------------------------------------------------


class DocxBuilder:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.document = Document()
        self._shapes = 0
        self._setup_styles()
        section = self.document.sections[0]
        self._page_setup(section, landscape=False)
        section.different_first_page_header_footer = True
        self._page_number_header(section)
        section.first_page_header.is_linked_to_previous = False  # an empty first-page header
        self._restart_sections = 0

    # page and styles

    def _setup_styles(self) -> None:
        font, language = self.layout.font, self.layout.language
        styles = self.document.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for child in list(rpr):
            if child.tag in (qn("w:rFonts"), qn("w:lang")):
                rpr.remove(child)
        rpr.insert(
            0,
            parse_xml(
                f'<w:rFonts {nsdecls("w")} w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"'
                f' w:eastAsia="{font}"/>'
            ),
        )
        rpr.append(
            parse_xml(f'<w:lang {nsdecls("w")} w:val="{language}" w:eastAsia="{language}"/>')
        )
        normal = self.document.styles["Normal"]
        normal.font.name = font
        normal.font.size = Pt(self.layout.size("body"))
        normal_rpr = normal.element.get_or_add_rPr()
        fonts = normal_rpr.find(qn("w:rFonts"))
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(attribute), None)
        fonts.set(qn("w:cs"), font)
        fonts.set(qn("w:eastAsia"), font)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.space_before = Pt(0)
        normal.paragraph_format.line_spacing = 1.0

    def _page_setup(self, section: Any, *, landscape: bool) -> None:
        margins = self.layout.landscape_margins_mm if landscape else self.layout.margins_mm
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (
            (Mm(297), Mm(210))
            if landscape
            else (
                Mm(210),
                Mm(297),
            )
        )
        section.top_margin = Mm(margins["top"])
        section.bottom_margin = Mm(margins["bottom"])
        section.left_margin = Mm(margins["left"])
        section.right_margin = Mm(margins["right"])
        section.header_distance = Mm(self.layout.header_distance_mm)
        section.footer_distance = Mm(self.layout.header_distance_mm)
        section.gutter = Mm(0)

    def _page_number_header(self, section: Any) -> None:
        """The page number, centred in the top margin (on every page but the first)."""
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        size = int(self.layout.size("page_number") * 2)
        run_props = f'<w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
        for xml in (
            f'<w:r {nsdecls("w")}>{run_props}<w:fldChar w:fldCharType="begin"/></w:r>',
            f"<w:r {nsdecls('w')}>{run_props}"
            '<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
            f'<w:r {nsdecls("w")}>{run_props}<w:fldChar w:fldCharType="separate"/></w:r>',
            f"<w:r {nsdecls('w')}>{run_props}<w:t>2</w:t></w:r>",
            f'<w:r {nsdecls("w")}>{run_props}<w:fldChar w:fldCharType="end"/></w:r>',
        ):
            paragraph._p.append(parse_xml(xml))

    def new_section(self, *, landscape: bool, restart_numbering: bool | None = None) -> None:
        """Start a new page in a new section (an appendix), portrait or landscape."""
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        self._page_setup(section, landscape=landscape)
        section.different_first_page_header_footer = False
        restart = (
            self.layout.appendix_page_numbers == "restart"
            if restart_numbering is None
            else restart_numbering
        )
        sect_pr = section._sectPr
        for old in sect_pr.findall(qn("w:pgNumType")):
            sect_pr.remove(old)
        if restart:
            number_type = parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>')
            # schema order: pgNumType comes after pgMar/paperSrc/pgBorders/lnNumType
            anchor = sect_pr.find(qn("w:pgMar"))
            anchor.addnext(number_type)
            section.different_first_page_header_footer = True

    def page_break(self) -> None:
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def picture(self, image: bytes, *, width_mm: float | None = None, caption: str = "") -> None:
        """An image (PNG bytes, e.g. a chart) centred, with an italic caption kept on its page.

        It is drawn ``width_mm`` wide (default: the width of the text), made smaller to fit the
        text area of its section, caption included, keeping its proportions: a tall chart
        (200 × 471 mm) shrinks to the page's height instead of being cut off at its foot."""
        section = self.document.sections[-1]
        usable_width = _emu(section.page_width) - _emu(section.left_margin)
        usable_width -= _emu(section.right_margin)
        usable_height = _emu(section.page_height) - _emu(section.top_margin)
        usable_height -= _emu(section.bottom_margin)
        if caption:
            usable_height -= Mm(CAPTION_ALLOWANCE_MM)
        usable_height -= Pt(6 + PICTURE_SLACK_PT)  # the space before it, and LibreOffice's rounding
        pixels = DocxImage.from_blob(image)
        ratio = pixels.px_height / pixels.px_width if pixels.px_width else 1.0
        width = usable_width if width_mm is None else min(Mm(width_mm), usable_width)
        if width * ratio > usable_height:
            width = int(usable_height / ratio)
        paragraph = self.document.add_paragraph()
        self._format(paragraph, align="center", space_before=6)
        if caption:
            paragraph.paragraph_format.keep_with_next = True
        paragraph.add_run().add_picture(io.BytesIO(image), width=Emu(int(width)))
        if caption:
            below = self.document.add_paragraph()
            self._format(below, align="center", space_after=6)
            self._run(below, caption, size="body", italic=True)

    # paragraphs

    def _format(
        self,
        paragraph: Paragraph,
        *,
        align: str,
        space_before: float = 0,
        space_after: float = 0,
        first_line_indent: bool = False,
        line_spacing: float | None = None,
    ) -> None:
        fmt = paragraph.paragraph_format
        fmt.alignment = ALIGN[align]
        fmt.space_before = Pt(space_before)
        fmt.space_after = Pt(space_after)
        if first_line_indent:
            fmt.first_line_indent = Cm(self.layout.first_line_indent_cm)
        if line_spacing is not None:
            fmt.line_spacing = line_spacing

    def _run(
        self,
        paragraph: Paragraph,
        text: str,
        *,
        size: str,
        bold: bool = False,
        italic: bool = False,
    ) -> None:
        run = paragraph.add_run(text)
        run.font.size = Pt(self.layout.size(size))
        if bold:
            run.font.bold = True
        if italic:
            run.font.italic = True

    def paragraph(
        self,
        text: str,
        *,
        size: str = "body",
        bold: bool = False,
        italic: bool = False,
        align: str = "justify",
        indent: bool = True,
        space_before: float | None = None,
        space_after: float | None = None,
        container: Any = None,
    ) -> Paragraph:
        """A body paragraph: justified, first line indented, spacing and line height of the body."""
        paragraph = (container or self.document).add_paragraph()
        self._format(
            paragraph,
            align=align,
            space_before=0 if space_before is None else space_before,
            space_after=self.layout.paragraph_space_after_pt
            if space_after is None
            else space_after,
            first_line_indent=indent,
            line_spacing=self.layout.line_spacing,
        )
        self._run(paragraph, text, size=size, bold=bold, italic=italic)
        return paragraph

    def heading(self, text: str) -> Paragraph:
        """ "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích": bold, indented like the body."""
        return self.paragraph(text, bold=True)

    def line(self, line: Line, *, container: Any = None, width_pt: float | None = None) -> None:
        """A line of a block; with ``rule``, a drawn line follows, centred under the text."""
        paragraph = (container or self.document).add_paragraph()
        self._format(
            paragraph,
            align=line.align,
            space_before=line.space_before_pt,
            space_after=0 if line.rule else line.space_after_pt,
        )
        self._run(paragraph, line.text, size=line.size, bold=line.bold, italic=line.italic)
        if line.rule:
            size = self.layout.size(line.size)
            width = text_width_pt(
                line.rule_text or line.text, size, bold=line.bold, italic=line.italic
            )
            if width_pt is not None:
                width = min(width, width_pt)
            self.rule(width * line.rule, container=container, space_after=line.space_after_pt)

    def rule(self, length_pt: float, *, container: Any = None, space_after: float = 0) -> None:
        """A horizontal line drawn as a shape (not an underline), centred, in its own paragraph.

        The paragraph is 3 pt high, so the line sits just under the text above it, however many
        lines that text wraps to.
        """
        paragraph = (container or self.document).add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(space_after)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(3)
        self._shapes += 1
        length = int(length_pt * EMU_PER_PT)
        weight = int(self.layout.rule_weight_pt * EMU_PER_PT)
        shape_id = 1000 + self._shapes
        drawing = parse_xml(
            f"<w:r {nsdecls('w', 'wp', 'a')} xmlns:wps='{WPS}'>"
            "<w:rPr><w:sz w:val='2'/></w:rPr><w:drawing>"
            f"<wp:inline distT='0' distB='0' distL='0' distR='0'>"
            f"<wp:extent cx='{length}' cy='0'/>"
            f"<wp:effectExtent l='0' t='{weight}' r='0' b='{weight}'/>"
            f"<wp:docPr id='{shape_id}' name='Line {self._shapes}'/>"
            f"<wp:cNvGraphicFramePr/>"
            f"<a:graphic><a:graphicData"
            f" uri='http://schemas.microsoft.com/office/word/2010/wordprocessingShape'>"
            f"<wps:wsp><wps:cNvCnPr/><wps:spPr>"
            f"<a:xfrm><a:off x='0' y='0'/><a:ext cx='{length}' cy='0'/></a:xfrm>"
            f"<a:prstGeom prst='line'><a:avLst/></a:prstGeom>"
            f"<a:ln w='{weight}'><a:solidFill><a:srgbClr val='000000'/></a:solidFill></a:ln>"
            f"</wps:spPr><wps:bodyPr/></wps:wsp>"
            f"</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        )
        paragraph._p.append(drawing)

    # blocks

    def columns(
        self, widths_mm: Sequence[float], rows: Sequence[Sequence[Sequence[Line]]]
    ) -> Table:
        """A borderless table laying out blocks side by side (header block, closing block)."""
        table = self.document.add_table(rows=len(rows), cols=len(widths_mm))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        self._fixed_widths(table, widths_mm)
        for row, blocks in zip(table.rows, rows, strict=True):
            # A block is never split across pages (the signature block stays whole).
            row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
            for cell, lines, width in zip(row.cells, blocks, widths_mm, strict=True):
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
                cell._tc.remove(cell.paragraphs[0]._p)
                usable = width * 72 / 25.4 - 2 * 5.4  # minus the default cell margins
                for item in lines:
                    self.line(item, container=cell, width_pt=usable)
                if not lines:
                    cell.add_paragraph()
        return table

    def _fixed_widths(self, table: Table, widths_mm: Sequence[float]) -> None:
        tbl_pr = table._tbl.tblPr
        layout = parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>')
        tbl_pr.append(layout)
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
            col.set(qn("w:w"), str(int(Mm(width).twips)))
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)

    def table(
        self,
        widths_mm: Sequence[float],
        header: Sequence[Sequence[TableCell]],
        body: Iterable[Sequence[TableCell]],
    ) -> Table:
        """A bordered table; header rows repeat on every page; cells span rows and columns.

        Rows are given as the cells that start there, left to right (as in HTML): a cell covered
        by a rowspan from above is skipped. The XML is written in one piece (gridSpan and vMerge
        set directly): a table of a few hundred cells takes milliseconds, not tenths of seconds.
        """
        widths = [int(Mm(w).twips) for w in widths_mm]
        count = len(widths)
        size = int(self.layout.size("table") * 2)
        rows = [*header, *body]
        # (row, column) → the span of a vertically merged cell that covers it
        below: dict[tuple[int, int], int] = {}
        parts = [
            f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblStyle w:val='TableGrid'/>"
            f"<w:tblW w:w='{sum(widths)}' w:type='dxa'/><w:jc w:val='center'/>"
            "<w:tblLayout w:type='fixed'/>"
            "<w:tblLook w:val='04A0' w:firstRow='1' w:lastRow='0' w:firstColumn='1'"
            " w:lastColumn='0' w:noHBand='0' w:noVBand='1'/></w:tblPr><w:tblGrid>",
            *(f"<w:gridCol w:w='{w}'/>" for w in widths),
            "</w:tblGrid>",
        ]
        for index, cells in enumerate(rows):
            parts.append("<w:tr>")
            if index < len(header):
                parts.append("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
            column = 0
            queue = list(cells)
            while column < count:
                span = below.pop((index, column), None)
                if span is not None:  # continuation of a cell merged from above
                    parts.append(_tc(sum(widths[column : column + span]), span, "continue"))
                    column += span
                    continue
                if not queue:
                    parts.append(_tc(widths[column], 1, None))
                    column += 1
                    continue
                spec = queue.pop(0)
                span = max(1, min(spec.colspan, count - column))
                merge = None
                if spec.rowspan > 1:
                    merge = "restart"
                    for later in range(index + 1, index + spec.rowspan):
                        below[(later, column)] = span
                parts.append(
                    _tc(sum(widths[column : column + span]), span, merge, spec=spec, size=size)
                )
                column += span
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        tbl = parse_xml("".join(parts))
        self.document.element.body._insert_tbl(tbl)
        return Table(tbl, self.document._body)

    # output

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


def _tc(
    width: int,
    span: int,
    merge: str | None,
    *,
    spec: TableCell | None = None,
    size: int = 24,
) -> str:
    """One table cell as XML: width in twips, columns spanned, vertical merge, text."""
    props = f"<w:tcW w:w='{width}' w:type='dxa'/>"
    if span > 1:
        props += f"<w:gridSpan w:val='{span}'/>"
    if merge == "restart":
        props += "<w:vMerge w:val='restart'/>"
    elif merge == "continue":
        props += "<w:vMerge/>"
    props += "<w:vAlign w:val='center'/>"
    if spec is None:
        return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p/></w:tc>"
    paragraph = (
        f"<w:pPr><w:spacing w:before='40' w:after='40'/><w:jc w:val='{JC[spec.align]}'/></w:pPr>"
    )
    if spec.text:
        style = ("<w:b/><w:bCs/>" if spec.bold else "") + ("<w:i/><w:iCs/>" if spec.italic else "")
        paragraph += (
            f"<w:r><w:rPr>{style}<w:sz w:val='{size}'/><w:szCs w:val='{size}'/></w:rPr>"
            f"<w:t xml:space='preserve'>{escape(spec.text)}</w:t></w:r>"
        )
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p>{paragraph}</w:p></w:tc>"


def _emu(length: Length | None) -> int:
    """A page measure in EMU; python-docx types them optional, ``_page_setup`` sets them all."""
    return int(length or 0)
