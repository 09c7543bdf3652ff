"""Load the program structure (program → phase → project → content → activity → indicator).

The structure is data: one JSON file per program phase in ``duan8/programs/data/structure/``.
A later phase, or a new activity, is a new file or a new row, never new code::

    {
      "format": "duan8.program_structure/1",
      "source": "where the wording comes from",
      "notes": ["decisions a reader will question"],
      "elements": [
        {"code": "1719.GD1.DA8.ND1", "parent": "1719.GD1.DA8", "kind": "content",
         "number": "Nội dung 1", "title": "…", "unit": "", "order": 40,
         "start_year": 2021, "end_year": 2025, "legal_basis": "QĐ 1719/QĐ-TTg ngày 14/10/2021"}
      ]
    }

Codes are dotted paths: a child's code is its parent's code, a dot and a suffix, so the selectors
find a subtree with one prefix query. A row's parent is an earlier row of the file or an element
already loaded (a phase-II file can hang under the program loaded from the phase-I file).
The load is idempotent: rows are matched by code and only changed rows are written; nothing is
deleted.
"""

import json
import unicodedata
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duan8.programs.models import ProgramElement

STRUCTURE_DIR = Path(__file__).resolve().parent / "data" / "structure"

FORMAT = "duan8.program_structure/1"
FILE_KEYS = {"format", "source", "notes", "elements"}
ROW_KEYS = {
    "code",
    "parent",
    "kind",
    "number",
    "title",
    "unit",
    "order",
    "start_year",
    "end_year",
    "legal_basis",
}
TEXT_FIELDS = ("number", "unit", "legal_basis")

# A child sits lower than its parent; an indicator may sit under an activity or a content.
KIND_RANK = {kind: rank for rank, kind in enumerate(ProgramElement.Kind.values)}


def program_structure_files() -> list[Path]:
    """The structure files shipped with the code, in name order."""
    return sorted(STRUCTURE_DIR.glob("*.json"))


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else ""


def _row_label(index: int, row: Any) -> str:
    code = _text(row.get("code")) if isinstance(row, dict) else ""
    if code:
        return _("Row %(row)s (%(code)s)") % {"row": index, "code": code}
    return _("Row %(row)s") % {"row": index}


def _optional_int(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


def _rows_read(path: Path) -> list[dict[str, Any]]:
    """The file's element rows, validated; a ValidationError lists every bad row."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(
            _("%(file)s cannot be read: %(error)s") % {"file": path.name, "error": exc}
        ) from exc
    except json.JSONDecodeError as exc:
        raise ValidationError(
            _("%(file)s is not valid JSON (line %(line)s): %(error)s")
            % {"file": path.name, "line": exc.lineno, "error": exc.msg}
        ) from exc
    if isinstance(data, list):  # a bare list of rows is accepted too
        data = {"elements": data}
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        raise ValidationError(
            _("%(file)s: expected an object with a list of “elements”.") % {"file": path.name}
        )
    errors: list[str] = []
    unknown = set(data) - FILE_KEYS
    if unknown:
        errors.append(_("Unknown keys: %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    if data.get("format", FORMAT) != FORMAT:
        errors.append(
            _("Unknown format “%(format)s”; expected “%(expected)s”.")
            % {"format": data.get("format"), "expected": FORMAT}
        )

    rows: list[dict[str, Any]] = []
    seen: dict[str, str] = {}  # code → kind, rows of this file read so far
    parents_elsewhere: dict[str, list[tuple[str, str, str]]] = {}  # parent → (label, code, kind)
    for index, raw in enumerate(data["elements"], start=1):
        label = _row_label(index, raw)
        if not isinstance(raw, dict):
            errors.append(_("%(row)s: expected an object.") % {"row": label})
            continue
        row_errors: list[str] = []
        unknown = set(raw) - ROW_KEYS
        if unknown:
            row_errors.append(_("unknown keys %(keys)s") % {"keys": ", ".join(sorted(unknown))})
        code, kind, title = _text(raw.get("code")), _text(raw.get("kind")), _text(raw.get("title"))
        parent = _text(raw.get("parent")) or None
        if not code:
            row_errors.append(_("the code is missing"))
        elif code in seen:
            row_errors.append(_("the code %(code)s is used twice") % {"code": code})
        if kind not in KIND_RANK:
            row_errors.append(
                _("unknown kind “%(kind)s” (expected one of %(kinds)s)")
                % {"kind": raw.get("kind"), "kinds": ", ".join(ProgramElement.Kind.values)}
            )
        if not title:
            row_errors.append(_("the title is missing"))
        for name in TEXT_FIELDS:
            if raw.get(name) is not None and not isinstance(raw.get(name), str):
                row_errors.append(_("“%(field)s” must be text") % {"field": name})
        for name in ("order", "start_year", "end_year"):
            if not _optional_int(raw.get(name)):
                row_errors.append(_("“%(field)s” must be a whole number") % {"field": name})
        start, end = raw.get("start_year"), raw.get("end_year")
        if isinstance(start, int) and isinstance(end, int) and start > end:
            row_errors.append(_("the first year is after the last year"))
        if parent is None and kind and kind != ProgramElement.Kind.PROGRAM:
            row_errors.append(_("only a program has no parent"))
        if parent is not None and code and not code.startswith(f"{parent}."):
            row_errors.append(
                _("the code must start with its parent's code “%(parent)s.”") % {"parent": parent}
            )
        if parent is not None and parent in seen and kind in KIND_RANK:
            if KIND_RANK[seen[parent]] >= KIND_RANK[kind]:
                row_errors.append(
                    _("a %(kind)s cannot sit under a %(parent_kind)s")
                    % {"kind": kind, "parent_kind": seen[parent]}
                )
        elif parent is not None and parent not in seen:
            parents_elsewhere.setdefault(parent, []).append((label, code, kind))
        if row_errors:
            errors.append(
                _("%(row)s: %(problems)s.") % {"row": label, "problems": "; ".join(row_errors)}
            )
            continue
        seen[code] = kind
        rows.append(
            {
                "code": code,
                "parent": parent,
                "kind": kind,
                "title": title,
                "order": raw.get("order") or 0,
                "start_year": start,
                "end_year": end,
                **{name: _text(raw.get(name)) for name in TEXT_FIELDS},
            }
        )

    loaded = dict(
        ProgramElement.objects.filter(code__in=parents_elsewhere).values_list("code", "kind")
    )
    for parent, children in parents_elsewhere.items():
        for label, code, kind in children:
            if parent in seen and code:
                errors.append(
                    _("%(row)s: its parent “%(parent)s” must come before it in the file.")
                    % {"row": label, "parent": parent}
                )
            elif parent not in loaded:
                errors.append(
                    _("%(row)s: unknown parent “%(parent)s” (not an earlier row, not loaded).")
                    % {"row": label, "parent": parent}
                )
            elif kind in KIND_RANK and KIND_RANK[loaded[parent]] >= KIND_RANK[kind]:
                errors.append(
                    _("%(row)s: a %(kind)s cannot sit under a %(parent_kind)s.")
                    % {"row": label, "kind": kind, "parent_kind": loaded[parent]}
                )
    if errors:
        raise ValidationError([f"{path.name}: {message}" for message in errors])
    return rows


@transaction.atomic
def program_structure_load(*, path: Path | str) -> int:
    """Create or update the elements of one structure file; returns how many rows it has."""
    rows = _rows_read(Path(path))
    existing = {
        element.code: element
        for element in ProgramElement.objects.filter(code__in=[row["code"] for row in rows])
    }
    saved: dict[str, ProgramElement] = {}
    for row in rows:
        parent_code = row.pop("parent")
        parent = None
        if parent_code is not None:
            parent = saved.get(parent_code) or ProgramElement.objects.get(code=parent_code)
        element = existing.get(row["code"]) or ProgramElement(code=row["code"])
        changed = element.pk is None or element.parent_id != (parent.pk if parent else None)
        element.parent = parent
        for name, value in row.items():
            if getattr(element, name) != value:
                setattr(element, name, value)
                changed = True
        if changed:
            element.full_clean()
            element.save()
        saved[element.code] = element
    return len(rows)
