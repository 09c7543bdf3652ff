"""Read an uploaded file into lines and tables, whatever it was: a Word file (.docx) or text.

The type is decided by the content, not the name: a .docx is a ZIP package holding
``word/document.xml``; a text file is UTF-8 (or UTF-16 with its byte order mark). Anything else
(an old .doc, a PDF, a spreadsheet, a damaged file) is refused with a message saying what it is.

Both kinds become the same thing, a ``Source`` of lines and tables (``blocks``), read by
``text_file`` or ``word_file``. Tables that only lay out the page (the header with the agency and
the Quốc hiệu, the footer with the recipients and the signature) are read as lines by the parser.
"""

import io
import zipfile
from pathlib import PurePath

from django.utils.translation import gettext as _

from duan8.documents.importing.blocks import (
    DOCX,
    EXTENSIONS,
    TEXT,
    Grid,
    ImportFileError,
    Line,
    Source,
    damaged,
    import_limits,
    max_upload_bytes,
    what_it_is,
)
from duan8.documents.importing.text_file import text_read
from duan8.documents.importing.word_file import docx_read

__all__ = [
    "DOCX",
    "EXTENSIONS",
    "TEXT",
    "Grid",
    "ImportFileError",
    "Line",
    "Source",
    "import_limits",
    "max_upload_bytes",
    "source_read",
]


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
        raise ImportFileError(what_it_is(found, name))
    if found == "damaged":
        raise ImportFileError(damaged(name))
    if expected == DOCX:
        if found != DOCX:
            raise ImportFileError(
                _(
                    "“%(name)s” is not a Word file: its content is not in the Word (.docx) format."
                    " Open it in Word and save it as a Word document (.docx)."
                )
                % {"name": name}
            )
        return docx_read(content, name)
    if found == DOCX:
        raise ImportFileError(
            _("“%(name)s” is a Word document: name it .docx and upload it again.") % {"name": name}
        )
    return text_read(content, name)


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
