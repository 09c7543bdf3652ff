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
deleted. A row may say ``"verified": false``: its code, number or wording is provisional (the
2026–2030 gender component, whose structure no source at hand confirms); pages mark it.

A crosswalk file (``data/crosswalk/``, format ``duan8.element_crosswalk/1``) says which element
of the next phase continues an element of the previous one; ``program_structure_files`` lists
it after the structure files and ``program_structure_load`` loads either kind.
``element_in_force(element, year)`` follows it.
"""

from pathlib import Path
from typing import Annotated, Any, Literal

from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import Field, ValidationInfo, field_validator

from duan8.core.problems import Problem
from duan8.core.schemas import Count, FileSchema, Name, NullText, Text, fail, load, read_json
from duan8.programs.models import ElementCrosswalk, ProgramElement

STRUCTURE_DIR = Path(__file__).resolve().parent / "data" / "structure"
CROSSWALK_DIR = Path(__file__).resolve().parent / "data" / "crosswalk"
CROSSWALK_FORMAT: Literal["duan8.element_crosswalk/1"] = "duan8.element_crosswalk/1"

FORMAT: Literal["duan8.program_structure/1"] = "duan8.program_structure/1"

# A child sits lower than its parent; an indicator may sit under an activity or a content.
KIND_RANK = {kind: rank for rank, kind in enumerate(ProgramElement.Kind.values)}


def load_message(path: Path, count: int) -> str:
    """What a command prints after loading ``path``: elements, or links of a crosswalk."""
    message = (
        _("%(file)s: %(count)s links between phases loaded.")
        if path.resolve().parent == CROSSWALK_DIR
        else _("%(file)s: %(count)s program elements loaded.")
    )
    return message % {"file": path.name, "count": count}


def program_structure_files() -> list[Path]:
    """The structure files shipped with the code, in name order, then the crosswalks (which
    name elements of the structure files)."""
    return sorted(STRUCTURE_DIR.glob("*.json")) + sorted(CROSSWALK_DIR.glob("*.json"))


class ElementRow(FileSchema):
    """One element of the structure, as the file writes it."""

    code: Name
    kind: Annotated[ProgramElement.Kind, Field(strict=False)]
    parent: Annotated[Text | None, Field(default=None)]
    number: NullText = ""
    title: Name
    unit: NullText = ""
    order: Count | None = None
    start_year: Count | None = None
    end_year: Count | None = None
    legal_basis: NullText = ""
    verified: bool = True

    @field_validator("parent")
    @classmethod
    def _parent_fits_the_code(cls, parent: str | None, info: ValidationInfo) -> str | None:
        parent = parent or None
        kind, code = info.data.get("kind"), info.data.get("code")
        if parent is None and kind is not None and kind != ProgramElement.Kind.PROGRAM:
            raise ValueError(_("only a program has no parent"))
        if parent is not None and code and not code.startswith(f"{parent}."):
            raise ValueError(
                _("the code must start with its parent's code “%(parent)s.”") % {"parent": parent}
            )
        return parent

    @field_validator("end_year")
    @classmethod
    def _end_after_start(cls, end: int | None, info: ValidationInfo) -> int | None:
        start = info.data.get("start_year")
        if start is not None and end is not None and start > end:
            raise ValueError(_("the first year is after the last year"))
        return end

    def values(self) -> dict[str, Any]:
        """The element's fields as stored (the parent by code)."""
        return {
            **self.model_dump(exclude={"kind", "order"}),
            "kind": self.kind.value,
            "order": self.order or 0,
        }


class StructureFile(FileSchema):
    """A structure file: its format, where the wording comes from, and the elements in order."""

    format: Literal["duan8.program_structure/1"] = FORMAT
    source: Text = ""
    notes: list[Text] = []
    elements: list[ElementRow]


def _parent_problem(
    place: str, row: ElementRow, parent_kind: str | None, seen_later: bool
) -> Problem | None:
    """What is wrong with a row's parent: ``parent_kind`` is the kind of the earlier row or
    loaded element it names (None: neither); ``seen_later``: a later row of the file has it."""
    if parent_kind is None:
        message = (
            _("its parent “%(parent)s” must come before it in the file.")
            if seen_later
            else _("unknown parent “%(parent)s” (not an earlier row, not loaded).")
        ) % {"parent": row.parent}
        return Problem(field=f"{place}.parent", message=message, code="parent")
    if KIND_RANK[parent_kind] >= KIND_RANK[row.kind]:
        message = _("a %(kind)s cannot sit under a %(parent_kind)s") % {
            "kind": row.kind.value,
            "parent_kind": parent_kind,
        }
        return Problem(field=f"{place}.kind", message=message, code="kind")
    return None


def _tree_problems(rows: list[ElementRow]) -> list[Problem]:
    """Codes used twice, and parents that are neither an earlier row nor a loaded element."""
    codes = {row.code for row in rows}
    wanted = {row.parent for row in rows if row.parent is not None}
    loaded = dict(ProgramElement.objects.filter(code__in=wanted).values_list("code", "kind"))
    problems: list[Problem] = []
    seen: dict[str, str] = {}  # code → kind, rows read so far
    for index, row in enumerate(rows, start=1):
        place = f"elements.{index}"
        if row.code in seen:
            message = _("the code %(code)s is used twice") % {"code": row.code}
            problems.append(Problem(field=f"{place}.code", message=message, code="unique"))
            continue
        seen[row.code] = row.kind.value
        if row.parent is not None:
            parent_kind = seen.get(row.parent) or loaded.get(row.parent)
            problem = _parent_problem(place, row, parent_kind, row.parent in codes)
            problems += [problem] if problem else []
    return problems


def _rows_read(path: Path) -> list[dict[str, Any]]:
    """The file's element rows, validated; ``FileInvalid`` names every problem."""
    data = read_json(path)
    data = {"elements": data} if isinstance(data, list) else data  # a bare list of rows
    rows = load(StructureFile, data, source=path.name).elements
    problems = _tree_problems(rows)
    if problems:
        raise fail(problems, source=path.name, data=data)
    return [row.values() for row in rows]


class CrosswalkRow(FileSchema):
    """One link: the earlier phase's element, the later phase's element that continues it."""

    from_element: Name
    to_element: Name
    note: Text = ""
    verified: bool = False


class CrosswalkFile(FileSchema):
    format: Literal["duan8.element_crosswalk/1"]
    source: Text = ""
    notes: list[Text] = []
    links: list[CrosswalkRow]


def _crosswalk_problems(links: list[CrosswalkRow], known: dict[str, str]) -> list[Problem]:
    """Unknown codes, links between elements of different kinds, a code linked twice."""
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for index, link in enumerate(links, start=1):
        place = f"links.{index}"
        for name in ("from_element", "to_element"):
            code = getattr(link, name)
            if code not in known:
                message = _("no program element has code %(code)s.") % {"code": code}
                problems.append(Problem(field=f"{place}.{name}", message=message, code="unknown"))
            elif (name, code) in seen:
                message = _("the code %(code)s is used twice") % {"code": code}
                problems.append(Problem(field=f"{place}.{name}", message=message, code="unique"))
            seen.add((name, code))
        kinds = {known.get(link.from_element), known.get(link.to_element)}
        if None not in kinds and len(kinds) > 1:
            message = _("an element continues only an element of the same kind")
            problems.append(Problem(field=f"{place}.to_element", message=message, code="kind"))
    return problems


@transaction.atomic
def crosswalk_load(*, path: Path | str, data: Any = None) -> int:
    """Create or update the links of one crosswalk file (matched by the earlier element);
    returns how many links it has. ``FileInvalid`` names every problem; nothing is saved."""
    path = Path(path)
    links = load(CrosswalkFile, read_json(path) if data is None else data, source=path.name).links
    codes = {code for link in links for code in (link.from_element, link.to_element)}
    elements = ProgramElement.objects.in_bulk(list(codes), field_name="code")
    problems = _crosswalk_problems(links, {code: e.kind for code, e in elements.items()})
    if problems:
        raise fail(problems, source=path.name, data=data)
    for link in links:
        ElementCrosswalk.objects.update_or_create(
            from_element=elements[link.from_element],
            defaults={
                "to_element": elements[link.to_element],
                "note": link.note,
                "verified": link.verified,
            },
        )
    return len(links)


@transaction.atomic
def program_structure_load(*, path: Path | str) -> int:
    """Create or update the elements of one structure file, or the links of one crosswalk
    file (told apart by their format); returns how many rows it has."""
    data = read_json(Path(path))
    if isinstance(data, dict) and data.get("format") == CROSSWALK_FORMAT:
        return crosswalk_load(path=path, data=data)
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


def _covers(element: ProgramElement, year: int) -> bool:
    return (element.start_year is None or element.start_year <= year) and (
        element.end_year is None or element.end_year >= year
    )


def element_in_force(element: ProgramElement, year: int) -> ProgramElement | None:
    """The element that stands for ``element`` in ``year``: itself in its years, else the one
    the crosswalk links it to, forwards (2021–2025 → 2026–2030) or backwards; None when no
    element of the chain covers the year. One query per link followed."""
    if _covers(element, year):
        return element
    forwards = element.end_year is not None and year > element.end_year
    seen = {element.pk}
    current: ProgramElement | None = element
    while current is not None and not _covers(current, year):
        link = (
            ElementCrosswalk.objects.select_related("to_element").filter(from_element=current)
            if forwards
            else ElementCrosswalk.objects.select_related("from_element").filter(to_element=current)
        ).first()
        if link is None:
            return None
        current = link.to_element if forwards else link.from_element
        if current.pk in seen:
            return None
        seen.add(current.pk)
    return current
