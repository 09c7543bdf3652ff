"""Money as Vietnamese pages and documents write it (issue 14, point 7): whole đồng grouped by
dots, "1.200.000", and in words ("Số tiền bằng chữ") under a payment document's total:
2.200.000 → "Hai triệu hai trăm nghìn đồng". Every app formats money through here (finance
comes before mothers in the import order; the mothers' modules import from it).

The reading in words follows accounting practice: groups of three digits (nghìn, triệu, tỷ; above
a thousand billion the names repeat: "nghìn tỷ"); a group after the first is read in full
("một triệu không trăm linh năm nghìn"); an empty group is skipped; "linh" for a zero ten before
a unit, "mười" for ten, "mốt" for one after twenty and above, "lăm" for five after ten and above.
"""

from decimal import Decimal


def money(amount: Decimal | int) -> str:
    """ "2.200.000": an amount as Vietnamese documents write it (the grouping does not depend on
    the page's language, as the printed documents do not)."""
    return f"{int(amount):,}".replace(",", ".")


def vnd(amount: Decimal | int | None) -> str:
    """``money`` for templates: nothing for no amount."""
    return "" if amount is None else money(amount)


DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
GROUPS = ["", "nghìn", "triệu"]
BILLION = 1_000_000_000


def _tens_and_units(tens: int, units: int) -> list[str]:
    if tens == 0:
        return ["linh", DIGITS[units]] if units else []
    words = ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _three(number: int, *, full: bool) -> list[str]:
    """Words of 0–999; ``full`` reads the hundreds even when zero ("không trăm linh năm")."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if not words and tens == 0:  # a leading group below ten: "năm", not "linh năm"
        return [DIGITS[units]] if units else []
    return words + _tens_and_units(tens, units)


def _below_billion(number: int, *, full: bool) -> list[str]:
    """Words of 0–999,999,999; ``full`` when a higher group was read before it."""
    groups = [(number // 1_000_000) % 1000, (number // 1000) % 1000, number % 1000]
    words: list[str] = []
    for index, group in enumerate(groups):
        if group == 0:
            continue
        words += _three(group, full=full or bool(words))
        name = GROUPS[len(groups) - 1 - index]
        if name:
            words.append(name)
    return words


def _words(number: int, *, full: bool = False) -> list[str]:
    if number >= BILLION:
        high, low = divmod(number, BILLION)
        words = [*_words(high, full=full), "tỷ"]
        return words + _below_billion(low, full=True)
    return _below_billion(number, full=full)


def amount_in_words(amount: int | Decimal) -> str:
    """ "Hai triệu hai trăm nghìn đồng"; "Không đồng"; a negative amount starts with "Âm"."""
    number = int(amount)
    words = _words(abs(number)) or ["không"]
    if number < 0:
        words.insert(0, "âm")
    text = " ".join([*words, "đồng"])
    return text[:1].upper() + text[1:]
