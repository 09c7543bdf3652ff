"""Tolerant comparison of Vietnamese wording: the same words typed differently are the same.

Plans are copied from template to template and retyped: quotes change, spaces double, case and
punctuation vary, text arrives decomposed (NFD) from Word or Excel, and abbreviations replace
the official words (CLB, LGG, GS&ĐG). ``key`` makes such variants equal; ``similarity`` scores
wording that differs more (an allocation column heading against an indicator's title).
"""

import math
import re
import unicodedata
from collections import Counter

_QUOTES = str.maketrans(dict.fromkeys("“”„‟\"'‘’‚‛«»", " "))
_NOT_WORD = re.compile(r"[^\w]+")
_SPACE = re.compile(r"\s+")

# Abbreviations used in plan tables → the official words (casefolded).
ABBREVIATIONS = [
    (r"gs\s*&\s*đg", "giám sát và đánh giá"),
    (r"lgg", "lồng ghép giới"),
    (r"clb", "câu lạc bộ"),
    (r"cb", "cán bộ"),
    (r"pn", "phụ nữ"),
    (r"ttcđ", "truyền thông cộng đồng"),
    (r"dtts", "dân tộc thiểu số"),
    (r"bđg", "bình đẳng giới"),
    (r"đbkk", "đặc biệt khó khăn"),
    (r"htx", "hợp tác xã"),
    (r"ubnd", "ủy ban nhân dân"),
    (r"hlhpn", "hội liên hiệp phụ nữ"),
    (r"lhpn", "liên hiệp phụ nữ"),
    (r"mtqg", "mục tiêu quốc gia"),
]
_ABBREVIATIONS = [
    (re.compile(rf"(?<!\w){pattern}(?!\w)"), words) for pattern, words in ABBREVIATIONS
]

# Words too common in plan wording to tell two rows apart (compared without diacritics).
STOP_WORDS = {
    "va",
    "cac",
    "cua",
    "cho",
    "trong",
    "ve",
    "tai",
    "co",
    "duoc",
    "nhung",
    "voi",
    "theo",
    "o",
    "de",
    "la",
    "mot",
    "da",
    "x",
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace("\xa0", " ").strip()


def spaces(text: str) -> str:
    """NFC, every run of white space one space."""
    return _SPACE.sub(" ", nfc(text)).strip()


def key(text: str) -> str:
    """Case, quotes, punctuation and spacing removed: two printings of one wording are equal."""
    folded = nfc(text).casefold().translate(_QUOTES)
    return _SPACE.sub(" ", _NOT_WORD.sub(" ", folded)).strip()


def plain(text: str) -> str:
    """``key`` without diacritics (đ → d): for names typed without their tone marks."""
    decomposed = unicodedata.normalize("NFD", key(text).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def expand(text: str) -> str:
    folded = nfc(text).casefold()
    for pattern, words in _ABBREVIATIONS:
        folded = pattern.sub(words, folded)
    return folded


def tokens(text: str) -> Counter[str]:
    """Content words without diacritics, abbreviations expanded; numbers weigh double."""
    words = [w for w in plain(expand(text)).split() if w not in STOP_WORDS]
    return Counter({w: (2 if w.isdigit() else 1) for w in words})


def similarity(a: str, b: str) -> float:
    """Cosine of the two wordings' content words, 0 (nothing shared) to 1 (the same words)."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    shared = sum(ta[w] for w in ta.keys() & tb.keys())
    return shared / math.sqrt(sum(ta.values()) * sum(tb.values()))
