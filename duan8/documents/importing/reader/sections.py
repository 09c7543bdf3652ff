"""The sections of a plan after its summary: the preamble ("Căn cứ", "Thực hiện" and the proposal
line), sections I–V (purposes and requirements, targets, focus contents, budget, who does what),
the closing line, the recipients (nơi nhận) and the signature."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from duan8.documents.importing.blocks import Line
from duan8.documents.importing.problems import Where
from duan8.documents.importing.reader.parsed import Citation, ParsedPlan
from duan8.documents.importing.reader.patterns import (
    AGENCY_HEADING,
    CITATION,
    DOCUMENT_KINDS,
    FOCUS_HEADING,
    PREAMBLE_STARTS,
    ROMAN,
    SECTION_KINDS,
    SECTION_STARTS,
    SIGNING_AUTHORITY,
    SUBHEADING,
    SUBJECT,
    is_upper,
    parse_date,
)
from duan8.documents.importing.wording import key, plain, spaces


def _heading(text: str) -> str | None:
    """The title of a section heading: "II. TỔ CHỨC THỰC HIỆN", or the same without its number
    (Word's automatic numbering is not in the text) when it names a part of a plan."""
    heading = ROMAN.match(text)
    if heading:
        return heading["title"] if is_upper(heading["title"]) else None
    if (
        is_upper(text)
        and len(text) <= 60
        and not any(c.isdigit() for c in text)
        and plain(text).startswith(SECTION_STARTS)
    ):
        return text
    return None


def _is_heading(text: str) -> bool:
    return _heading(text) is not None


def preamble_joined(lines: list[Line]) -> list[Line]:
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


@dataclass
class _Reading:
    """Where the reading of the sections is: the section's kind, and the list its next plain line
    goes to."""

    section: str = "preamble"
    target: list[str] | None = None
    ignored_sections: set[str] = field(default_factory=set)


def sections_read(parsed: ParsedPlan, lines: list[Line]) -> None:
    reading = _Reading()
    tail: list[Line] = []
    for index, line in enumerate(lines):
        text = line.text
        if key(text).startswith("nơi nhận") or text.endswith("/."):
            if text.endswith("/."):
                parsed.closing = text
                tail = lines[index + 1 :]
            else:
                tail = lines[index:]
            break
        heading = _heading(text)
        if heading is not None:
            _section_start(parsed, reading, line, heading)
            continue
        read = _LINE_READERS.get(reading.section)
        if read is not None:
            read(parsed, reading, line)
        elif reading.target is not None:
            reading.target.append(text)
    _tail_read(parsed, tail)


def _section_start(parsed: ParsedPlan, reading: _Reading, line: Line, heading: str) -> None:
    reading.section = _section_kind(heading)
    reading.target = {
        "purposes": parsed.purposes,
        "targets": parsed.specific_targets,
        "budget": parsed.budget_lines,
    }.get(reading.section)
    if reading.section == "purposes" and plain(heading).startswith("yeu cau"):
        reading.target = parsed.requirements  # "YÊU CẦU" under "MỤC ĐÍCH", numbered by Word
    if reading.section == "unknown" and line.text not in reading.ignored_sections:
        reading.ignored_sections.add(line.text)
        parsed.problems.warning(
            line.where,
            _(
                "This section is not one a plan keeps (purposes and requirements,"
                " targets, contents, budget, organisation); it and the lines under it"
                " are not imported."
            ),
            line.text,
        )


def _preamble_line(parsed: ParsedPlan, reading: _Reading, line: Line) -> None:
    text, folded = line.text, key(line.text)
    if folded.startswith(("căn cứ", "thực hiện")) and (
        folded.startswith("căn cứ") or not _PROPOSAL.search(text) or CITATION.match(text)
    ):
        _citation_read(parsed, line)
    elif folded.startswith(("theo đề nghị", "xét đề nghị")) or _PROPOSAL.search(text):
        parsed.proposal = text
    else:
        parsed.problems.warning(line.where, _("This line before section I is not imported."), text)


def _purposes_line(parsed: ParsedPlan, reading: _Reading, line: Line) -> None:
    sub = SUBHEADING.match(line.text)
    if sub and plain(sub["title"]).startswith("muc dich"):
        reading.target = parsed.purposes
    elif sub and plain(sub["title"]).startswith("yeu cau"):
        reading.target = parsed.requirements
    elif reading.target is not None:
        reading.target.append(line.text)


def _focus_line(parsed: ParsedPlan, reading: _Reading, line: Line) -> None:
    focus = FOCUS_HEADING.match(line.text)
    if focus:
        parsed.focuses.append((int(focus["n"]), line.text, [], line.where))
    elif parsed.focuses:
        parsed.focuses[-1][2].append(line.text)
    else:
        parsed.problems.warning(
            line.where,
            _("This line is not under a “Nội dung” heading; not imported."),
            line.text,
        )


def _responsibility_line(parsed: ParsedPlan, reading: _Reading, line: Line) -> None:
    text = line.text
    agency = AGENCY_HEADING.match(text)
    if agency and not re.search(r"[.;:,]$", text):
        parsed.responsibilities.append((spaces(agency["agency"]), []))
    elif parsed.responsibilities:
        parsed.responsibilities[-1][1].append(text)
    else:
        parsed.problems.warning(
            line.where, _("This line is not under an agency heading; not imported."), text
        )


# How a plain line is read, by the kind of its section; in the others it goes to the target.
_LINE_READERS: dict[str, Callable[[ParsedPlan, _Reading, Line], None]] = {
    "preamble": _preamble_line,
    "purposes": _purposes_line,
    "focuses": _focus_line,
    "responsibilities": _responsibility_line,
}


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
        elif is_upper(text) and not parsed.signer_title:
            parsed.signer_title = text
        elif not text.startswith("(") and not is_upper(text):
            names.append(text)
    if names:
        parsed.signer_name = names[-1]
    parsed.signer_authority = "\n".join(authorities)
