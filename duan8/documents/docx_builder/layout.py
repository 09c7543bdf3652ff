"""The measures of an administrative document as data (``Layout``), read from the template.

Every size and margin of the page and of its elements comes from here, so an unverified measure is
corrected in the template's JSON (data an administrator can change) without touching code. A wrong
key or value is refused with the setting's name.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SIZE_KEYS = (
    "parent_agency",
    "agency",
    "number",
    "national_name",
    "motto",
    "place_date",
    "document_type",
    "summary",
    "body",
    "recipients_heading",
    "recipients",
    "signature",
    "signer_name",
    "page_number",
    "appendix_label",
    "appendix_title",
    "appendix_attached",
    "table",
)
MARGIN_KEYS = ("top", "bottom", "left", "right")


@dataclass(frozen=True)
class Layout:
    """Measures of the page and of every element; sizes in points, lengths in millimetres."""

    font: str = "Times New Roman"
    language: str = "vi-VN"
    margins_mm: dict[str, float] = field(
        default_factory=lambda: {"top": 20, "bottom": 20, "left": 30, "right": 15}
    )
    landscape_margins_mm: dict[str, float] = field(
        default_factory=lambda: {"top": 30, "bottom": 15, "left": 20, "right": 20}
    )
    header_distance_mm: float = 10
    sizes: dict[str, float] = field(
        default_factory=lambda: {
            "parent_agency": 13,
            "agency": 13,
            "number": 13,
            "national_name": 13,
            "motto": 14,
            "place_date": 14,
            "document_type": 14,
            "summary": 14,
            "body": 14,
            "recipients_heading": 12,
            "recipients": 11,
            "signature": 14,
            "signer_name": 14,
            "page_number": 14,
            "appendix_label": 14,
            "appendix_title": 14,
            "appendix_attached": 14,
            "table": 12,
        }
    )
    line_spacing: float = 1.15
    paragraph_space_after_pt: float = 6
    first_line_indent_cm: float = 1.27
    header_columns_mm: tuple[float, float] = (58, 107)
    closing_columns_mm: tuple[float, float] = (80, 85)
    agency_rule_ratio: float = 0.4
    summary_rule_ratio: float = 0.4
    motto_rule_ratio: float = 1.0
    rule_weight_pt: float = 0.5
    signature_space_pt: float = 70
    number_pad_below: int = 10
    appendix_page_numbers: str = "continue"  # or "restart": each appendix counts from 1
    tables: dict[str, tuple[float, ...]] = field(default_factory=dict)  # column widths, by table
    legal_basis_italic: bool = True

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> "Layout":
        """A layout from the template's JSON; missing keys keep their default, wrong ones raise."""
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        errors = [
            _("Unknown layout setting “%(key)s”.") % {"key": key}
            for key in data
            if key not in known
        ]
        default = cls()
        values: dict[str, Any] = {}
        for name in known & set(data):
            raw = data[name]
            current = getattr(default, name)
            try:
                values[name] = _layout_value(name, raw, current)
            except (TypeError, ValueError):
                errors.append(
                    _("Layout setting “%(key)s” has a wrong value: %(value)s.")
                    % {"key": name, "value": raw}
                )
        if errors:
            raise ValidationError(errors)
        return cls(**values)

    def size(self, key: str) -> float:
        return self.sizes[key]

    @property
    def text_width_mm(self) -> float:
        return 210 - self.margins_mm["left"] - self.margins_mm["right"]


def _layout_value(name: str, raw: Any, current: Any) -> Any:
    """The setting's value read from ``raw``, of the type of its default ``current``; a wrong one
    raises ``ValueError``."""
    if name == "tables":
        return _tables_value(raw)
    for kind, read in _READERS:
        if isinstance(current, kind):
            return read(name, raw, current)
    return _measure_value(name, raw, current)


def _tables_value(raw: Any) -> dict[str, tuple[float, ...]]:
    if not isinstance(raw, dict):
        raise ValueError("tables")
    widths = {str(k): tuple(float(w) for w in v) for k, v in raw.items()}
    if any(not v or min(v) <= 0 for v in widths.values()):
        raise ValueError("tables")
    return widths


def _bool_value(name: str, raw: Any, current: bool) -> bool:
    if not isinstance(raw, bool):
        raise ValueError(name)
    return raw


def _dict_value(name: str, raw: Any, current: dict[str, float]) -> dict[str, float]:
    keys = SIZE_KEYS if name == "sizes" else MARGIN_KEYS
    if not isinstance(raw, dict) or set(raw) - set(keys):
        raise ValueError(name)
    merged = {**current, **{k: float(v) for k, v in raw.items()}}
    if any(not 0 < v < 100 for v in merged.values()):
        raise ValueError(name)
    return merged


def _tuple_value(name: str, raw: Any, current: tuple[float, ...]) -> tuple[float, ...]:
    if not isinstance(raw, list | tuple) or len(raw) != len(current):
        raise ValueError(name)
    return tuple(float(v) for v in raw)


def _str_value(name: str, raw: Any, current: str) -> str:
    if not isinstance(raw, str) or (
        name == "appendix_page_numbers" and raw not in ("continue", "restart")
    ):
        raise ValueError(name)
    return raw


def _int_value(name: str, raw: Any, current: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise ValueError(name)
    return raw


def _measure_value(name: str, raw: Any, current: float) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0:
        raise ValueError(name)
    return float(raw)


# By the type of the default, bool before int (a bool is an int).
_READERS: tuple[tuple[type, Callable[[str, Any, Any], Any]], ...] = (
    (bool, _bool_value),
    (dict, _dict_value),
    (tuple, _tuple_value),
    (str, _str_value),
    (int, _int_value),
)
