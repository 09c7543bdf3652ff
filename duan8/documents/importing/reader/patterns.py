"""The wording of a plan, as patterns: document kinds and citations, header lines, section
headings, rows of the appendices; and the small readers of a date and of an upper-case line."""

import datetime
import re

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
KIND_WORDS = "|".join(sorted(DOCUMENT_KINDS, key=len, reverse=True))
_DATE = r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
CITATION = re.compile(
    rf"^(?P<lead>căn cứ|thực hiện)\s+(?P<kind>{KIND_WORDS})\s+"
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


def parse_date(text: str) -> datetime.date | None:
    """ "25/9/2023" or "25 tháng 9 năm 2023"; None if it is not a real date."""
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if len(numbers) != 3:
        return None
    try:
        return datetime.date(numbers[2], numbers[1], numbers[0])
    except ValueError:
        return None


def is_upper(text: str) -> bool:
    return any(c.isalpha() for c in text) and text == text.upper()
