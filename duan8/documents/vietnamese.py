"""How administrative documents write dates, numbers and names (NĐ 30/2020/NĐ-CP, Phụ lục I).

The leading-zero rule for dates is verified (domain.md §7.2): days below 10 and the months January
and February take a leading zero, "ngày 05 tháng 01 năm 2024", "ngày 25 tháng 9 năm 2023". The
leading zero of the document number is not verified; it comes from the template (``number_pad``).
"""

import datetime
import re
import unicodedata

BLANK = "\u00a0" * 6  # a gap to be filled in by hand, as on a draft before numbering

CITED_KINDS = {
    "luat": "Luật",
    "nghi_quyet": "Nghị quyết",
    "nghi_dinh": "Nghị định",
    "quyet_dinh": "Quyết định",
    "thong_tu": "Thông tư",
    "ke_hoach": "Kế hoạch",
    "huong_dan": "Hướng dẫn",
    "cong_van": "Công văn",
    "bao_cao": "Báo cáo",
    "thong_bao": "Thông báo",
    "khac": "Văn bản",
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def day_text(day: int) -> str:
    return f"{day:02d}"


def month_text(month: int) -> str:
    return f"{month:02d}" if month < 3 else str(month)


def date_long(date: datetime.date | None, *, year: int | None = None) -> str:
    """ "ngày 05 tháng 3 năm 2023"; without a date, blanks to fill in and the year if known."""
    if date is None:
        return f"ngày{BLANK}tháng{BLANK}năm {year if year else BLANK}"
    return f"ngày {day_text(date.day)} tháng {month_text(date.month)} năm {date.year}"


def date_numeric(date: datetime.date | None) -> str:
    """ "25/9/2023", "05/01/2024": the short form used inside citations."""
    if date is None:
        return f"{BLANK}/{BLANK}/{BLANK}"
    return f"{day_text(date.day)}/{month_text(date.month)}/{date.year}"


def place_date_line(place: str, date: datetime.date | None, *, year: int | None = None) -> str:
    """ "Ba Trang, ngày 25 tháng 9 năm 2023" (ô 4 of the header)."""
    when = date_long(date, year=year)
    return f"{place}, {when}" if place else when


def document_number(number: int | None, *, pad_below: int) -> str:
    """The number before the slash: "87", "05" (when ``pad_below`` is 10), blank when not given."""
    if number is None:
        return BLANK
    return f"{number:02d}" if number < pad_below and number < 10 else str(number)


def reference(number: int | None, symbol: str, *, pad_below: int) -> str:
    """ "87/KH-UBND"."""
    return f"{document_number(number, pad_below=pad_below)}/{symbol}"


def upper(text: str) -> str:
    return nfc(text).upper()


def strip_end(text: str) -> str:
    """A title without its final full stop or semicolon, to be used inside a sentence."""
    return re.sub(r"[\s.;:]+$", "", text)


def ascii_slug(text: str) -> str:
    """ "Ba Trang" → "ba-trang"; đ becomes d (it has no decomposition)."""
    text = nfc(text).replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
