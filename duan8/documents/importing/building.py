"""Turn a parsed plan into a "duan8.plan/1" dict: tie rows to the program and to the villages.

- First appendix: each row is matched to a content, activity or indicator of the project, first by
  its wording (case, quotes, punctuation and spacing ignored), then by its number under the row
  above it when the wording is close enough.
- Allocation table: each column to an indicator, by a heading seen in an earlier plan or by the
  words it shares with the indicators of its "Nội dung"; each village row to a village of the
  commune valid on the plan's date, by name. Every row with rows under it must be their sum.

Nothing here writes: the dict is checked by the plan loader's own reader, and ``services``
saves it when the user confirms.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from duan8.documents.importing.problems import Problem, Problems, Where
from duan8.documents.importing.reader import (
    COUNT,
    DASHES,
    ROMAN_NUMBER,
    AllocationLine,
    AllocationSheet,
    Citation,
    ParsedPlan,
    TargetRow,
)
from duan8.documents.importing.wording import key, plain, similarity, spaces
from duan8.orgunits.models import OrgUnit
from duan8.programs import plan_data
from duan8.programs.models import AllocationColumn, ProgramElement, format_count

DEFAULT_PROJECT = "1719.GD1.DA8"
# Units that issue plans: communes, and provinces and districts (their plans have no allocation
# to villages of their own, and usually no appendix of targets).
PLAN_LEVELS = (OrgUnit.Level.PROVINCE, OrgUnit.Level.DISTRICT, OrgUnit.Level.COMMUNE)
MAX_LISTED = 300  # problems listed; a file with more has its first ones to correct
MAX_LEGAL_BASES = 100  # documents cited (a plan cites a handful; the check of more is slow)
GOOD_MATCH = 0.5  # wording this close to the program's is taken without a warning
LEAST_MATCH = 0.3  # below this, a column heading matches no indicator
VILLAGE_WORDS = (
    "tổ dân phố",
    "khu phố",
    "thôn",
    "làng",
    "bản",
    "buôn",
    "plei",
    "ấp",
    "xóm",
    "khối",
    "sóc",
    "phum",
    "khu",
    "tổ",
    "nóc",
    "bon",
)
UNIT_KIND_WORDS = ("thị trấn", "thị xã", "thành phố", "xã", "phường", "huyện", "quận", "tỉnh")
ISSUERS_BY_SYMBOL = {
    "CP": "Chính phủ",
    "TTg": "Thủ tướng Chính phủ",
    "BTC": "Bộ Tài chính",
    "UBDT": "Ủy ban Dân tộc",
    "QH": "Quốc hội",
}


@dataclass
class PlanImport:
    """What a file gives: the plan as "duan8.plan/1" data (None if unreadable) and its problems."""

    filename: str
    kind: str
    unit_id: int
    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.is_error]

    @property
    def counts(self) -> dict[str, int]:
        allocation = self.data.get("allocation") or {}
        rows = _rows_flat(allocation.get("rows") or [])
        columns = len(allocation.get("columns") or [])
        return {
            "legal_bases": len(self.data.get("legal_bases") or []),
            "targets": sum(
                1
                for item in self.data.get("targets") or []
                for s in ("commune", "village")
                if s in item
            ),
            "columns": columns,
            "rows": len(rows),
            "cells": len(rows) * columns,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "kind": self.kind,
            "unit_id": self.unit_id,
            "data": self.data,
            "problems": [problem.as_dict() for problem in self.problems],
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> "PlanImport":
        return cls(
            filename=raw["filename"],
            kind=raw["kind"],
            unit_id=raw["unit_id"],
            data=raw["data"],
            problems=[Problem(**problem) for problem in raw["problems"]],
        )


def _rows_flat(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    flat = []
    for row in rows:
        flat.append(row)
        flat.extend(_rows_flat(row.get("children") or []))
    return flat


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


def plan_import_build(
    *,
    parsed: ParsedPlan,
    issuing_unit: OrgUnit,
    filename: str,
    year: int | None = None,
    project_code: str = DEFAULT_PROJECT,
) -> PlanImport:
    builder = _Builder(parsed, issuing_unit, year, project_code)
    data = builder.build()
    return PlanImport(
        filename=filename,
        kind=parsed.kind,
        unit_id=issuing_unit.pk,
        data=data,
        problems=_listed(builder.problems),
    )


def _listed(problems: Problems) -> list[Problem]:
    """The problems, the first ``MAX_LISTED`` of them when there are more (they wait in the
    session and are shown in one table); a left-out error still keeps the plan from being made."""
    if len(problems) <= MAX_LISTED:
        return list(problems)
    kept, left = Problems(problems[:MAX_LISTED]), problems[MAX_LISTED:]
    errors = sum(problem.is_error for problem in left)
    message = _(
        "%(count)s more problems (%(errors)s of them errors) are not listed; correct those above"
        " and read the file again."
    ) % {"count": len(left), "errors": errors}
    (kept.error if errors else kept.warning)(Where(), message)
    return list(kept)


class _Builder:
    def __init__(
        self, parsed: ParsedPlan, unit: OrgUnit, year: int | None, project_code: str
    ) -> None:
        self.parsed = parsed
        self.unit = unit
        self.year = year
        self.problems = Problems(parsed.problems)
        self.project = ProgramElement.objects.filter(
            code=project_code, kind=ProgramElement.Kind.PROJECT
        ).first()
        self.elements: list[ProgramElement] = (
            list(ProgramElement.objects.filter(code__startswith=f"{project_code}."))
            if self.project
            else []
        )
        self.parent_body = ""
        self.column_kept: list[bool] = []

    def build(self) -> dict[str, Any]:
        parsed = self.parsed
        if self.unit.level not in PLAN_LEVELS:
            self.problems.error(
                Where(),
                _("Plans are imported for a province, a district or a commune; %(unit)s is not.")
                % {"unit": self.unit.full_name},
            )
        if self.project is None:
            self.problems.error(
                Where(),
                _("The program structure (%(code)s) is not loaded; run “load_program” first.")
                % {"code": DEFAULT_PROJECT},
            )
            return {}
        data: dict[str, Any] = {"format": plan_data.FORMAT, "project": self.project.code}
        data["source"] = _("Imported from %(kind)s") % {"kind": parsed.kind}
        self.header(data)
        data["legal_bases"] = self.legal_bases()
        data["budget_source"] = self.budget_source(data["legal_bases"])
        data["proposal"] = parsed.proposal
        data["purposes"] = parsed.purposes
        data["requirements"] = parsed.requirements
        data["specific_targets"] = parsed.specific_targets
        data["focuses"] = self.focuses()
        data["budget_text"] = "\n".join(parsed.budget_lines)
        data["responsibilities"] = [
            {"agency": agency, "body": body} for agency, body in parsed.responsibilities if body
        ]
        data["closing"] = parsed.closing
        data["recipients"] = parsed.recipients
        data["signer_authority"] = parsed.signer_authority
        data["signer_title"] = parsed.signer_title
        data["signer_name"] = parsed.signer_name
        if parsed.signer_title and not parsed.signer_authority:
            self.problems.warning(
                Where(),
                _(
                    "The signature has no authority line (“TM. ỦY BAN NHÂN DÂN”); add it to the"
                    " plan before issuing it."
                ),
                parsed.signer_title,
            )
        data["targets"] = self.targets()
        if parsed.allocation is not None:
            data["allocation"] = self.allocation(parsed.allocation, data.get("issued_on"))
        self.check(data)
        return data

    # -- header ----------------------------------------------------------------------------

    def header(self, data: dict[str, Any]) -> None:
        parsed = self.parsed
        number, symbol, issued_on = parsed.number, parsed.symbol, parsed.issued_on
        for reference in parsed.appendix_references:
            if number is None and reference.number is not None:
                number = reference.number
                self.problems.warning(
                    parsed.number_where or reference.where,
                    _(
                        "The number is left blank in the header; %(number)s is taken from the"
                        " appendix (“Kèm theo Kế hoạch số …”)."
                    )
                    % {"number": number},
                )
            elif reference.number is not None and reference.number != number:
                self.problems.warning(
                    reference.where,
                    _("The appendix gives the number %(other)s, the header %(number)s.")
                    % {"other": reference.number, "number": number},
                )
            if issued_on is None and reference.issued_on is not None:
                issued_on = reference.issued_on
                self.problems.warning(
                    parsed.date_where or reference.where,
                    _(
                        "The date is incomplete in the header; %(date)s is taken from the"
                        " appendix (“Kèm theo Kế hoạch số … ngày …”)."
                    )
                    % {"date": issued_on.strftime("%d/%m/%Y")},
                )
            elif reference.issued_on is not None and reference.issued_on != issued_on:
                self.problems.warning(
                    reference.where,
                    _("The appendix gives the date %(other)s, the header %(date)s.")
                    % {
                        "other": reference.issued_on.strftime("%d/%m/%Y"),
                        "date": issued_on.strftime("%d/%m/%Y") if issued_on else "—",
                    },
                )
            symbol = symbol or reference.symbol
        if not symbol:
            symbol = "KH-UBND"
            self.problems.warning(
                Where(), _("No “Số: …/KH-UBND” line was found; the symbol KH-UBND is used.")
            )
        if number is None:
            self.problems.warning(
                parsed.number_where or Where(),
                _("The plan has no number yet; give it one before issuing it."),
            )
        if issued_on is None:
            self.problems.warning(
                parsed.date_where or Where(),
                _("The plan has no complete date yet; give it one before issuing it."),
            )
        data.update(
            number=number,
            symbol=symbol,
            issued_on=issued_on.isoformat() if issued_on else None,
            year=self.plan_year(issued_on),
            place=parsed.place,
            title=parsed.title,
        )
        if not parsed.title:
            self.problems.error(
                Where(), _("The summary line (trích yếu) under “KẾ HOẠCH” was not found.")
            )
        self.bodies(data)

    def plan_year(self, issued_on: datetime.date | None) -> int | None:
        found: list[tuple[int, str]] = []
        title_years = re.findall(r"năm\s+(\d{4})\b", self.parsed.title, flags=re.IGNORECASE)
        if title_years:
            found.append((int(title_years[-1]), _("the summary line")))
        found.extend(self.parsed.years)
        if issued_on is not None:
            found.append((issued_on.year, _("the date")))
        if self.year is not None:
            if found and found[0][0] != self.year:
                self.problems.warning(
                    Where(),
                    _(
                        "The document says %(found)s (%(where)s); the year %(year)s is used as"
                        " asked."
                    )
                    % {"found": found[0][0], "where": found[0][1], "year": self.year},
                )
            return self.year
        if not found:
            self.problems.error(
                Where(), _("The year of the plan was not found in the file; give it.")
            )
            return None
        return found[0][0]

    def bodies(self, data: dict[str, Any]) -> None:
        """Issuing body and the body above it: from the agency block, else from the unit."""
        agencies = [(agency_name(text), where) for text, where in self.parsed.agencies]
        issuing = agencies[-1][0] if agencies else ""
        parent = agencies[-2][0] if len(agencies) > 1 else ""
        expected = unit_body_name(self.unit)
        if not issuing:
            signed = [
                agency_name(ref.issuer) for ref in self.parsed.appendix_references if ref.issuer
            ]
            issuing = signed[0] if signed else expected
            self.problems.warning(
                Where(),
                _("The agency name is missing above the number; “%(body)s” is used.")
                % {"body": issuing},
            )
        names = [(issuing, agencies[-1][1] if agencies else Where())]
        names += [
            (agency_name(ref.issuer), ref.where)
            for ref in self.parsed.appendix_references
            if ref.issuer
        ]
        for name, where in names:
            if plain(self.unit.name) not in plain(name):
                self.problems.error(
                    where,
                    _("The plan is issued by “%(body)s”, not by %(unit)s. Choose the right unit.")
                    % {"body": name, "unit": self.unit.full_name},
                )
        if plain(issuing) == plain(expected):
            issuing = expected
        parent_unit = self.unit.parent
        if not parent and parent_unit is not None and parent_unit.level < OrgUnit.Level.COMMUNE:
            parent = unit_body_name(parent_unit)
        self.parent_body = parent
        data["issuing_body"] = issuing
        data["parent_body"] = parent

    # -- legal bases -------------------------------------------------------------------------

    def issuer(self, citation: Citation) -> str:
        issuer = agency_name(citation.issuer) if citation.issuer else ""
        bodies = [self.parent_body, unit_body_name(self.unit)]
        if issuer:
            bare = plain(issuer).split()[-1] in ("huyen", "xa", "tinh", "quan", "phuong")
            for body in bodies:  # "Ủy ban nhân dân huyện" → "Ủy ban nhân dân huyện Ba Tơ"
                if bare and body and plain(body).startswith(plain(issuer) + " "):
                    return body
            return issuer
        suffix = re.sub(r"\d+$", "", citation.symbol.split("-")[-1])  # QH14 → QH
        return ISSUERS_BY_SYMBOL.get(suffix, "")

    def legal_bases(self) -> list[dict[str, Any]]:
        if len(self.parsed.legal_bases) > MAX_LEGAL_BASES:
            self.problems.error(
                Where(),
                _("The plan cites more than %(limit)s documents; a plan cites far fewer.")
                % {"limit": MAX_LEGAL_BASES},
            )
            return []
        found: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for citation in self.parsed.legal_bases:
            issuer = self.issuer(citation)
            if not issuer:
                self.problems.warning(
                    citation.where,
                    _("The issuer of this document is not written; it is not imported."),
                    citation.text,
                )
                continue
            document = {
                "kind": citation.kind,
                "number": citation.number,
                "symbol": citation.symbol,
                "issued_on": citation.issued_on.isoformat(),
                "issuer": issuer,
                "title": citation.title,
            }
            if (citation.number, citation.symbol) in seen:
                self.problems.warning(
                    citation.where, _("This document is cited twice; once is kept."), citation.text
                )
                continue
            seen.add((citation.number, citation.symbol))
            found.append(document)
        return found

    def budget_source(self, bases: list[dict[str, Any]]) -> dict[str, Any] | None:
        text = " ".join(self.parsed.budget_lines)
        for number, symbol in re.findall(r"(\d[\d/]*)\s*/\s*([A-ZĐ][\wĐđ]*-[\wĐđ-]+)", text):
            for document in bases:
                if (document["number"], document["symbol"]) == (number, symbol):
                    return {k: v for k, v in document.items() if k != "title"}
        return None

    def focuses(self) -> list[dict[str, Any]]:
        contents = {
            key(e.number): e for e in self.elements if e.kind == ProgramElement.Kind.CONTENT
        }
        found = []
        for number, heading, body, where in self.parsed.focuses:
            content = contents.get(key(f"Nội dung {number}"))
            if content is None or not body:
                self.problems.warning(
                    where,
                    _("This focus content is not imported: the program has no “Nội dung %(n)s”.")
                    % {"n": number}
                    if content is None
                    else _("This focus content has no text; it is not imported."),
                    heading,
                )
                continue
            found.append({"content": content.code, "heading": heading, "body": body})
        return found

    # -- first appendix ----------------------------------------------------------------------

    def targets(self) -> list[dict[str, Any]]:
        kinds = {
            "content": ProgramElement.Kind.CONTENT,
            "activity": ProgramElement.Kind.ACTIVITY,
            "indicator": ProgramElement.Kind.INDICATOR,
        }
        by_wording: dict[str, list[ProgramElement]] = defaultdict(list)
        children: dict[int | None, list[ProgramElement]] = defaultdict(list)
        for element in self.elements:
            by_wording[key(element.title)].append(element)
            children[element.parent_id].append(element)
        content: ProgramElement | None = None
        activity: ProgramElement | None = None
        used: dict[int, TargetRow] = {}
        found = []
        for row in self.parsed.targets:
            kind = kinds[row.level]
            parent = {
                "content": self.project,
                "activity": content,
                "indicator": activity or content,
            }[row.level]
            element = self.element(row, kind, parent, by_wording, children)
            if row.level == "content":
                content, activity = element, None
            elif row.level == "activity":
                activity = element
            if element is None:
                continue
            if element.pk in used:
                self.problems.error(
                    row.where,
                    _("This row matches the same line of the program as %(other)s.")
                    % {"other": used[element.pk].where},
                    row.title,
                )
                continue
            used[element.pk] = row
            if not row.cells:
                continue
            if kind == ProgramElement.Kind.CONTENT:
                self.problems.error(
                    row.where, _("A “Nội dung” row cannot carry targets."), row.title
                )
                continue
            item: dict[str, Any] = {"element": element.code}
            for scope, (text, _where) in row.cells.items():
                item[scope] = target_cell(text)
            found.append(item)
        return found

    def element(
        self,
        row: TargetRow,
        kind: str,
        parent: ProgramElement | None,
        by_wording: dict[str, list[ProgramElement]],
        children: dict[int | None, list[ProgramElement]],
    ) -> ProgramElement | None:
        worded = [e for e in by_wording.get(key(row.title), []) if e.kind == kind]
        if parent is not None:
            worded.sort(key=lambda e: e.parent_id != parent.pk)
        placed = None
        if parent is not None:
            placed = next(
                (
                    e
                    for e in children.get(parent.pk, [])
                    if e.kind == kind and key(e.number) == key(row.number)
                ),
                None,
            )
        if worded:
            return worded[0]
        if placed is not None and similarity(row.title, placed.title) >= GOOD_MATCH:
            self.problems.warning(
                row.where,
                _(
                    "The wording differs from the program's “%(title)s”; the row is taken as"
                    " %(number)s by its place."
                )
                % {"title": placed.title, "number": placed.number},
                row.title,
            )
            return placed
        message = _("No line of the program matches this row (%(number)s).") % {
            "number": row.number
        }
        if placed is not None:
            message += " " + _("At this place the program has “%(title)s”.") % {
                "title": placed.title
            }
        if row.cells:
            self.problems.error(
                row.where, message + " " + _("Its targets are not imported."), row.title
            )
        else:
            self.problems.warning(row.where, message, row.title)
        return None

    # -- second appendix ---------------------------------------------------------------------

    def allocation(self, sheet: AllocationSheet, issued_on: str | None) -> dict[str, Any]:
        columns = self.columns(sheet)
        rows = self.rows(sheet, issued_on)
        self.sums(rows, sheet)
        return {
            "difficult_villages_heading": sheet.difficult_heading,
            "columns": columns,
            "rows": rows,
        }

    def columns(self, sheet: AllocationSheet) -> list[dict[str, Any]]:
        targetable = [
            e
            for e in self.elements
            if e.kind in (ProgramElement.Kind.ACTIVITY, ProgramElement.Kind.INDICATOR)
        ]
        learned: dict[str, set[str]] = defaultdict(set)
        seen = AllocationColumn.objects.filter(
            element__code__startswith=f"{self.project.code}."
        ).values_list("heading", "element__code")
        for heading, code in seen:
            learned[key(heading)].add(code)
        by_code = {e.code: e for e in targetable}
        contents = {
            key(e.number): e for e in self.elements if e.kind == ProgramElement.Kind.CONTENT
        }
        chosen: dict[int, tuple[ProgramElement, float]] = {}
        pairs: list[tuple[float, int, ProgramElement]] = []
        for index, column in enumerate(sheet.columns):
            codes = learned.get(key(column.heading), set())
            if len(codes) == 1 and next(iter(codes)) in by_code:
                chosen[index] = (by_code[next(iter(codes))], 1.0)
                continue
            content = contents.get(key(column.group))
            candidates = [
                e for e in targetable if content is None or e.code.startswith(f"{content.code}.")
            ]
            pairs.extend((similarity(column.heading, e.title), index, e) for e in candidates)
        taken = {element.pk for element, _score in chosen.values()}
        for score, index, element in sorted(pairs, key=lambda p: (-p[0], p[1], p[2].order)):
            if index in chosen or element.pk in taken or score < LEAST_MATCH:
                continue
            chosen[index] = (element, score)
            taken.add(element.pk)
        found = []
        for index, column in enumerate(sheet.columns):
            if index not in chosen:
                self.problems.error(
                    column.where,
                    _(
                        "No indicator of the program matches this column heading; the column"
                        " cannot be imported."
                    ),
                    column.heading,
                )
                continue
            element, score = chosen[index]
            if score < GOOD_MATCH:
                self.problems.warning(
                    column.where,
                    _("This column is taken as the indicator “%(title)s”; check it.")
                    % {"title": element.title},
                    column.heading,
                )
            found.append(
                {"element": element.code, "group": column.group, "heading": column.heading}
            )
        self.column_kept = [index in chosen for index in range(len(sheet.columns))]
        return found

    def village_index(self, issued_on: str | None) -> tuple[dict[str, list[OrgUnit]], list[str]]:
        day = datetime.date.fromisoformat(issued_on) if issued_on else None
        villages = [
            v
            for v in OrgUnit.objects.filter(parent=self.unit, level=OrgUnit.Level.VILLAGE)
            if day is None or v.is_valid_on(day)
        ]
        index: dict[str, list[OrgUnit]] = defaultdict(list)
        for village in villages:
            index[key(village.name)].append(village)
            if plain(village.name) != key(village.name):
                index[plain(village.name)].append(village)
        return index, sorted(v.name for v in villages)

    def rows(self, sheet: AllocationSheet, issued_on: str | None) -> list[dict[str, Any]]:
        index, names = self.village_index(issued_on)
        top: list[dict[str, Any]] = []
        total: dict[str, Any] | None = None
        agency: dict[str, Any] | None = None
        used: set[int] = set()
        for line in sheet.rows:
            number = line.number.strip().rstrip(".")
            row: dict[str, Any] = {
                "number": number,
                "label": line.label,
                "difficult_villages": self.count(*line.difficult, allow_empty=True),
                "values": [
                    self.count(text, where) or "0"
                    for (text, where), kept in zip(line.values, self.column_kept, strict=True)
                    if kept
                ],
                "children": [],
                "_where": line.where,
            }
            if not number and total is None and not top:
                row["kind"] = "total"
                total = row
                top.append(row)
                continue
            if number.isdigit():
                row["kind"] = "village"
                village = self.village(line, index, names, used, issued_on)
                row["village"] = village.name if village else line.label
                (agency or total or {"children": top})["children"].append(row)
                continue
            if number and not ROMAN_NUMBER.match(number):
                self.problems.warning(
                    line.where,
                    _(
                        "The row number “%(number)s” is neither I, II, … nor 1, 2, …;"
                        " the row is read as an implementing unit."
                    )
                    % {"number": number},
                    line.label,
                )
            row["kind"] = "agency"
            agency = row
            (total or {"children": top})["children"].append(row)
        return top

    def village(
        self,
        line: AllocationLine,
        index: dict[str, list[OrgUnit]],
        names: list[str],
        used: set[int],
        issued_on: str | None,
    ) -> OrgUnit | None:
        name = spaces(line.label)
        names_tried = [name]
        for word in VILLAGE_WORDS:
            if key(name).startswith(word + " "):
                names_tried.append(name[len(word) + 1 :])
                break
        matches: list[OrgUnit] = []
        for tried in names_tried:
            matches = index.get(key(tried)) or index.get(plain(tried)) or []
            if matches:
                name = tried
                break
        if len(matches) != 1:
            day = datetime.date.fromisoformat(issued_on).strftime("%d/%m/%Y") if issued_on else "—"
            self.problems.error(
                line.where,
                (
                    _("Unknown village “%(name)s”: %(unit)s has no such village on %(date)s.")
                    if not matches
                    else _("More than one village of %(unit)s is named “%(name)s”.")
                )
                % {"name": name, "unit": self.unit.full_name, "date": day}
                + " "
                + _("Its villages: %(names)s.") % {"names": ", ".join(names) or "—"},
                line.label,
            )
            return None
        village = matches[0]
        if key(village.name) != key(name):
            self.problems.warning(
                line.where,
                _("“%(name)s” is taken as the village %(village)s.")
                % {"name": name, "village": village.full_name},
            )
        if village.pk in used:
            self.problems.error(
                line.where, _("The village %(village)s has two rows.") % {"village": village.name}
            )
            return None
        used.add(village.pk)
        return village

    def count(self, text: str, where: Where, allow_empty: bool = False) -> str | None:
        text = spaces(text)
        if not text or text in DASHES:
            return None if allow_empty else "0"
        if COUNT.match(text):
            if allow_empty and not text.isdigit():
                self.problems.error(where, _("A number of villages must be a whole number."), text)
                return None
            return text
        self.problems.error(where, _("“%(value)s” is not a number.") % {"value": text}, text)
        return None if allow_empty else "0"

    def sums(self, rows: list[dict[str, Any]], sheet: AllocationSheet) -> None:
        """Every row with rows under it must be their sum, column by column."""
        headings = [
            c.heading for c, kept in zip(sheet.columns, self.column_kept, strict=True) if kept
        ]
        for row in _rows_flat(rows):
            children = row["children"]
            if not children:
                continue
            for i, heading in enumerate(headings):
                stated = _decimal(row["values"][i])
                total = sum((_decimal(child["values"][i]) for child in children), Decimal(0))
                if stated != total:
                    self.problems.error(
                        row["_where"].at_column(0, heading),
                        _("“%(row)s” says %(stated)s, but the rows under it add up to %(sum)s.")
                        % {
                            "row": row["label"],
                            "stated": format_count(stated),
                            "sum": format_count(total),
                        },
                    )
            stated_villages = row["difficult_villages"]
            given = [c["difficult_villages"] for c in children if c["difficult_villages"]]
            if stated_villages and given:
                total = sum((_decimal(value) for value in given), Decimal(0))
                if _decimal(stated_villages) != total:
                    self.problems.error(
                        row["_where"].at_column(0, sheet.difficult_heading or "ĐBKK"),
                        _(
                            "“%(row)s” counts %(stated)s especially difficult villages, but the"
                            " rows under it add up to %(sum)s."
                        )
                        % {
                            "row": row["label"],
                            "stated": format_count(_decimal(stated_villages)),
                            "sum": format_count(total),
                        },
                    )

    # -- the loader's own checks -------------------------------------------------------------

    def check(self, data: dict[str, Any]) -> None:
        """Drop the private places and run the loader's reader: what it refuses is listed."""
        for row in _rows_flat((data.get("allocation") or {}).get("rows") or []):
            row.pop("_where", None)
            if not row["children"]:
                row.pop("children")
        if self.problems.errors:
            return  # the loader would repeat them less clearly
        try:
            plan_data._Reader(issuing_unit=self.unit, villages=None).read(data)
        except ValidationError as exc:
            for message in exc.messages:
                self.problems.error(_("The plan as a whole"), message)


def _decimal(value: str | None) -> Decimal:
    return Decimal((value or "0").replace(",", "."))


def target_cell(text: str) -> dict[str, str]:
    """A printed target: "-" none, "01" a number, "Tạm dừng …" a suspension, else a text."""
    text = spaces(text)
    if text in DASHES:
        return {"kind": "none"}
    if COUNT.match(text):
        return {"kind": "number", "value": text}
    if plain(text).startswith("tam dung"):
        return {"kind": "suspended", "text": text}
    return {"kind": "text", "text": text}
