"""Names of bodies as plans write them: the People's Committee of a unit, an agency printed in
capitals written as the plan's sentences name it, the issuer of a document known by its symbol."""

from duan8.documents.importing.wording import plain, spaces
from duan8.orgunits.models import OrgUnit

UNIT_KIND_WORDS = ("thị trấn", "thị xã", "thành phố", "xã", "phường", "huyện", "quận", "tỉnh")
ISSUERS_BY_SYMBOL = {
    "CP": "Chính phủ",
    "TTg": "Thủ tướng Chính phủ",
    "BTC": "Bộ Tài chính",
    "UBDT": "Ủy ban Dân tộc",
    "QH": "Quốc hội",
}


def unit_body_name(unit: OrgUnit) -> str:
    """ "Ủy ban nhân dân xã Ba Trang": the People's Committee of a unit, as plans name it."""
    return f"Ủy ban nhân dân {unit.kind.lower()} {unit.name}".replace("  ", " ")


def agency_name(printed: str) -> str:
    """An agency as printed in capitals ("ỦY BAN NHÂN DÂN XÃ BA TRANG", "UBND xã Ba Trang"),
    written as a plan's sentences name it ("Ủy ban nhân dân xã Ba Trang")."""
    text = spaces(printed)
    folded = plain(text)
    for abbreviation, words in (("ubnd", 1), ("uy ban nhan dan", 4)):
        if folded == abbreviation or folded.startswith(abbreviation + " "):
            rest = " ".join(text.split()[words:])
            return f"Ủy ban nhân dân {_place_name(rest)}".strip()
    return text if text != text.upper() else text.capitalize()


def _place_name(text: str) -> str:
    """ "XÃ BA TRANG" → "xã Ba Trang"; text not in capitals is kept as it is."""
    lowered = text.lower()
    for word in UNIT_KIND_WORDS:
        if lowered.startswith(word + " "):
            name = text[len(word) + 1 :]
            if name == name.upper():
                name = " ".join(part[:1] + part[1:].lower() for part in name.split())
            return f"{word} {name}"
    return text
