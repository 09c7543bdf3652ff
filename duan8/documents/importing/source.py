"""Read an uploaded file into lines and tables, whatever it was: a Word file (.docx) or text.

The type is decided by the content, not the name: a .docx is a ZIP package holding
``word/document.xml``; a text file is UTF-8 (or UTF-16 with its byte order mark). Anything else
(an old .doc, a PDF, a spreadsheet, a damaged file) is refused with a message saying what it is.

Both kinds become the same thing, a ``Source``: a list of ``Line`` and ``Grid`` blocks in reading
order. A grid is a table laid out on its column grid: a merged cell keeps its text in its first
(top-left) position and leaves the others empty, as a text export of the table prints it. Tables
that only lay out the page (the header with the agency and the Quốc hiệu, the footer with the
recipients and the signature) are read as lines by the parser.
"""

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from lxml import etree

from duan8.documents.importing.problems import Where
from duan8.documents.importing.wording import nfc

DOCX, TEXT = "docx", "text"
EXTENSIONS = {".docx": DOCX, ".txt": TEXT}

# What an upload may hold, checked before it is read (a 336 KB Word file of empty paragraphs
# unpacks to millions of them; a 97 KB one to gigabytes). A real plan is far below each limit:
# the seed as Word is 0.9 MB unpacked, with 300 paragraphs, 50 table rows and 1,600 elements.
MAX_PARTS = 1000  # files inside a Word package
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # all of them, unpacked (pictures included)
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # word/document.xml, unpacked
MAX_PARAGRAPHS = 20_000
MAX_TABLE_ROWS = 5_000
MAX_TABLE_CELLS = 50_000  # positions on the tables' column grids, all tables together
MAX_COLUMNS = 100  # in one table row (Word itself allows 63)
MAX_ELEMENTS = 500_000  # XML elements of word/document.xml (runs, properties, ...)
MAX_TEXT_BYTES = 2 * 1024 * 1024  # a text file
MAX_LINES = 20_000  # lines of a text file

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TAGS = re.compile(r"</?(?:i|b|u|em|strong|sup|sub)>", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\x0c")


def max_upload_bytes() -> int:
    """The largest plan file accepted (the setting for uploads, 20 MB by default)."""
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def import_limits() -> dict[str, str]:
    """The limits as the import page states them, in the user's language."""
    return {
        "size": filesizeformat(max_upload_bytes()),
        "unpacked": filesizeformat(MAX_UNZIPPED_BYTES),
        "paragraphs": _count(MAX_PARAGRAPHS),
        "rows": _count(MAX_TABLE_ROWS),
        "text_size": filesizeformat(MAX_TEXT_BYTES),
        "lines": _count(MAX_LINES),
    }


def _count(value: int) -> str:
    """20,000 in English, 20.000 in Vietnamese (whose format does not group by itself)."""
    return f"{value:,}".replace(",", str(get_format("THOUSAND_SEPARATOR")))


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class ImportFileError(ValidationError):
    """The file cannot be read at all: nothing of it is shown or saved."""


@dataclass
class Line:
    text: str
    where: Where


@dataclass
class Grid:
    """A table: ``cells[row][column]`` is the list of the cell's paragraphs."""

    number: int
    cells: list[list[list[str]]]
    row_lines: list[int | None] = field(default_factory=list)  # text files: each row's line

    @property
    def rows(self) -> list[list[str]]:
        return [[" ".join(" ".join(cell).split()) for cell in row] for row in self.cells]

    def where(self, row: int, column: int | None = None, label: str = "") -> Where:
        """``row`` and ``column`` count from 0 here, from 1 for the user."""
        line = self.row_lines[row] if row < len(self.row_lines) else None
        return Where(
            line=line,
            table=self.number,
            row=row + 1,
            column=None if column is None else column + 1,
            column_label=label,
        )

    def lines(self) -> list[Line]:
        """The table read as text, row by row and cell by cell (a layout table)."""
        found = []
        for r, row in enumerate(self.cells):
            for c, cell in enumerate(row):
                found.extend(Line(text, self.where(r, c)) for text in cell if text)
        return found


@dataclass
class Source:
    kind: str
    blocks: list[Line | Grid]

    @property
    def grids(self) -> list[Grid]:
        return [block for block in self.blocks if isinstance(block, Grid)]


def source_read(*, content: bytes, filename: str) -> Source:
    """The file's lines and tables; ``ImportFileError`` if it is neither a .docx nor text."""
    name = PurePath(filename).name or "?"
    expected = EXTENSIONS.get(PurePath(name).suffix.casefold())
    if expected is None:
        raise ImportFileError(
            _("“%(name)s”: only Word files (.docx) and text files (.txt) can be imported.")
            % {"name": name}
        )
    if not content.strip():
        raise ImportFileError(_("“%(name)s” is empty.") % {"name": name})
    found = _sniff(content)
    if found in ("doc", "pdf", "rtf", "zip"):
        raise ImportFileError(_what_it_is(found, name))
    if found == "damaged":
        raise ImportFileError(_damaged(name))
    if expected == DOCX:
        if found != DOCX:
            raise ImportFileError(
                _(
                    "“%(name)s” is not a Word file: its content is not in the Word (.docx) format."
                    " Open it in Word and save it as a Word document (.docx)."
                )
                % {"name": name}
            )
        return _docx_read(content, name)
    if found == DOCX:
        raise ImportFileError(
            _("“%(name)s” is a Word document: name it .docx and upload it again.") % {"name": name}
        )
    return _text_read(content, name)


def _sniff(content: bytes) -> str:
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"  # OLE2: Word 97-2003, or a password-protected .docx
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"{\\rtf"):
        return "rtf"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as package:
                return DOCX if "word/document.xml" in package.namelist() else "zip"
        except (zipfile.BadZipFile, OSError, ValueError):
            return "damaged"
    return TEXT


def _what_it_is(found: str, name: str) -> str:
    if found == "doc":
        return _(
            "“%(name)s” is an old Word 97–2003 file (.doc) or a password-protected one. Open it in"
            " Word, save it as a Word document (.docx) without a password, and upload that."
        ) % {"name": name}
    if found == "pdf":
        return _(
            "“%(name)s” is a PDF file. Upload the Word (.docx) or text (.txt) version of the plan."
        ) % {"name": name}
    if found == "rtf":
        return _(
            "“%(name)s” is an RTF file. Open it in Word and save it as a Word document (.docx)."
        ) % {"name": name}
    return _(
        "“%(name)s” is a ZIP package but not a Word document (a spreadsheet or an archive?)."
    ) % {"name": name}


# -- text files ------------------------------------------------------------------------------


def _text_decode(content: bytes, name: str) -> str:
    try:
        if content.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = content.decode("utf-16")
        else:
            text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or re.search(r"[\x00-\x08\x0b\x0e-\x1f]", text):
        raise ImportFileError(
            _(
                "“%(name)s” is not a text file in Unicode (UTF-8): save it again as “Unicode"
                " (UTF-8)” text, or upload the Word file (.docx)."
            )
            % {"name": name}
        )
    return text


def _text_read(content: bytes, name: str) -> Source:
    """Lines of text; runs of lines holding tabs are tables (blank lines inside are skipped)."""
    if len(content) > MAX_TEXT_BYTES:
        raise ImportFileError(
            _("“%(name)s” is larger than %(limit)s; a plan as text is far smaller. It is not read.")
            % {"name": name, "limit": filesizeformat(MAX_TEXT_BYTES)}
        )
    raw_lines = _LINE_BREAKS.split(_text_decode(content, name))
    if len(raw_lines) > MAX_LINES:
        raise ImportFileError(
            _("“%(name)s” has more than %(limit)s lines; a plan has far fewer. It is not read.")
            % {"name": name, "limit": _count(MAX_LINES)}
        )
    blocks: list[Line | Grid] = []
    table: list[tuple[int, list[str]]] = []
    limits = _Limits(name)

    def table_end() -> None:
        if table:
            width = max(len(cells) for _line, cells in table)
            limits.grid(len(table), width)
            limits.tables += 1
            grid = Grid(
                number=limits.tables,
                cells=[
                    [[c] if c else [] for c in cells + [""] * (width - len(cells))]
                    for _line, cells in table
                ],
                row_lines=[line for line, _cells in table],
            )
            blocks.append(grid)
            table.clear()

    for number, raw in enumerate(raw_lines, start=1):
        text = _TAGS.sub("", raw)
        if "\t" in text:
            cells = text.split("\t", MAX_COLUMNS)
            if len(cells) > MAX_COLUMNS:
                raise ImportFileError(_too_wide(name))
            table.append((number, [nfc(cell) for cell in cells]))
            continue
        if not text.strip():
            continue  # a blank line: inside a table it does not end it
        table_end()
        blocks.append(Line(nfc(text), Where(line=number)))
    table_end()
    return Source(kind=TEXT, blocks=blocks)


# -- Word files ------------------------------------------------------------------------------


def _damaged(name: str) -> str:
    return _(
        "“%(name)s” is a damaged Word file and cannot be read. Open it in Word, save it again"
        " and upload the new file."
    ) % {"name": name}


def _too_wide(name: str) -> str:
    return _("“%(name)s” has a table of more than %(limit)s columns; it is not read.") % {
        "name": name,
        "limit": _count(MAX_COLUMNS),
    }


class _Limits:
    """Counts what is read against the limits; the first one passed refuses the whole file."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tables = 0
        self.cells = 0

    def grid(self, rows: int, width: int) -> None:
        """A table (or a table inside a cell) of ``rows`` × ``width`` positions on its grid."""
        self.cells += rows * width
        if width > MAX_COLUMNS:
            raise ImportFileError(_too_wide(self.name))
        if self.cells > MAX_TABLE_CELLS:
            raise ImportFileError(
                _("“%(name)s” has tables of more than %(limit)s cells in all; it is not read.")
                % {"name": self.name, "limit": _count(MAX_TABLE_CELLS)}
            )


def _docx_read(content: bytes, name: str) -> Source:
    damaged = _damaged(name)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            infos = package.infolist()
            _package_check(infos, name)
            xml = _part_read(package, package.getinfo("word/document.xml"), name)
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
        RuntimeError,
        zlib.error,
    ) as exc:
        raise ImportFileError(damaged) from exc
    body = _document_parse(xml, name).find(_w("body"))
    if body is None:
        raise ImportFileError(damaged)
    blocks: list[Line | Grid] = []
    limits = _Limits(name)
    paragraph = 0
    for element in _body_items(body):
        if element.tag == _w("p"):
            paragraph += 1
            for text in _paragraph_text(element).split("\n"):
                if text.strip():
                    blocks.append(Line(nfc(text), Where(paragraph=paragraph)))
        else:
            limits.tables += 1
            blocks.append(Grid(number=limits.tables, cells=_table_cells(element, limits)))
    return Source(kind=DOCX, blocks=blocks)


def _package_check(infos: list[zipfile.ZipInfo], name: str) -> None:
    """The package's table of contents against the limits, before anything is unpacked."""
    if len(infos) > MAX_PARTS:
        raise ImportFileError(
            _("“%(name)s” holds more than %(limit)s parts; a Word document holds far fewer.")
            % {"name": name, "limit": _count(MAX_PARTS)}
        )
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise ImportFileError(_too_large(name, MAX_UNZIPPED_BYTES))
    if any(info.flag_bits & 0x1 for info in infos):
        raise ImportFileError(_what_it_is("doc", name))


def _too_large(name: str, limit: int) -> str:
    return _(
        "“%(name)s” is larger than %(limit)s once unpacked; a plan is far smaller. It is not read."
    ) % {"name": name, "limit": filesizeformat(limit)}


def _part_read(package: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """A part unpacked in pieces, stopped as soon as it passes the limit (whatever it claims)."""
    if info.file_size > MAX_DOCUMENT_BYTES:
        raise ImportFileError(_too_large(name, MAX_DOCUMENT_BYTES))
    chunks, size = [], 0
    with package.open(info) as stream:
        while chunk := stream.read(1024 * 1024):
            size += len(chunk)
            if size > MAX_DOCUMENT_BYTES:
                raise ImportFileError(_too_large(name, MAX_DOCUMENT_BYTES))
            chunks.append(chunk)
    return b"".join(chunks)


def _document_parse(xml: bytes, name: str) -> etree._Element:
    """The document's XML tree, counted while it is built: parsing stops at the first limit
    passed, so a file of a million empty paragraphs costs no more than the limit's worth."""
    limited = {
        _w("p"): (
            MAX_PARAGRAPHS,
            _(
                "“%(name)s” has more than %(limit)s paragraphs; a plan has far fewer."
                " It is not read."
            ),
        ),
        _w("tr"): (
            MAX_TABLE_ROWS,
            _(
                "“%(name)s” has more than %(limit)s table rows; a plan has far fewer."
                " It is not read."
            ),
        ),
        _w("tc"): (
            MAX_TABLE_CELLS,
            _("“%(name)s” has tables of more than %(limit)s cells in all; it is not read."),
        ),
    }
    counts = dict.fromkeys(limited, 0)
    elements = 0
    parsing = etree.iterparse(
        io.BytesIO(xml),
        events=("start",),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _event, element in parsing:
            elements += 1
            if elements > MAX_ELEMENTS:
                raise ImportFileError(
                    _(
                        "“%(name)s” has more than %(limit)s elements of text and formatting; a plan"
                        " has far fewer. It is not read."
                    )
                    % {"name": name, "limit": _count(MAX_ELEMENTS)}
                )
            if element.tag in counts:
                counts[element.tag] += 1
                limit, message = limited[element.tag]
                if counts[element.tag] > limit:
                    raise ImportFileError(message % {"name": name, "limit": _count(limit)})
        return parsing.root
    except etree.XMLSyntaxError as exc:
        raise ImportFileError(_damaged(name)) from exc


def _body_items(parent: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables in reading order, looking inside content controls."""
    for child in parent.iterchildren():
        if child.tag in (_w("p"), _w("tbl")):
            yield child
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent"))
            yield from _body_items(content if content is not None else child)


_SKIP = {_w("del"), _w("txbxContent"), _w("pPr"), _w("rPr")}
_CHARACTERS = {
    _w("t"): None,
    _w("tab"): "\t",
    _w("br"): "\n",
    _w("cr"): "\n",
    _w("noBreakHyphen"): "-",
    _w("softHyphen"): "",
}


def _paragraph_text(paragraph: etree._Element) -> str:
    """The paragraph's visible text: runs, hyperlinks and insertions; deletions and text boxes
    (the drawn lines under headings) left out; line breaks kept as new lines."""
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        for child in element.iterchildren():
            if child.tag in _SKIP:
                continue
            if child.tag in _CHARACTERS:
                fixed = _CHARACTERS[child.tag]
                parts.append((child.text or "") if fixed is None else fixed)
            elif child.tag != _w("tbl"):
                walk(child)

    walk(paragraph)
    return "".join(parts)


def _int_attribute(element: etree._Element | None, default: int) -> int:
    if element is None:
        return default
    try:
        return max(int(element.get(_w("val"), default)), 0)
    except ValueError:
        return default


def _table_cells(table: etree._Element, limits: _Limits) -> list[list[list[str]]]:
    rows: list[list[list[str]]] = []
    for tr in table.iterchildren(_w("tr")):
        row: list[list[str]] = []
        before = _int_attribute(tr.find(f"{_w('trPr')}/{_w('gridBefore')}"), 0)
        if before > MAX_COLUMNS:
            raise ImportFileError(_too_wide(limits.name))
        row.extend([] for _ in range(before))
        for tc in _row_cells(tr):
            properties = tc.find(_w("tcPr"))
            span = 1
            continued = False
            if properties is not None:
                span = max(_int_attribute(properties.find(_w("gridSpan")), 1), 1)
                for merge in (properties.find(_w("vMerge")), properties.find(_w("hMerge"))):
                    if merge is not None and merge.get(_w("val"), "continue") == "continue":
                        continued = True
            if len(row) + span > MAX_COLUMNS:
                raise ImportFileError(_too_wide(limits.name))
            texts = [] if continued else _cell_texts(tc, limits)
            row.append(texts)
            row.extend([] for _ in range(span - 1))
        rows.append(row)
    width = max((len(row) for row in rows), default=0)
    limits.grid(len(rows), width)
    return [row + [[] for _ in range(width - len(row))] for row in rows]


def _row_cells(tr: etree._Element) -> Iterator[etree._Element]:
    for child in tr.iterchildren():
        if child.tag == _w("tc"):
            yield child
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent"))
            yield from _row_cells(content if content is not None else child)


def _cell_texts(tc: etree._Element, limits: _Limits) -> list[str]:
    texts = []
    for element in _body_items(tc):
        if element.tag == _w("p"):
            texts.extend(nfc(t) for t in _paragraph_text(element).split("\n") if t.strip())
        else:  # a table inside the cell: its text, row by row
            for row in _table_cells(element, limits):
                texts.extend(t for cell in row for t in cell)
    return texts
