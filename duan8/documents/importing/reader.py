"""Read a plan's parts from its lines and tables, as printed; no database is needed here.

The layout is the one of Nghị định 30/2020 and of the seed plan (Kế hoạch 87/KH-UBND of xã Ba
Trang): agency and number, place and date, "KẾ HOẠCH" and the summary line, the "Căn cứ" lines,
sections I–V, the closing line ending "./.", "Nơi nhận" and the signature, then the two
appendices as tables. Parts are found by their wording, not their position, so a header laid out
in a table or on one line with the Quốc hiệu, a missing agency block, a blank number, "Căn cứ"
lines broken over several lines, a "Thực hiện Kế hoạch số …" preamble and section headings
numbered by Word still read; a plan without appendix tables is read without targets. What
cannot be read is listed as a problem with its place; ``building`` then ties the tables to the
program and the villages.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from duan8.documents.importing.problems import Problems, Where
from duan8.documents.importing.source import Grid, Line, Source
from duan8.documents.importing.wording import key, plain, spaces
from duan8.legal.models import LegalDocument

K = LegalDocument.Kind
DOCUMENT_KINDS = {
    "luật": K.LAW,
    "nghị quyết": K.RESOLUTION,
    "nghị định": K.DECREE,
    "quyết định": K.DECISION,
    "thông tư liên tịch": K.CIRCULAR,
    "thông tư": K.CIRCULAR,
    "kế hoạch": K.PLAN,
    "hướng dẫn": K.GUIDANCE,
    "công văn": K.OFFICIAL_LETTER,
    "báo cáo": K.REPORT,
    "văn bản": K.OFFICIAL_LETTER,
    "thông báo": K.NOTICE,
    "chỉ thị": K.OTHER,
    "chương trình": K.OTHER,
    "đề án": K.OTHER,
}
_KIND_WORDS = "|".join(sorted(DOCUMENT_KINDS, key=len, reverse=True))
_DATE = r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
CITATION = re.compile(
    rf"^(?P<lead>căn cứ|thực hiện)\s+(?P<kind>{_KIND_WORDS})\s+"
    rf"(?:(?!số\s)(?P<name>[^\d;]{{1,200}}?)\s+số\s*:?\s*|(?:số\s*:?\s*)?)"  # Luật … số
    rf"(?P<number>\d[\w./-]*?)\s*/\s*(?P<symbol>[A-ZĐ][\wĐđ-]*)\s*,?\s+ngày\s+"
    rf"(?P<date>{_DATE})\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# Where a citation's issuer ends and the document's subject begins ("… của Thủ tướng Chính phủ
# phê duyệt Chương trình …"); "về" is the usual word, the others are verbs titles start with.
SUBJECT = re.compile(
    r"(?:^|\s)((?:về|phê duyệt|ban hành|quy định|hướng dẫn|triển khai|thực hiện|phân bổ|giao"
    r"|sửa đổi|bổ sung)\s.*)$",
    re.IGNORECASE,
)
# The preamble's own lines: a line starting otherwise continues the one before it.
PREAMBLE_STARTS = ("căn cứ", "thực hiện", "theo đề nghị", "xét đề nghị")
# The motto and the Quốc hiệu, wherever a header line holds them next to the issuing body.
MOTTO = re.compile(
    r"(?=C[ỘO]NG\s+H(?:ÒA|OÀ|OA)\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A)"
    r"|(?=Đ[ỘO]C\s+L[ẬA]P\s*[-–—]\s*T[ỰU]\s+DO)",
    re.IGNORECASE,
)
# Columns of a header typed with tabs or with runs of spaces.
HEADER_GAP = re.compile(r"\t+|\s{3,}")
APPENDIX_REFERENCE = re.compile(
    r"\((?:đính\s+)?kèm(?:\s+theo)?\s+(?:kế\s+hoạch|KH)\s+số\s*(?P<number>\d*)\s*/\s*"
    r"(?P<symbol>[\wĐđ-]+)\s+ngày\s*(?P<date>[\d\s/]*?(?:tháng[\s\d]*năm\s*\d{4})?)\s*"
    r"(?:của\s+(?P<issuer>[^)]+))?\)",
    re.IGNORECASE,
)
NUMBER_LINE = re.compile(r"^số\s*:?\s*(?P<number>\d*)\s*/\s*(?P<symbol>[\wĐđ-]+)", re.IGNORECASE)
DATE_LINE = re.compile(
    r"^(?P<place>[^,]{2,60}),\s*ngày\s*(?P<day>\d{0,2})\s*tháng\s*(?P<month>\d{0,2})\s*"
    r"năm\s*(?P<year>\d{4})\s*\.?$",
    re.IGNORECASE,
)
ROMAN = re.compile(r"^(?P<roman>X|IX|IV|VI{0,3}|I{1,3})\s*[.:/]\s*(?P<title>\S.*)$")
FOCUS_HEADING = re.compile(r"^\d+\s*[.)]\s*(?P<content>nội dung\s*(?P<n>\d+))\s*[:.]", re.I)
AGENCY_HEADING = re.compile(r"^(?P<n>\d+)\s*\.\s+(?P<agency>[^-].{0,119})$")
SUBHEADING = re.compile(r"^(?P<n>\d+)\s*\.\s*(?P<title>.+)$")
SIGNING_AUTHORITY = re.compile(r"^(?:TM|KT|TL|TUQ|Q)\s*\.", re.IGNORECASE)
YEAR = re.compile(r"năm\s+(\d{4})\b", re.IGNORECASE)
CONTENT_ROW = re.compile(r"^nội dung\s*(?P<n>\d+)\s*[:.]?\s*(?P<title>.*)$", re.IGNORECASE)
ACTIVITY_ROW = re.compile(r"^hoạt động\s*(?P<n>\d+)\s*[:.]?\s*(?P<title>.*)$", re.IGNORECASE)
INDICATOR_ROW = re.compile(r"^(?:\d+\.)*(?P<n>\d+)\.?$")
ROMAN_NUMBER = re.compile(r"^(?:X|IX|IV|V?I{1,3}|V)\.?$")
COUNT = re.compile(r"^\d+(?:[.,]\d+)?$")
DASHES = {"-", "–", "—", "_", "x"}

# How the name of an issuing body begins (compared without diacritics).
AGENCY_WORDS = ("uy ban", "ubnd", "hoi ", "hdnd", "dang uy", "ban ", "phong ", "so ", "bo ")
DOCUMENT_TYPES = ("kế hoạch", "quyết định", "báo cáo", "tờ trình", "công văn", "thông báo")
SECTION_KINDS = [
    ("muc dich", "purposes"),
    ("yeu cau", "purposes"),
    ("chi tieu", "targets"),
    ("muc tieu", "targets"),
    ("kinh phi", "budget"),
    ("to chuc thuc hien", "responsibilities"),
    ("nhiem vu", "focuses"),
    ("noi dung", "focuses"),
]


SECTION_STARTS = tuple(words for words, _kind in SECTION_KINDS)


@dataclass
class Citation:
    kind: str
    number: str
    symbol: str
    issued_on: datetime.date
    issuer: str
    title: str
    where: Where
    text: str


@dataclass
class AppendixReference:
    number: int | None
    symbol: str
    issued_on: datetime.date | None
    issuer: str
    where: Where


@dataclass
class TargetRow:
    """A row of the first appendix: ``level`` content, activity or indicator."""

    level: str
    number: str
    title: str
    where: Where
    cells: dict[str, tuple[str, Where]] = field(default_factory=dict)  # scope → text, place


@dataclass
class AllocationLine:
    number: str
    label: str
    where: Where
    difficult: tuple[str, Where]
    values: list[tuple[str, Where]]


@dataclass
class AllocationColumnHead:
    group: str
    heading: str
    where: Where


@dataclass
class AllocationSheet:
    difficult_heading: str
    columns: list[AllocationColumnHead]
    rows: list[AllocationLine]
    where: Where


@dataclass
class ParsedPlan:
    """Everything read from the file, as printed, with the places of what was not."""

    kind: str
    number: int | None = None
    symbol: str = ""
    number_where: Where | None = None
    place: str = ""
    issued_on: datetime.date | None = None
    date_where: Where | None = None
    agencies: list[tuple[str, Where]] = field(default_factory=list)
    title: str = ""
    legal_bases: list[Citation] = field(default_factory=list)
    proposal: str = ""
    purposes: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    specific_targets: list[str] = field(default_factory=list)
    focuses: list[tuple[int, str, list[str], Where]] = field(default_factory=list)
    budget_lines: list[str] = field(default_factory=list)
    responsibilities: list[tuple[str, list[str]]] = field(default_factory=list)
    closing: str = ""
    recipients: list[str] = field(default_factory=list)
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    appendix_references: list[AppendixReference] = field(default_factory=list)
    years: list[tuple[int, str]] = field(default_factory=list)  # (year, where it was read)
    targets: list[TargetRow] = field(default_factory=list)
    targets_where: Where | None = None
    allocation: AllocationSheet | None = None
    problems: Problems = field(default_factory=Problems)


def parse_date(text: str) -> datetime.date | None:
    """ "25/9/2023" or "25 tháng 9 năm 2023"; None if it is not a real date."""
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if len(numbers) != 3:
        return None
    try:
        return datetime.date(numbers[2], numbers[1], numbers[0])
    except ValueError:
        return None


def _is_upper(text: str) -> bool:
    return any(c.isalpha() for c in text) and text == text.upper()


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
            _targets_read(parsed, block)
        elif kind == "allocation" and parsed.allocation is None:
            _allocation_read(parsed, block, table_where)
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
    _body_read(parsed, _joined(lines[:body_end]))
    for line in lines[body_end:]:
        _appendix_line_read(parsed, line)
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


# -- the body --------------------------------------------------------------------------------


def _body_read(parsed: ParsedPlan, lines: list[Line]) -> None:
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
    _sections_read(parsed, _preamble_joined(rest))


def _starts_body(text: str) -> bool:
    """The summary line ends here: a "Căn cứ" line, "Thực hiện" a document ("Thực hiện Kế hoạch
    số …"; "Thực hiện Dự án 8 …" is a summary), a proposal, a section heading or a ";"."""
    folded = key(text)
    return (
        folded.startswith(("căn cứ", "theo đề nghị", "xét đề nghị"))
        or bool(re.match(rf"thực hiện\s+(?:{_KIND_WORDS})\s+(?:số\s*)?\d", text, re.IGNORECASE))
        or bool(ROMAN.match(text))
        or text.rstrip().endswith(";")
    )


def _heading(text: str) -> str | None:
    """The title of a section heading: "II. TỔ CHỨC THỰC HIỆN", or the same without its number
    (Word's automatic numbering is not in the text) when it names a part of a plan."""
    heading = ROMAN.match(text)
    if heading:
        return heading["title"] if _is_upper(heading["title"]) else None
    if (
        _is_upper(text)
        and len(text) <= 60
        and not any(c.isdigit() for c in text)
        and plain(text).startswith(SECTION_STARTS)
    ):
        return text
    return None


def _is_heading(text: str) -> bool:
    return _heading(text) is not None


def _preamble_joined(lines: list[Line]) -> list[Line]:
    """A "Căn cứ" or "Thực hiện" line broken over several lines is one again: a line that does
    not start a preamble line of its own continues one that has not ended (";", "." or ":")."""
    groups: list[tuple[Where, list[str]]] = []
    rest: list[Line] = []
    for index, line in enumerate(lines):
        if _is_heading(line.text):
            rest = lines[index:]
            break
        texts = groups[-1][1] if groups else []
        if (
            texts
            and key(texts[0]).startswith(PREAMBLE_STARTS)
            and not texts[-1].rstrip().endswith((";", ".", ":"))
            and not key(line.text).startswith(PREAMBLE_STARTS)
        ):
            texts.append(line.text)
        else:
            groups.append((line.where, [line.text]))
    return [
        Line(spaces(" ".join(texts)) if len(texts) > 1 else texts[0], where)
        for where, texts in groups
    ] + rest


def _header_parts(line: Line) -> list[Line]:
    """A header line as its columns: the issuing body and the Quốc hiệu typed on one line
    (separated by tabs or spaces, or not at all), the number and the place and date."""
    parts = []
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
    if _is_upper(text):
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


def _sections_read(parsed: ParsedPlan, lines: list[Line]) -> None:
    section = "preamble"
    target: list[str] | None = None  # where the next plain line goes
    ignored_sections: set[str] = set()
    tail: list[Line] = []
    for index, line in enumerate(lines):
        text, folded = line.text, key(line.text)
        if folded.startswith("nơi nhận") or text.endswith("/."):
            if text.endswith("/."):
                parsed.closing = text
                tail = lines[index + 1 :]
            else:
                tail = lines[index:]
            break
        heading = _heading(text)
        if heading is not None:
            section = _section_kind(heading)
            target = {
                "purposes": parsed.purposes,
                "targets": parsed.specific_targets,
                "budget": parsed.budget_lines,
            }.get(section)
            if section == "purposes" and plain(heading).startswith("yeu cau"):
                target = parsed.requirements  # "YÊU CẦU" under "MỤC ĐÍCH", numbered by Word
            if section == "unknown" and text not in ignored_sections:
                ignored_sections.add(text)
                parsed.problems.warning(
                    line.where,
                    _(
                        "This section is not one a plan keeps (purposes and requirements,"
                        " targets, contents, budget, organisation); it and the lines under it"
                        " are not imported."
                    ),
                    text,
                )
            continue
        if section == "preamble":
            if folded.startswith(("căn cứ", "thực hiện")) and (
                folded.startswith("căn cứ") or not _PROPOSAL.search(text) or CITATION.match(text)
            ):
                _citation_read(parsed, line)
            elif folded.startswith(("theo đề nghị", "xét đề nghị")) or _PROPOSAL.search(text):
                parsed.proposal = text
            else:
                parsed.problems.warning(
                    line.where, _("This line before section I is not imported."), text
                )
        elif section == "purposes":
            sub = SUBHEADING.match(text)
            if sub and plain(sub["title"]).startswith("muc dich"):
                target = parsed.purposes
            elif sub and plain(sub["title"]).startswith("yeu cau"):
                target = parsed.requirements
            elif target is not None:
                target.append(text)
        elif section == "focuses":
            focus = FOCUS_HEADING.match(text)
            if focus:
                parsed.focuses.append((int(focus["n"]), text, [], line.where))
            elif parsed.focuses:
                parsed.focuses[-1][2].append(text)
            else:
                parsed.problems.warning(
                    line.where,
                    _("This line is not under a “Nội dung” heading; not imported."),
                    text,
                )
        elif section == "responsibilities":
            agency = AGENCY_HEADING.match(text)
            if agency and not re.search(r"[.;:,]$", text):
                parsed.responsibilities.append((spaces(agency["agency"]), []))
            elif parsed.responsibilities:
                parsed.responsibilities[-1][1].append(text)
            else:
                parsed.problems.warning(
                    line.where, _("This line is not under an agency heading; not imported."), text
                )
        elif target is not None:
            target.append(text)
    _tail_read(parsed, tail)


def _section_kind(title: str) -> str:
    folded = plain(title)
    for words, kind in SECTION_KINDS:
        if words in folded:
            return kind
    return "unknown"


_PROPOSAL = re.compile(r"(?:ban hành|xây dựng)\s+kế\s+hoạch", re.IGNORECASE)
_PROPOSAL_CLAUSE = re.compile(
    r"[;,]\s*(?P<clause>[^;,]*?(?:ban hành|xây dựng)\s+kế\s+hoạch.*)$", re.IGNORECASE
)


def _citation_read(parsed: ParsedPlan, line: Line) -> None:
    """A "Căn cứ …" or "Thực hiện …" line: the document it cites becomes a legal basis; what
    follows the citation in a "Thực hiện" line ("…; UBND xã … ban hành Kế hoạch …") is the
    proposal line."""
    found = CITATION.match(line.text)
    issued_on = parse_date(found["date"]) if found else None
    if not found or issued_on is None:
        parsed.problems.warning(
            line.where,
            _(
                "This legal basis could not be read as “Căn cứ <type> số <number>/<symbol> ngày"
                " <date> của <issuer> về …”; it is not imported. Add it to the plan by hand."
            ),
            line.text,
        )
        return
    rest = found["rest"]
    clause = _PROPOSAL_CLAUSE.search(rest)
    if clause and key(found["lead"]) == "thực hiện":
        parsed.proposal = clause["clause"].strip()
        rest = rest[: clause.start()]
    rest = rest.split(";")[0].rstrip(" ;.,")
    issuer, title = rest, ""
    about = SUBJECT.search(rest)
    if about:
        issuer, title = rest[: about.start()].strip(), about[1].strip()
    issuer = re.sub(r"^của\s+", "", issuer).strip()
    if found["name"] and not title:  # "Luật Bình đẳng giới số 73/2006/QH11 …": its name
        title = spaces(f"{found['kind']} {found['name']}")
    parsed.legal_bases.append(
        Citation(
            kind=DOCUMENT_KINDS[found["kind"].lower()],
            number=found["number"],
            symbol=found["symbol"],
            issued_on=issued_on,
            issuer=issuer,
            title=title,
            where=line.where,
            text=line.text,
        )
    )


def _tail_read(parsed: ParsedPlan, lines: list[Line]) -> None:
    """ "Nơi nhận" with its list, and the signature block, in whichever order they come."""
    in_recipients = False  # after "Nơi nhận": a line starting with a dash is a recipient, even
    names: list[str] = []  # between signature lines (the two side by side, read row by row)
    authorities: list[str] = []
    for line in lines:
        text, folded = line.text, key(line.text)
        if folded.startswith("nơi nhận"):
            in_recipients = True
            after = re.sub(r"^nơi nhận\s*:?\s*", "", text, flags=re.IGNORECASE)
            if after:
                parsed.recipients.append(after)
            continue
        if in_recipients and text[:1] in "-+•":
            parsed.recipients.append(text)
            continue
        if SIGNING_AUTHORITY.match(text):
            authorities.append(text)
        elif _is_upper(text) and not parsed.signer_title:
            parsed.signer_title = text
        elif not text.startswith("(") and not _is_upper(text):
            names.append(text)
    if names:
        parsed.signer_name = names[-1]
    parsed.signer_authority = "\n".join(authorities)


def _appendix_line_read(parsed: ParsedPlan, line: Line) -> None:
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
    if _is_upper(line.text):
        for year in YEAR.findall(line.text):
            parsed.years.append((int(year), _("the title of an appendix")))


# -- the first appendix ------------------------------------------------------------------------


def _targets_read(parsed: ParsedPlan, grid: Grid) -> None:
    rows = grid.rows
    header_end = next(
        (i for i, row in enumerate(rows) if _row_level(row[0] if row else "")), len(rows)
    )
    heads = rows[:header_end]
    commune_col = village_col = None
    title_col = 1
    for row in heads:
        for c, cell in enumerate(row):
            folded = key(cell)
            if folded == "xã" and commune_col is None:
                commune_col = c
            elif folded.startswith("thôn") and village_col is None:
                village_col = c
            elif "nội dung hoạt động" in folded:
                title_col = c
            for year in YEAR.findall(cell):
                parsed.years.append((int(year), _("the heading of the first appendix")))
    width = max((len(row) for row in rows), default=0)
    if commune_col is None or village_col is None:
        commune_col, village_col = width - 2, width - 1
        parsed.problems.warning(
            grid.where(0),
            _(
                "The columns “Xã” and “thôn” were not found in the heading; the last two columns"
                " are read as the commune and village targets."
            ),
        )
    labels = {commune_col: _("Commune"), village_col: _("Village")}
    for r in range(header_end, len(rows)):
        row = rows[r]
        first = row[0] if row else ""
        title = row[title_col] if title_col < len(row) else ""
        level = _row_level(first)
        number = first
        if level in ("content", "activity"):
            found = (CONTENT_ROW if level == "content" else ACTIVITY_ROW).match(first)
            number = f"{'Nội dung' if level == 'content' else 'Hoạt động'} {found['n']}"
            title = found["title"] or title
        elif level == "indicator":
            number = INDICATOR_ROW.match(first)["n"]
        cells = {}
        for scope, col in (("commune", commune_col), ("village", village_col)):
            text = row[col] if col < len(row) else ""
            if text and col != title_col and not (level == "content" and col == 0):
                cells[scope] = (text, grid.where(r, col, labels[col]))
        if not level:
            if any(cell for cell in row):
                excerpt = " ".join(cell for cell in row if cell)
                if cells:
                    parsed.problems.error(
                        grid.where(r),
                        _(
                            "This row is not a “Nội dung”, a “Hoạt động” or a numbered line; its"
                            " targets cannot be imported."
                        ),
                        excerpt,
                    )
                else:
                    parsed.problems.warning(
                        grid.where(r),
                        _(
                            "This row is not a “Nội dung”, a “Hoạt động” or a numbered line; it is"
                            " skipped."
                        ),
                        excerpt,
                    )
            continue
        parsed.targets.append(
            TargetRow(
                level=level, number=number, title=spaces(title), where=grid.where(r), cells=cells
            )
        )


def _row_level(first: str) -> str:
    if CONTENT_ROW.match(first):
        return "content"
    if ACTIVITY_ROW.match(first):
        return "activity"
    if INDICATOR_ROW.match(first):
        return "indicator"
    return ""


# -- the second appendix -----------------------------------------------------------------------


def _allocation_read(parsed: ParsedPlan, grid: Grid, where: Where) -> None:
    rows = grid.rows
    width = max(len(row) for row in rows)
    label_col = next(
        (c for row in rows[:4] for c, cell in enumerate(row) if "đơn vị" in key(cell)), 1
    )
    difficult_col = next(
        (
            c
            for row in rows[:4]
            for c, cell in enumerate(row)
            if "khó khăn" in key(cell) or "đbkk" in key(cell)
        ),
        None,
    )
    first_value = max(label_col, difficult_col if difficult_col is not None else -1) + 1
    value_cols = list(range(first_value, width))

    def is_data(row: list[str]) -> bool:
        values = [row[c] for c in value_cols if c < len(row)]
        return (
            bool(row[label_col])
            and any(COUNT.match(v) for v in values)
            and all(not v or COUNT.match(v) or v in DASHES for v in values)
        )

    data_at = next((i for i, row in enumerate(rows) if is_data(row)), len(rows))
    heads = rows[:data_at]
    group_row = next(
        (
            row
            for row in heads
            if any(
                CONTENT_ROW.match(row[c]) and not CONTENT_ROW.match(row[c])["title"]
                for c in value_cols
            )
        ),
        None,
    )
    columns = []
    group = ""
    for c in value_cols:
        if group_row is not None and group_row[c]:
            group = group_row[c]
        heading = next((row[c] for row in reversed(heads) if row[c] and row is not group_row), "")
        columns.append(AllocationColumnHead(group=group, heading=heading, where=grid.where(0, c)))
    difficult_heading = ""
    if difficult_col is not None:
        difficult_heading = next((row[difficult_col] for row in heads if row[difficult_col]), "")
    lines = []
    for r in range(data_at, len(rows)):
        row = rows[r]
        if not any(row):
            continue
        if all(re.fullmatch(r"\(?\d+\)?", cell) for cell in row if cell) and not row[label_col]:
            continue  # a row numbering the columns: (1) (2) (3) …
        difficult = ("", grid.where(r))
        if difficult_col is not None:
            difficult = (
                row[difficult_col],
                grid.where(r, difficult_col, difficult_heading or _("Difficult villages")),
            )
        lines.append(
            AllocationLine(
                number=row[label_col - 1] if label_col > 0 else "",
                label=row[label_col],
                where=grid.where(r),
                difficult=difficult,
                values=[
                    (row[c], grid.where(r, c, columns[i].heading)) for i, c in enumerate(value_cols)
                ],
            )
        )
    parsed.allocation = AllocationSheet(
        difficult_heading=difficult_heading, columns=columns, rows=lines, where=where
    )
