"""Checks of names in the running text: the program's canonical names ("đồng bằng dân tộc thiểu
số" for "đồng bào"), truncated or misspelt names of the units around the issuer ("huyện Ba Tr"),
and phrases of another level copied from a template ("Ủy ban nhân dân các xã")."""

import difflib
import re

from django.utils.translation import gettext as _

from duan8.documents.checks.problem import DocumentProblem, at, warning
from duan8.documents.plan_document import Para
from duan8.orgunits.models import OrgUnit

_PUNCTUATION = "“”\"'‘’(),.;:!?"


def _words(text: str) -> list[str]:
    text = re.sub(r"\s*-\s*", " - ", text)
    return [w.strip(_PUNCTUATION) for w in text.split()]


def check_canonical_names(paragraphs: list[Para], names: list[str]) -> list[DocumentProblem]:
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
                        *at(para),
                        _(
                            "“%(found)s” should read “%(expected)s” (the official name is"
                            " “%(name)s”)."
                        )
                        % {
                            "found": " ".join(words[start + first : start + last]),
                            "expected": " ".join(canon[first:last]),
                            "name": name,
                        },
                        code="canonical_name",
                    )
                )
    return problems


def _written_name(words: list[str]) -> str:
    """The capitalised words of a name after its kind word, up to a punctuation mark."""
    found = []
    for following in words:
        clean = following.strip(_PUNCTUATION)
        if not clean or not clean[0].isupper():
            break
        found.append(clean)
        if clean != following:
            break
    return " ".join(found)


def check_unit_names(paragraphs: list[Para], units: list[OrgUnit]) -> list[DocumentProblem]:
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
            written = _written_name(words[index + 1 : index + 5])
            if not written or written in names or any(written.startswith(n) for n in names):
                continue
            best = max(names, key=lambda n: difflib.SequenceMatcher(None, written, n).ratio())
            if difflib.SequenceMatcher(None, written, best).ratio() >= 0.75:
                problems.append(
                    warning(
                        *at(para),
                        _("“%(found)s”: did you mean “%(expected)s”?")
                        % {"found": f"{word} {written}", "expected": f"{word} {best}"},
                        code="unit_name",
                    )
                )
    return problems


def check_wrong_level(
    paragraphs: list[Para], phrases: list[str], unit: OrgUnit
) -> list[DocumentProblem]:
    problems = []
    for para in paragraphs:
        low = para.text.casefold()
        for phrase in phrases:
            if phrase.casefold() in low:
                problems.append(
                    warning(
                        *at(para),
                        _(
                            "“%(phrase)s” speaks of another level (copied from a district"
                            " template?); this is a document of %(unit)s."
                        )
                        % {"phrase": phrase, "unit": unit.full_name},
                        code="wrong_level",
                    )
                )
    return problems
