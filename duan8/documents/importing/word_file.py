"""A plan as a Word file (.docx): the package is checked against the limits before it is unpacked,
then ``word/document.xml`` is read into paragraphs and tables (merged cells on the column grid;
deleted text, text boxes and properties skipped)."""

import io
import zipfile
import zlib
from collections.abc import Iterator

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no stubs (lxml-stubs not declared)

from duan8.documents.importing.blocks import (
    DOCX,
    MAX_COLUMNS,
    MAX_DOCUMENT_BYTES,
    MAX_ELEMENTS,
    MAX_PARAGRAPHS,
    MAX_PARTS,
    MAX_TABLE_CELLS,
    MAX_TABLE_ROWS,
    MAX_UNZIPPED_BYTES,
    Grid,
    ImportFileError,
    Limits,
    Line,
    Source,
    count,
    damaged,
    too_wide,
    what_it_is,
)
from duan8.documents.importing.problems import Where
from duan8.documents.importing.wording import nfc

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def docx_read(content: bytes, name: str) -> Source:
    refusal = damaged(name)
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
        raise ImportFileError(refusal) from exc
    body = _document_parse(xml, name).find(_w("body"))
    if body is None:
        raise ImportFileError(refusal)
    blocks: list[Line | Grid] = []
    limits = Limits(name)
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
            % {"name": name, "limit": count(MAX_PARTS)}
        )
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise ImportFileError(_too_large(name, MAX_UNZIPPED_BYTES))
    if any(info.flag_bits & 0x1 for info in infos):
        raise ImportFileError(what_it_is("doc", name))


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
                    % {"name": name, "limit": count(MAX_ELEMENTS)}
                )
            if element.tag in counts:
                counts[element.tag] += 1
                limit, message = limited[element.tag]
                if counts[element.tag] > limit:
                    raise ImportFileError(message % {"name": name, "limit": count(limit)})
        return parsing.root
    except etree.XMLSyntaxError as exc:
        raise ImportFileError(damaged(name)) from exc


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


def _table_cells(table: etree._Element, limits: Limits) -> list[list[list[str]]]:
    rows: list[list[list[str]]] = []
    for tr in table.iterchildren(_w("tr")):
        row: list[list[str]] = []
        before = _int_attribute(tr.find(f"{_w('trPr')}/{_w('gridBefore')}"), 0)
        if before > MAX_COLUMNS:
            raise ImportFileError(too_wide(limits.name))
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
                raise ImportFileError(too_wide(limits.name))
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


def _cell_texts(tc: etree._Element, limits: Limits) -> list[str]:
    texts: list[str] = []
    for element in _body_items(tc):
        if element.tag == _w("p"):
            texts.extend(nfc(t) for t in _paragraph_text(element).split("\n") if t.strip())
        else:  # a table inside the cell: its text, row by row
            for row in _table_cells(element, limits):
                texts.extend(t for cell in row for t in cell)
    return texts
