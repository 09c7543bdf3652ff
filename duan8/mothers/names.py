"""Keys for finding the same woman twice: her name without diacritics, her ID number's digits.

``name_key`` is the duplicates' blocking key (``Mother.name_key``): "Hồ Thị Đào" and "ho thi  dao"
give the same key. ``normalise_id`` keeps the digits of an ID number as typed on a phone or in a
spreadsheet ("0510 9400 1234", "051-094-001-234"); ``id_form_ok`` says whether they are one of
the two forms in use: the 12-digit personal ID (CCCD / số định danh cá nhân) or the 9-digit old
identity card (CMND). The service refuses any other form, naming the field.
"""

import re
import unicodedata

CCCD_DIGITS = 12
CMND_DIGITS = 9
_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """The name without diacritics (đ → d), in lower case, with single spaces."""
    text = unicodedata.normalize("NFD", name or "")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D").lower()
    return _SPACES.sub(" ", text).strip()


def normalise_id(raw: str) -> str:
    """The digits of an ID number, nothing else ("" when none was given)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", raw or "") if ch.isdigit())


def id_form_ok(normalised: str) -> bool:
    """True for a 12-digit personal ID or a 9-digit old identity card number."""
    return normalised.isascii() and len(normalised) in (CCCD_DIGITS, CMND_DIGITS)
