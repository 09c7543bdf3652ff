"""The whole file: its blocks sorted into the body (lines) and the appendix tables, each read by
its module (``header``, ``sections``, ``tables``)."""

import re

from django.utils.translation import gettext as _

from duan8.documents.importing.blocks import Line, Source
from duan8.documents.importing.problems import Where
from duan8.documents.importing.reader.header import header_read
from duan8.documents.importing.reader.parsed import AppendixReference, ParsedPlan
from duan8.documents.importing.reader.patterns import (
    APPENDIX_REFERENCE,
    COUNT,
    ROMAN,
    YEAR,
    is_upper,
    parse_date,
)
from duan8.documents.importing.reader.sections import preamble_joined, sections_read
from duan8.documents.importing.reader.tables import allocation_read, targets_read
from duan8.documents.importing.wording import key, spaces


def _classify(rows: list[list[str]]) -> str:
    """ "targets" (first appendix), "allocation" (second) or "layout" (header, signature)."""
    head = [key(cell) for row in rows[:4] for cell in row]
    if any("nội dung hoạt động" in cell for cell in head) or (
        "xã" in head and any(cell.startswith("thôn") for cell in head)
    ):
        return "targets"
    numeric_rows = sum(1 for row in rows if sum(bool(COUNT.match(c)) for c in row) >= 2)
    if any("đơn vị" in cell for cell in head) and numeric_rows:
        return "allocation"
    return "layout"


def plan_document_parse(source: Source) -> ParsedPlan:
    """The plan's parts as printed; a plan without appendix tables is read without targets."""
    parsed = ParsedPlan(kind=source.kind)
    lines: list[Line] = []
    appendix_at: int | None = None  # index in ``lines`` where the appendices begin
    data_grids = 0
    for block in source.blocks:
        if isinstance(block, Line):
            lines.append(block)
            continue
        rows = block.rows
        kind = _classify(rows)
        if kind == "layout":
            lines.extend(block.lines())
            continue
        data_grids += 1
        if appendix_at is None:
            appendix_at = len(lines)
        where = block.where(0)
        table_where = Where(table=where.table, line=where.line)
        if kind == "targets" and parsed.targets_where is None:
            parsed.targets_where = table_where
            targets_read(parsed, block)
        elif kind == "allocation" and parsed.allocation is None:
            allocation_read(parsed, block, table_where)
        else:
            parsed.problems.warning(
                table_where, _("A second table of the same kind; it is not imported.")
            )
    if not data_grids:
        parsed.problems.warning(
            Where(),
            _(
                "The file has no appendix tables: the plan is imported with its header, legal"
                " bases and sections, without targets. Add its targets on the plan page once it"
                " is created."
            ),
        )
    else:
        if parsed.targets_where is None:
            parsed.problems.warning(
                Where(),
                _(
                    "The table of activities and targets (first appendix, with the columns “Nội"
                    " dung hoạt động”, “Xã” and “thôn”) was not found: the plan is imported"
                    " without targets. Add them on the plan page once it is created."
                ),
            )
        if parsed.allocation is None:
            parsed.problems.warning(
                Where(),
                _("No allocation table (second appendix) was found; the plan will have none."),
            )
    body_end = appendix_at if appendix_at is not None else len(lines)
    for index, line in enumerate(lines):
        if re.fullmatch(r"phụ lục(\s+[ivx\d]+)?\.?", key(line.text)) and index < body_end:
            body_end = index
            break
    sections_read(parsed, preamble_joined(header_read(parsed, _joined(lines[:body_end]))))
    for line in lines[body_end:]:
        appendix_line_read(parsed, line)
    return parsed


def _joined(lines: list[Line]) -> list[Line]:
    """A line starting in lower case continues the one before (a page break in a copy)."""
    groups: list[tuple[Where, list[str]]] = []  # joined once at the end: no quadratic copies
    for line in lines:
        first = line.text[:1]
        continues = (
            groups
            and first.isalpha()
            and first.islower()
            and not re.match(r"^[a-zđ]\)", line.text)
            and not ROMAN.match(groups[-1][1][0])
        )
        if continues:
            groups[-1][1].append(line.text)
        else:
            groups.append((line.where, [line.text]))
    return [Line(" ".join(texts), where) for where, texts in groups]


def appendix_line_read(parsed: ParsedPlan, line: Line) -> None:
    for found in APPENDIX_REFERENCE.finditer(line.text):
        parsed.appendix_references.append(
            AppendixReference(
                number=int(found["number"]) if found["number"] else None,
                symbol=found["symbol"],
                issued_on=parse_date(found["date"] or ""),
                issuer=spaces(found["issuer"] or ""),
                where=line.where,
            )
        )
    if is_upper(line.text):
        for year in YEAR.findall(line.text):
            parsed.years.append((int(year), _("the title of an appendix")))
