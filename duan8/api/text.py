"""Documentation text of the API: Vietnamese first, with the English beside it."""


def doc(vi: str, en: str) -> str:
    """A description in Vietnamese with the English beside it (in italics)."""
    return f"{vi}\n\n*{en}*"
