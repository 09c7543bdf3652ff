"""What an uploaded plan file becomes, and what may refuse it.

Both kinds of file become the same thing, a ``Source``: a list of ``Line`` and ``Grid`` blocks in
reading order. A grid is a table laid out on its column grid: a merged cell keeps its text in its
first (top-left) position and leaves the others empty, as a text export of the table prints it.
What a file may hold is limited (``MAX_*``, counted by ``Limits``); a file that cannot be read at
all is refused whole with ``ImportFileError``, whose messages are here.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from duan8.documents.importing.problems import Where

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


def max_upload_bytes() -> int:
    """The largest plan file accepted (the setting for uploads, 20 MB by default)."""
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def import_limits() -> dict[str, str]:
    """The limits as the import page states them, in the user's language."""
    return {
        "size": filesizeformat(max_upload_bytes()),
        "unpacked": filesizeformat(MAX_UNZIPPED_BYTES),
        "paragraphs": count(MAX_PARAGRAPHS),
        "rows": count(MAX_TABLE_ROWS),
        "text_size": filesizeformat(MAX_TEXT_BYTES),
        "lines": count(MAX_LINES),
    }


def count(value: int) -> str:
    """20,000 in English, 20.000 in Vietnamese (whose format does not group by itself)."""
    return f"{value:,}".replace(",", str(get_format("THOUSAND_SEPARATOR")))


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
        found: list[Line] = []
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


class Limits:
    """Counts what is read against the limits; the first one passed refuses the whole file."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tables = 0
        self.cells = 0

    def grid(self, rows: int, width: int) -> None:
        """A table (or a table inside a cell) of ``rows`` × ``width`` positions on its grid."""
        self.cells += rows * width
        if width > MAX_COLUMNS:
            raise ImportFileError(too_wide(self.name))
        if self.cells > MAX_TABLE_CELLS:
            raise ImportFileError(
                _("“%(name)s” has tables of more than %(limit)s cells in all; it is not read.")
                % {"name": self.name, "limit": count(MAX_TABLE_CELLS)}
            )


def what_it_is(found: str, name: str) -> str:
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


def damaged(name: str) -> str:
    return _(
        "“%(name)s” is a damaged Word file and cannot be read. Open it in Word, save it again"
        " and upload the new file."
    ) % {"name": name}


def too_wide(name: str) -> str:
    return _("“%(name)s” has a table of more than %(limit)s columns; it is not read.") % {
        "name": name,
        "limit": count(MAX_COLUMNS),
    }
