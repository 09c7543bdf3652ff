"""The head of a plan: agency, number and symbol, place and date (in lines, columns of a table,
or typed side by side with the Quốc hiệu), the document type line and the summary."""

import re

from django.utils.translation import gettext as _

from duan8.documents.importing.blocks import Line
from duan8.documents.importing.problems import Where
from duan8.documents.importing.reader.parsed import ParsedPlan
from duan8.documents.importing.reader.patterns import (
    AGENCY_WORDS,
    DATE_LINE,
    DOCUMENT_TYPES,
    HEADER_GAP,
    KIND_WORDS,
    MOTTO,
    NUMBER_LINE,
    ROMAN,
    is_upper,
    parse_date,
)
from duan8.documents.importing.wording import key, plain, spaces


def header_read(parsed: ParsedPlan, lines: list[Line]) -> list[Line]:
    """The header, the type line and the summary; returns the lines after the summary."""
    type_at = next((i for i, line in enumerate(lines) if key(line.text) in DOCUMENT_TYPES), None)
    if type_at is None:  # "KẾ HOẠCH Triển khai …": the type and the summary on one line
        for index, line in enumerate(lines):
            joined = re.match(r"^KẾ HOẠCH\s*:?\s+(?P<title>\S.*)$", line.text)
            if joined:
                type_at = index
                lines = [
                    *lines[:index],
                    Line("KẾ HOẠCH", line.where),
                    Line(joined["title"], line.where),
                    *lines[index + 1 :],
                ]
                break
    if type_at is None:
        parsed.problems.error(
            Where(), _("The document type line “KẾ HOẠCH” was not found; is this a plan?")
        )
        type_at = -1
    elif key(lines[type_at].text) != "kế hoạch":
        parsed.problems.error(
            lines[type_at].where,
            _("This document is a “%(kind)s”, not a plan (Kế hoạch).")
            % {"kind": lines[type_at].text},
        )
    for line in lines[: max(type_at, 0)]:
        for part in _header_parts(line):
            _header_line_read(parsed, part)
    rest = lines[type_at + 1 :]
    title: list[str] = []
    while rest and len(title) < 4 and not _starts_body(rest[0].text):
        if not re.fullmatch(r"[-_.=\s]*", rest[0].text):
            title.append(rest[0].text)
        rest = rest[1:]
    parsed.title = spaces(" ".join(title))
    return rest


def _starts_body(text: str) -> bool:
    """The summary line ends here: a "Căn cứ" line, "Thực hiện" a document ("Thực hiện Kế hoạch
    số …"; "Thực hiện Dự án 8 …" is a summary), a proposal, a section heading or a ";"."""
    folded = key(text)
    return (
        folded.startswith(("căn cứ", "theo đề nghị", "xét đề nghị"))
        or bool(re.match(rf"thực hiện\s+(?:{KIND_WORDS})\s+(?:số\s*)?\d", text, re.IGNORECASE))
        or bool(ROMAN.match(text))
        or text.rstrip().endswith(";")
    )


def _header_parts(line: Line) -> list[Line]:
    """A header line as its columns: the issuing body and the Quốc hiệu typed on one line
    (separated by tabs or spaces, or not at all), the number and the place and date."""
    parts: list[str] = []
    for column in HEADER_GAP.split(line.text):
        parts.extend(part.strip() for part in MOTTO.split(column))
    return [Line(part, line.where) for part in parts if part]


def _header_line_read(parsed: ParsedPlan, line: Line) -> None:
    text = line.text
    number = NUMBER_LINE.match(text)
    if number:
        parsed.number = int(number["number"]) if number["number"] else None
        parsed.symbol = number["symbol"]
        parsed.number_where = line.where
        after = text[number.end() :].strip()
        if after:  # "Số: 45/KH-UBND Quảng Ngãi, ngày …" on one line
            _header_line_read(parsed, Line(after, line.where))
        return
    date = DATE_LINE.match(text)
    if date:
        parsed.place = spaces(date["place"])
        parsed.date_where = line.where
        parsed.years.append((int(date["year"]), _("the date line")))
        if date["day"] and date["month"]:
            parsed.issued_on = parse_date(f"{date['day']}/{date['month']}/{date['year']}")
            if parsed.issued_on is None:
                parsed.problems.error(line.where, _("This date does not exist."), text)
        return
    folded = plain(text)
    if folded.startswith(("cong hoa xa hoi chu nghia", "doc lap tu do hanh phuc")):
        return
    if is_upper(text):
        named = folded.split()
        if (
            parsed.agencies
            and plain(parsed.agencies[-1][0]) in ("uy ban nhan dan", "ubnd")
            and (named and named[0] in ("xa", "phuong", "thi", "huyen", "quan", "thanh", "tinh"))
        ):
            previous, where = parsed.agencies.pop()
            parsed.agencies.append((f"{previous} {text}", where))
            return
        if folded.startswith(AGENCY_WORDS):  # not "DỰ THẢO", "KHẨN" and other marks
            parsed.agencies.append((text, line.where))
            return
    if any(c.isalpha() for c in text):
        parsed.problems.warning(line.where, _("This line of the header is not imported."), text)
