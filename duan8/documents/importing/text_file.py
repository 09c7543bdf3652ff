"""A plan as a text file: UTF-8 (or UTF-16 with its byte order mark) lines; runs of lines holding
tabs are tables."""

import re

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from duan8.documents.importing.blocks import (
    MAX_COLUMNS,
    MAX_LINES,
    MAX_TEXT_BYTES,
    TEXT,
    Grid,
    ImportFileError,
    Limits,
    Line,
    Source,
    count,
    too_wide,
)
from duan8.documents.importing.problems import Where
from duan8.documents.importing.wording import nfc

_TAGS = re.compile(r"</?(?:i|b|u|em|strong|sup|sub)>", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\x0c")


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


def text_read(content: bytes, name: str) -> Source:
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
            % {"name": name, "limit": count(MAX_LINES)}
        )
    blocks: list[Line | Grid] = []
    table: list[tuple[int, list[str]]] = []
    limits = Limits(name)

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
                raise ImportFileError(too_wide(name))
            table.append((number, [nfc(cell) for cell in cells]))
            continue
        if not text.strip():
            continue  # a blank line: inside a table it does not end it
        table_end()
        blocks.append(Line(nfc(text), Where(line=number)))
    table_end()
    return Source(kind=TEXT, blocks=blocks)
