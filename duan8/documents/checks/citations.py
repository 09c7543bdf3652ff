"""Checks of the documents the plan cites: well formed (type word and symbol agree, a real date,
the year in the number is the date's), found in the register of legal documents (a citation that
differs from a registered document only in its symbol or date is an error), short names that
match their number, and no legal basis dated after the plan."""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from duan8.documents.checks.problem import DocumentProblem, at, error, warning
from duan8.documents.plan_document import Para
from duan8.documents.vietnamese import date_numeric
from duan8.legal.models import LegalDocument
from duan8.programs.models import Plan

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


def citations(paragraphs: list[Para]) -> tuple[list[Citation], list[DocumentProblem]]:
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
                            *at(para),
                            _("“%(citation)s”: %(date)s is not a real date.")
                            % {"citation": match.group(0), "date": date_text},
                            code="citation_date",
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


def check_citations(paragraphs: list[Para]) -> list[DocumentProblem]:
    cited, problems = citations(paragraphs)
    variants = set().union(*(_number_variants(c.number) for c in cited)) if cited else set()
    register: dict[tuple[int, ...], list[LegalDocument]] = {}
    for document in LegalDocument.objects.filter(number__in=variants):
        register.setdefault(_number_key(document.number), []).append(document)
    for citation in cited:
        found = _check_form(citation) or _check_register(
            citation, register.get(_number_key(citation.number), [])
        )
        if found is not None:
            problems.append(found)
    return problems + _check_aliases(paragraphs, cited)


def _check_form(citation: Citation) -> DocumentProblem | None:
    """The type word agrees with the symbol; the year in the number is the date's."""
    prefix = KIND_PREFIX[citation.kind]
    symbol_type = citation.symbol.split("-")[0]
    if (
        prefix
        and "-" in citation.symbol
        and symbol_type.casefold() != prefix.casefold()
        and not symbol_type.upper().startswith("QH")
    ):
        return error(
            *at(citation.para),
            _("“%(citation)s”: a %(kind)s has the symbol %(prefix)s-…, not %(symbol)s.")
            % {
                "citation": citation.text,
                "kind": citation.kind,
                "prefix": prefix,
                "symbol": citation.symbol,
            },
            code="citation_symbol",
        )
    parts = citation.number.split("/")
    if citation.date and len(parts) == 2 and int(parts[1]) != citation.date.year:
        return error(
            *at(citation.para),
            _("“%(citation)s”: the year in the number (%(year)s) is not the year of its date.")
            % {"citation": citation.text, "year": parts[1]},
            code="citation_year",
        )
    return None


def _check_register(citation: Citation, same_number: list[LegalDocument]) -> DocumentProblem | None:
    """The register has the document, with this date; or one nearly like it (a typing error)."""
    exact = [d for d in same_number if d.symbol == citation.symbol]
    if exact:
        if citation.date and all(d.issued_on != citation.date for d in exact):
            return error(
                *at(citation.para),
                _("“%(citation)s”: the register dates %(reference)s %(date)s.")
                % {
                    "citation": citation.text,
                    "reference": exact[0].reference,
                    "date": date_numeric(exact[0].issued_on),
                },
                code="citation_register_date",
            )
        return None
    near = [d for d in same_number if citation.date is None or d.issued_on == citation.date]
    if near:
        return error(
            *at(citation.para),
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
            code="citation_typo",
        )
    return warning(
        *at(citation.para),
        _(
            "“%(citation)s” is not in the register of legal documents, so it cannot be"
            " checked. Add it to the register if it is right."
        )
        % {"citation": citation.text},
        code="citation_unregistered",
    )


def _check_aliases(paragraphs: list[Para], cited: list[Citation]) -> list[DocumentProblem]:
    """A short name "(viết tắt là Kế hoạch 82)" has the number of the document before it."""
    problems = []
    for para in paragraphs:
        for alias in ALIAS.finditer(para.text):
            before = [c for c in cited if c.para is para and para.text.find(c.text) < alias.start()]
            if before and _number_key(before[-1].number)[:1] != (int(alias["n"]),):
                problems.append(
                    warning(
                        *at(para),
                        _(
                            "The short name “%(alias)s” does not match the number of the document"
                            " it stands for (%(reference)s)."
                        )
                        % {
                            "alias": f"{alias['kind']} {alias['n']}",
                            "reference": f"{before[-1].number}/{before[-1].symbol}",
                        },
                        code="alias_number",
                    )
                )
    return problems


def check_legal_bases(plan: Plan) -> list[DocumentProblem]:
    if plan.issued_on is None:
        return []
    problems = []
    for index, basis in enumerate(plan.legal_bases.select_related("document"), start=1):
        document = basis.document
        if document.issued_on > plan.issued_on:
            problems.append(
                error(
                    f"legal_bases.{index}",
                    _("%(section)s, paragraph %(line)s")
                    % {"section": _("Legal bases"), "line": index},
                    _("%(reference)s is dated %(date)s, after the plan itself (%(plan_date)s).")
                    % {
                        "reference": document.reference,
                        "date": date_numeric(document.issued_on),
                        "plan_date": date_numeric(plan.issued_on),
                    },
                    code="after_plan",
                )
            )
    return problems
