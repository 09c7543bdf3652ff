"""Checks a document must pass before it is issued (NĐ 30/2020/NĐ-CP, and the seed's defects).

The checks read the plan as it will print (``plan_document.plan_text``), so the place named in a
problem is where a reader finds it in the document. Each problem is an error (issuing is refused)
or a warning (shown, not blocking):

- number and date present, and the same in the header and in each appendix's "Kèm theo" line;
- citations well formed (type word and symbol agree, real date, the year in the number matches
  the date) and found in the register of legal documents; a citation that differs from a
  registered document only in its symbol or date ("TT-UBND" for "TT-UBDT") is an error;
- the legal bases are not dated after the plan;
- canonical program names ("đồng bằng dân tộc thiểu số" for "đồng bào"), truncated or misspelt
  names of the units above ("huyện Ba Tr"), phrases of another level ("Ủy ban nhân dân các xã"),
  short names that do not match the number ("Kế hoạch 194 … (viết tắt là Kế hoạch 82)");
- the signature block of a collective body (TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH, or KT. CHỦ TỊCH /
  PHÓ CHỦ TỊCH);
- the recipients (nơi nhận) end with "- Lưu: VT, …." ;
- the allocation table adds up.
"""

import datetime
import difflib
import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duan8.documents.models import DocumentTemplate
from duan8.documents.plan_document import TEMPLATE_KEY, Para, PlanText, plan_text
from duan8.documents.selectors import document_template_get
from duan8.documents.vietnamese import date_numeric
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_ancestors
from duan8.programs.models import Plan
from duan8.programs.selectors import allocation_table


class Level(models.TextChoices):
    ERROR = "error", gettext_lazy("Error")
    WARNING = "warning", gettext_lazy("Warning")


@dataclass(frozen=True)
class Problem:
    level: str
    where: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.level == Level.ERROR

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def error(where: str, message: str) -> Problem:
    return Problem(Level.ERROR, where, message)


def warning(where: str, message: str) -> Problem:
    return Problem(Level.WARNING, where, message)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def place(para: Para) -> str:
    section = _short(para.section)
    if para.heading:
        return _("%(section)s (heading)") % {"section": section}
    return _("%(section)s, paragraph %(line)s") % {"section": section, "line": para.line}


# -- number and date --------------------------------------------------------------------------

ATTACHED = re.compile(
    r"số\s+(?P<number>\d+)/(?P<symbol>[^\s,;)]+)\s+ngày\s+(?P<day>\d{1,2})"
    r"(?:/|\s+tháng\s+)(?P<month>\d{1,2})(?:/|\s+năm\s+)(?P<year>\d{4})",
    re.IGNORECASE,
)


def check_number_and_date(text: PlanText, template: DocumentTemplate, year: int) -> list[Problem]:
    problems = []
    header = _("Header")
    if text.number is None:
        problems.append(
            error(
                _("Header, number (Số)"),
                _("The document has no number: the header would print “%(line)s”.")
                % {"line": text.number_line.replace("\u00a0", " ")},
            )
        )
    if text.issued_on is None:
        problems.append(
            error(
                _("Header, place and date"),
                _("The document has no date of issue."),
            )
        )
    elif text.issued_on.year not in (year - 1, year):
        problems.append(
            warning(
                _("Header, place and date"),
                _("The document is dated %(date)s but is the plan for %(year)s.")
                % {"date": date_numeric(text.issued_on), "year": year},
            )
        )
    if not text.place_date_line or text.place_date_line.startswith("ngày"):
        problems.append(
            warning(_("Header, place and date"), _("The place name before the date is missing."))
        )
    prefix = f"{template.document_type}-"
    if template.document_type and not text.symbol.startswith(prefix):
        problems.append(
            error(
                header,
                _(
                    "The symbol “%(symbol)s” does not begin with “%(prefix)s”, the abbreviation of"
                    " this type of document."
                )
                % {"symbol": text.symbol, "prefix": prefix},
            )
        )
    for appendix in text.appendices:
        where = _("%(appendix)s, “Attached to” line") % {"appendix": appendix.label}
        match = ATTACHED.search(appendix.attached_line)
        if text.number is None or text.issued_on is None:
            continue
        if match is None:
            problems.append(
                error(
                    where,
                    _("The line does not give the number and date of the document: “%(line)s”.")
                    % {"line": appendix.attached_line},
                )
            )
            continue
        try:
            day = datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            day = None
        if (int(match["number"]), match["symbol"], day) != (
            text.number,
            text.symbol,
            text.issued_on,
        ):
            problems.append(
                error(
                    where,
                    _(
                        "The number and date (%(found)s) differ from the header's"
                        " (%(number)s/%(symbol)s, %(date)s)."
                    )
                    % {
                        "found": match.group(0),
                        "number": text.number,
                        "symbol": text.symbol,
                        "date": date_numeric(text.issued_on),
                    },
                )
            )
    return problems


# -- citations --------------------------------------------------------------------------------

KIND_PREFIX = {
    "luật": "",
    "nghị quyết": "NQ",
    "nghị định": "NĐ",
    "quyết định": "QĐ",
    "thông tư": "TT",
    "kế hoạch": "KH",
    "hướng dẫn": "HD",
    "chỉ thị": "CT",
    "báo cáo": "BC",
    "thông báo": "TB",
    "tờ trình": "TTr",
    "chương trình": "CTr",
    "công văn": "",
    "qđ": "QĐ",
    "kh": "KH",
    "tt": "TT",
    "nđ": "NĐ",
    "nq": "NQ",
    "hd": "HD",
}
CITATION = re.compile(
    r"(?<!\w)(?P<kind>(?i:" + "|".join(sorted(KIND_PREFIX, key=len, reverse=True)) + r"))"
    r"\s+(?:(?i:số)\s+)?"
    r"(?P<number>\d+(?:/\d{4})?)/(?P<symbol>[A-ZĐ][\w]*(?:-[\w]+)*)"
    r"(?:\s+(?i:ngày)\s+(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4}))?"
)
ALIAS = re.compile(
    r"\((?i:viết tắt là)\s+(?P<kind>(?i:kế hoạch|quyết định|hướng dẫn|thông tư))\s+(?P<n>\d+)\)"
)


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("/") if part.isdigit())


def _number_variants(number: str) -> set[str]:
    first, _sep, rest = number.partition("/")
    tail = f"/{rest}" if rest else ""
    stripped = first.lstrip("0") or "0"
    return {number, f"{stripped}{tail}", f"{int(first):02d}{tail}"}


@dataclass
class Citation:
    para: Para
    text: str
    kind: str
    number: str
    symbol: str
    date: datetime.date | None
    date_text: str


def citations(paragraphs: list[Para]) -> tuple[list[Citation], list[Problem]]:
    found, problems = [], []
    for para in paragraphs:
        for match in CITATION.finditer(para.text):
            date = None
            date_text = ""
            if match["day"]:
                date_text = f"{match['day']}/{match['month']}/{match['year']}"
                try:
                    date = datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
                except ValueError:
                    problems.append(
                        error(
                            place(para),
                            _("“%(citation)s”: %(date)s is not a real date.")
                            % {"citation": match.group(0), "date": date_text},
                        )
                    )
            found.append(
                Citation(
                    para=para,
                    text=match.group(0),
                    kind=match["kind"].casefold(),
                    number=match["number"],
                    symbol=match["symbol"],
                    date=date,
                    date_text=date_text,
                )
            )
    return found, problems


def check_citations(paragraphs: list[Para]) -> list[Problem]:
    cited, problems = citations(paragraphs)
    variants = set().union(*(_number_variants(c.number) for c in cited)) if cited else set()
    register: dict[tuple[int, ...], list[LegalDocument]] = {}
    for document in LegalDocument.objects.filter(number__in=variants):
        register.setdefault(_number_key(document.number), []).append(document)
    for citation in cited:
        where = place(citation.para)
        prefix = KIND_PREFIX[citation.kind]
        symbol_type = citation.symbol.split("-")[0]
        if (
            prefix
            and "-" in citation.symbol
            and symbol_type.casefold() != prefix.casefold()
            and not symbol_type.upper().startswith("QH")
        ):
            problems.append(
                error(
                    where,
                    _("“%(citation)s”: a %(kind)s has the symbol %(prefix)s-…, not %(symbol)s.")
                    % {
                        "citation": citation.text,
                        "kind": citation.kind,
                        "prefix": prefix,
                        "symbol": citation.symbol,
                    },
                )
            )
            continue
        parts = citation.number.split("/")
        if citation.date and len(parts) == 2 and int(parts[1]) != citation.date.year:
            problems.append(
                error(
                    where,
                    _(
                        "“%(citation)s”: the year in the number (%(year)s) is not the year of its"
                        " date."
                    )
                    % {"citation": citation.text, "year": parts[1]},
                )
            )
            continue
        same_number = register.get(_number_key(citation.number), [])
        exact = [d for d in same_number if d.symbol == citation.symbol]
        if exact:
            if citation.date and all(d.issued_on != citation.date for d in exact):
                problems.append(
                    error(
                        where,
                        _("“%(citation)s”: the register dates %(reference)s %(date)s.")
                        % {
                            "citation": citation.text,
                            "reference": exact[0].reference,
                            "date": date_numeric(exact[0].issued_on),
                        },
                    )
                )
            continue
        near = [d for d in same_number if citation.date is None or d.issued_on == citation.date]
        if near:
            problems.append(
                error(
                    where,
                    _(
                        "“%(citation)s” is not in the register of legal documents; the register has"
                        " %(reference)s of %(issuer)s dated %(date)s. Is the symbol “%(symbol)s”"
                        " a typing error?"
                    )
                    % {
                        "citation": citation.text,
                        "reference": near[0].reference,
                        "issuer": near[0].issuer,
                        "date": date_numeric(near[0].issued_on),
                        "symbol": citation.symbol,
                    },
                )
            )
        else:
            problems.append(
                warning(
                    where,
                    _(
                        "“%(citation)s” is not in the register of legal documents, so it cannot be"
                        " checked. Add it to the register if it is right."
                    )
                    % {"citation": citation.text},
                )
            )
    for para in paragraphs:
        for alias in ALIAS.finditer(para.text):
            before = [c for c in cited if c.para is para and para.text.find(c.text) < alias.start()]
            if before and _number_key(before[-1].number)[:1] != (int(alias["n"]),):
                problems.append(
                    warning(
                        place(para),
                        _(
                            "The short name “%(alias)s” does not match the number of the document"
                            " it stands for (%(reference)s)."
                        )
                        % {
                            "alias": f"{alias['kind']} {alias['n']}",
                            "reference": f"{before[-1].number}/{before[-1].symbol}",
                        },
                    )
                )
    return problems


def check_legal_bases(plan: Plan) -> list[Problem]:
    if plan.issued_on is None:
        return []
    problems = []
    for index, basis in enumerate(plan.legal_bases.select_related("document"), start=1):
        document = basis.document
        if document.issued_on > plan.issued_on:
            problems.append(
                error(
                    _("%(section)s, paragraph %(line)s")
                    % {"section": _("Legal bases"), "line": index},
                    _("%(reference)s is dated %(date)s, after the plan itself (%(plan_date)s).")
                    % {
                        "reference": document.reference,
                        "date": date_numeric(document.issued_on),
                        "plan_date": date_numeric(plan.issued_on),
                    },
                )
            )
    return problems


# -- names ------------------------------------------------------------------------------------

_PUNCTUATION = "“”\"'‘’(),.;:!?"


def _words(text: str) -> list[str]:
    text = re.sub(r"\s*-\s*", " - ", text)
    return [w.strip(_PUNCTUATION) for w in text.split()]


def check_canonical_names(paragraphs: list[Para], names: list[str]) -> list[Problem]:
    problems = []
    for name in names:
        canon = _words(name)
        folded = [w.casefold() for w in canon]
        size = len(canon)
        for para in paragraphs:
            words = _words(para.text)
            low = [w.casefold() for w in words]
            for start in range(len(words) - size + 1):
                if low[start : start + 3] != folded[:3]:
                    continue
                window = low[start : start + size]
                diffs = [i for i, (a, b) in enumerate(zip(window, folded, strict=True)) if a != b]
                if not diffs or len(diffs) > 2:
                    continue
                first, last = max(diffs[0] - 1, 0), min(diffs[-1] + 2, size)
                problems.append(
                    warning(
                        place(para),
                        _(
                            "“%(found)s” should read “%(expected)s” (the official name is"
                            " “%(name)s”)."
                        )
                        % {
                            "found": " ".join(words[start + first : start + last]),
                            "expected": " ".join(canon[first:last]),
                            "name": name,
                        },
                    )
                )
    return problems


def check_unit_names(paragraphs: list[Para], units: list[OrgUnit]) -> list[Problem]:
    """ "huyện Ba Tr" where the district is "Ba Tơ": a truncated or misspelt unit name."""
    by_kind: dict[str, set[str]] = {}
    for unit in units:
        if unit.kind:
            by_kind.setdefault(unit.kind.casefold(), set()).add(unit.name)
    problems = []
    for para in paragraphs:
        words = para.text.split()
        for index, word in enumerate(words[:-1]):
            names = by_kind.get(word.casefold())
            if not names:
                continue
            found = []
            for following in words[index + 1 : index + 5]:
                clean = following.strip(_PUNCTUATION)
                if not clean or not clean[0].isupper():
                    break
                found.append(clean)
                if clean != following:
                    break
            written = " ".join(found)
            if not written or written in names or any(written.startswith(n) for n in names):
                continue
            best = max(names, key=lambda n: difflib.SequenceMatcher(None, written, n).ratio())
            if difflib.SequenceMatcher(None, written, best).ratio() >= 0.75:
                problems.append(
                    warning(
                        place(para),
                        _("“%(found)s”: did you mean “%(expected)s”?")
                        % {"found": f"{word} {written}", "expected": f"{word} {best}"},
                    )
                )
    return problems


def check_wrong_level(paragraphs: list[Para], phrases: list[str], unit: OrgUnit) -> list[Problem]:
    problems = []
    for para in paragraphs:
        low = para.text.casefold()
        for phrase in phrases:
            if phrase.casefold() in low:
                problems.append(
                    warning(
                        place(para),
                        _(
                            "“%(phrase)s” speaks of another level (copied from a district"
                            " template?); this is a document of %(unit)s."
                        )
                        % {"phrase": phrase, "unit": unit.full_name},
                    )
                )
    return problems


# -- signature and recipients -----------------------------------------------------------------


def _norm(line: str) -> str:
    return " ".join(line.split()).upper()


def check_signature(text: PlanText, template: DocumentTemplate) -> list[Problem]:
    where = _("Signature block")
    lines = [_norm(line) for line in text.signature_lines]
    if not lines:
        return [error(where, _("The signature block has no authority or title."))]
    problems = []
    rules = (template.signature or {}).get("collective_bodies", [])
    rule = next(
        (r for r in rules if re.match(r["pattern"], text.issuing_body, flags=re.IGNORECASE)),
        None,
    )
    if rule is not None:
        authority = _norm(rule["authority"])
        titles = [[_norm(t) for t in option] for option in rule["titles"]]
        shown = _(" or ").join(f"“{' / '.join(option)}”" for option in titles)
        if lines[0] != authority:
            problems.append(
                error(
                    where,
                    _(
                        "%(body)s works as a collective body: the signature block must begin with"
                        " “%(authority)s”, then %(titles)s (it reads “%(found)s”)."
                    )
                    % {
                        "body": text.issuing_body,
                        "authority": authority,
                        "titles": shown,
                        "found": " / ".join(lines),
                    },
                )
            )
        elif lines[1:] not in titles:
            problems.append(
                error(
                    where,
                    _("After “%(authority)s” comes %(titles)s, not “%(found)s”.")
                    % {"authority": authority, "titles": shown, "found": " / ".join(lines[1:])},
                )
            )
    if not text.signer_name:
        problems.append(warning(where, _("The signer's name is missing.")))
    return problems


def check_recipients(text: PlanText, template: DocumentTemplate) -> list[Problem]:
    where = _("Recipients (nơi nhận)")
    lines = text.recipients
    if not lines:
        return [error(where, _("The document names no recipients."))]
    archive = re.compile(
        (template.checks or {}).get("archive_line") or r"^-?\s*Lưu\s*:\s*VT\b", re.IGNORECASE
    )
    problems = []
    if not archive.search(lines[-1]):
        if any(archive.search(line) for line in lines):
            problems.append(error(where, _("The line “- Lưu: VT, …” must be the last one.")))
        else:
            problems.append(
                error(
                    where,
                    _(
                        "The recipients must end with the archive line “- Lưu: VT, …” (the"
                        " clerical office and the drafting unit)."
                    ),
                )
            )
    for number, line in enumerate(lines, start=1):
        line_where = _("%(section)s, line %(line)s") % {"section": where, "line": number}
        if not line.startswith("-"):
            problems.append(warning(line_where, _("A recipient line begins with “-”.")))
        last = number == len(lines)
        if last and not line.endswith("."):
            problems.append(warning(line_where, _("The last line ends with a full stop.")))
        elif not last and not line.endswith(";"):
            problems.append(warning(line_where, _("A recipient line ends with “;”.")))
    return problems


# -- everything -------------------------------------------------------------------------------


def plan_check(plan: Plan, *, text: PlanText | None = None) -> list[Problem]:
    """Every problem of the plan's document, in the order a reader meets them."""
    template = document_template_get(key=TEMPLATE_KEY)
    text = text or plan_text(plan, template=template)
    settings = template.checks or {}
    paragraphs = text.paragraphs()
    units = [*org_unit_ancestors(plan.issuing_unit), plan.issuing_unit]
    units += list(OrgUnit.objects.filter(parent=plan.issuing_unit))
    problems = check_number_and_date(text, template, plan.year)
    problems += check_legal_bases(plan)
    problems += check_citations(paragraphs)
    problems += check_canonical_names(paragraphs, settings.get("canonical_names", []))
    problems += check_unit_names(paragraphs, units)
    problems += check_wrong_level(
        paragraphs, settings.get("wrong_level_phrases", []), plan.issuing_unit
    )
    problems += check_recipients(text, template)
    problems += check_signature(text, template)
    label = (template.texts or {}).get("appendix_2_label") or _("Allocation table")
    for problem in allocation_table(plan=plan).problems:
        problems.append(error(label, problem.message))
    return problems


def plan_check_errors(plan: Plan) -> list[Problem]:
    return [problem for problem in plan_check(plan) if problem.is_error]
