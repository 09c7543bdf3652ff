"""Every Excel workbook (.xlsx) duan8 writes or reads passes through here.

Writing. A text cell is always text, never a formula: a name or title typed as
``=HYPERLINK(…)`` or ``+1+1`` would otherwise be written as a live formula (openpyxl turns any
text starting with "=" into one) and run when the file is opened, or after it is saved as CSV.
As OWASP advises, text starting with ``= + - @``, a tab or a carriage return gets a leading
apostrophe (``'=HYPERLINK(…)``); the cell is a string cell, so Excel and LibreOffice show the
text, apostrophe included, and never evaluate it. ``unescape`` removes the mark when such a file
is uploaded again. Only our own numbers and dates (int, Decimal, float, date) stay numbers.

Every writer builds its workbook with ``workbook_new``, writes rows with ``row_append`` and
cells with ``cell_write`` (both pass each value through ``cell_value``), and turns it into bytes
with ``workbook_bytes``, which checks every cell once more: text that reached a cell any other
way is escaped there and logged, so nothing unsafe leaves even when a writer forgets.

Reading. ``workbook_read`` opens every uploaded workbook, after ``xlsx_check`` has looked at the
file without parsing it: a ZIP archive of at most ``MAX_PARTS`` members unpacking to at most
``MAX_UNPACKED_BYTES``, no member compressed more than ``MAX_RATIO`` times (a sheet of half a
million tiny rows packs into 100 KB), no sheet of more than ``MAX_ROWS`` data rows and no more
than ``MAX_STRINGS`` texts, counted in the unpacked stream (a sheet's own ``<dimension>`` may
lie). The page of an upload states the limits (``upload_limits``).
"""

import datetime
import io
import logging
import re
import zipfile
import zlib
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import (
    ERROR_CODES,
    ILLEGAL_CHARACTERS_RE,
    TYPE_FORMULA,
    TYPE_STRING,
    WriteOnlyCell,
)

logger = logging.getLogger(__name__)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
NUMBERS = (bool, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta)

MAX_ROWS = 10_000  # data rows of one sheet (below its header row)
MAX_STRINGS = 200_000  # different texts of a workbook (its shared strings)
MAX_UNPACKED_BYTES = 30 * 1024 * 1024  # twice a full sheet of 10,000 events, strings included
MAX_PARTS = 500
MAX_RATIO = 100  # a member may unpack to at most this many times its packed size …
RATIO_FROM_BYTES = 1024 * 1024  # … once it unpacks to more than this (real sheets: 10–20)
CHUNK = 1024 * 1024
_COUNTED = {  # part → (what is counted in it, the limit)
    re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE): (
        re.compile(rb"<(?:\w+:)?row[\s/>]"),
        MAX_ROWS + 1,
    ),
    re.compile(r"^xl/sharedstrings\.xml$", re.IGNORECASE): (
        re.compile(rb"<(?:\w+:)?si[\s/>]"),
        MAX_STRINGS,
    ),
}


# --- writing -----------------------------------------------------------------------------------


def text(value: str) -> str:
    """Text as a cell shows it and never runs it: characters Excel forbids dropped, and a
    leading apostrophe before ``= + - @``, a tab or a carriage return."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_STARTS) and value != "-":  # a lone dash is "nothing", not math
        return TEXT_MARK + value
    return value


def unescape(value: Any) -> Any:
    """A cell's value as it was before ``text`` marked it (for files uploaded again)."""
    if (
        isinstance(value, str)
        and value.startswith(TEXT_MARK)
        and value[1:].startswith(FORMULA_STARTS)
    ):
        return value[1:]
    return value


def cell_value(value: Any) -> Any:
    """What a cell holds for ``value``: our numbers and dates as they are, anything else as
    text (``str()`` of it) made safe by ``text``."""
    if value is None or isinstance(value, NUMBERS):
        return value
    return text(str(value))


def _as_text(cell: Any) -> None:
    """openpyxl reads "#N/A" and friends as error cells: text stays text."""
    if isinstance(cell.value, str):
        cell.data_type = TYPE_STRING


def row_append(sheet: Any, values: Iterable[Any]) -> None:
    """``sheet.append`` with every value through ``cell_value``."""
    row = [cell_value(v) for v in values]
    sheet.append(row)
    # The row just written (openpyxl's own counter): ``max_row`` scans every cell of the sheet,
    # which made n rows cost n² (5,000 rows: 361 s against 2.7 s).
    written = sheet._current_row
    for column, value in enumerate(row, start=1):
        if isinstance(value, str):
            _as_text(sheet.cell(row=written, column=column))


def cell_write(sheet: Any, row: int, column: int, value: Any) -> Any:
    """``sheet.cell(row, column, value)`` with the value through ``cell_value``; the cell."""
    cell = sheet.cell(row=row, column=column)
    cell.value = cell_value(value)
    _as_text(cell)
    return cell


def workbook_new(*, title: str = "", write_only: bool = False) -> Workbook:
    """A workbook; ``write_only``: openpyxl's write-only workbook, whose rows go to a temporary
    file as they are appended (memory does not grow with the rows; ``StreamedRows`` writes
    them, ``workbook_stream`` saves it)."""
    book = Workbook(write_only=write_only)
    book.properties.creator = "duan8"
    if title:
        book.properties.title = title
    return book


class StreamedRows:
    """Rows of a write-only workbook, each value through ``cell_value`` (texts made safe once
    each: the same names come back on every row of a long table). ``workbook_bytes`` cannot
    walk such a workbook again, so these are its only way in."""

    def __init__(self) -> None:
        self.safe: dict[str, Any] = {}

    def value(self, value: Any) -> Any:
        if not isinstance(value, str):
            return cell_value(value)
        safe = self.safe.get(value)
        if safe is None:
            safe = self.safe[value] = cell_value(value)
        return safe

    def cells(
        self, sheet: Any, values: Iterable[Any], font: Any = None, alignment: Any = None
    ) -> list[Any]:
        """The row's cells: plain values where openpyxl makes the right cell itself, else
        cells with their style (and "#N/A" and the like kept as text, not as an error)."""
        row: list[Any] = []
        for raw in values:
            value = self.value(raw)
            plain = font is None and alignment is None
            if plain and not (isinstance(value, str) and value in ERROR_CODES):
                row.append(value)  # openpyxl makes the cell: a string cell for text
                continue
            cell = WriteOnlyCell(sheet, value)
            if isinstance(value, str):
                cell.data_type = TYPE_STRING
            if font is not None:
                cell.font = font
            if alignment is not None:
                cell.alignment = alignment
            row.append(cell)
        return row

    def put(
        self, sheet: Any, values: Iterable[Any], font: Any = None, alignment: Any = None
    ) -> None:
        """Append a row of ``values``, styled alike."""
        sheet.append(self.cells(sheet, values, font, alignment))

    def put_cells(self, sheet: Any, cells: list[Any]) -> None:
        """Append a row made of ``cells`` (rows whose cells differ in style)."""
        sheet.append(cells)


def workbook_stream(book: Workbook, stream: IO[bytes]) -> None:
    """Save a write-only workbook into ``stream`` (its rows are already safe: ``StreamedRows``)."""
    book.save(stream)


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes, after making sure no cell holds a formula or unsafe text."""
    repaired = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                safe = text(value)
                if safe != value or cell.data_type == TYPE_FORMULA:
                    repaired.append(f"{sheet.title}!{cell.coordinate}")
                    cell.value = safe
                _as_text(cell)
    if repaired:
        logger.warning(
            "Text written around duan8.core.xlsx.cell_value, escaped on saving: %s",
            ", ".join(repaired[:20]),
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- reading -----------------------------------------------------------------------------------


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def upload_limits() -> dict[str, str]:
    """The limits as the upload page states them ("10.000", "20 MB")."""
    return {
        "rows": f"{MAX_ROWS:,}".replace(",", str(get_format("THOUSAND_SEPARATOR"))),
        "size": _size_text(settings.UPLOAD_MAX_BYTES),
    }


def _too_many_rows(name: str) -> ValidationError:
    return ValidationError(
        _(
            "The file “%(name)s” has a sheet of more than %(limit)s rows; at most %(limit)s rows "
            "are read from one file. Split it into several files; if the rows below your data "
            "are empty, delete them and save again."
        )
        % {"name": name, "limit": upload_limits()["rows"]}
    )


def _unpacks_too_much(name: str) -> ValidationError:
    return ValidationError(
        _(
            "The file “%(name)s” is refused unread: unpacked, it would hold far more than a "
            "workbook of %(rows)s rows (at most %(size)s unpacked and %(parts)s parts). Save it "
            "again from Excel or LibreOffice as .xlsx, without extra sheets or pictures."
        )
        % {
            "name": name,
            "rows": upload_limits()["rows"],
            "size": _size_text(MAX_UNPACKED_BYTES),
            "parts": MAX_PARTS,
        }
    )


def _not_a_workbook(name: str) -> ValidationError:
    return ValidationError(
        _(
            "The file “%(name)s” could not be read as an Excel workbook (.xlsx); it may be "
            "damaged or of another kind. Download the template, fill it in and upload it."
        )
        % {"name": name}
    )


def _over(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, tag: re.Pattern[bytes], limit: int
) -> bool:
    """Whether a part holds more than ``limit`` of ``tag``, unpacked a chunk at a time (no XML
    parser, no tree); stops as soon as it does."""
    count, tail = 0, b""
    with archive.open(info) as part:
        while chunk := part.read(CHUNK):
            text = tail + chunk
            count += sum(1 for m in tag.finditer(text) if m.end() > len(tail))
            if count > limit:
                return True
            tail = text[-16:]
    return False


def xlsx_check(source: str | Path | IO[bytes], *, name: str) -> None:
    """Refuse, before any parser reads it, an .xlsx that would take too long or too much memory
    (ValidationError stating the limit): too many parts, too much unpacked, packed too tightly,
    a sheet of too many rows or too many texts. ``source`` is a path or a seekable file."""
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            if len(members) > MAX_PARTS:
                raise _unpacks_too_much(name)
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                raise _unpacks_too_much(name)
            for member in members:
                if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(
                    member.compress_size, 1
                ):
                    raise _unpacks_too_much(name)
            for member in members:
                for part, (tag, limit) in _COUNTED.items():
                    if not part.match(member.filename):
                        continue
                    if _over(archive, member, tag, limit):
                        if limit == MAX_STRINGS:
                            raise _unpacks_too_much(name)
                        raise _too_many_rows(name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError) as exc:
        raise _not_a_workbook(name) from exc
    except (NotImplementedError, RuntimeError) as exc:  # unknown compression, encrypted member
        raise _not_a_workbook(name) from exc
    finally:
        if hasattr(source, "seek"):
            source.seek(0)


def workbook_read(source: str | Path | IO[bytes], *, name: str) -> Any:
    """An uploaded workbook opened for streaming (read-only, values not formulas), once
    ``xlsx_check`` has passed it; ValidationError when it is refused or cannot be read. The
    reader calls ``row_limit_check`` on each row it takes and closes the workbook."""
    xlsx_check(source, name=name)
    try:
        return load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # any broken part inside the zip (XML, keys, values): unreadable
        raise _not_a_workbook(name) from exc


def row_limit_check(number: int, *, name: str) -> None:
    """For readers streaming a sheet: refuse once they reach a row past the limit (``number``
    as in Excel, the header being row 1). ``xlsx_check`` has counted the rows already; this
    guards a reader given a file some other way."""
    if number - 1 > MAX_ROWS:
        raise _too_many_rows(name)
