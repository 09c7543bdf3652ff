"""The allocation table (second appendix) tied to the program and the map: each column to an
indicator, by a heading seen in an earlier plan or by the words it shares with the indicators of
its "Nội dung"; each village row to a village of the unit valid on the plan's date, by name. Every
row with rows under it must be their sum."""

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from duan8.documents.importing.building.result import rows_flat
from duan8.documents.importing.building.targets import GOOD_MATCH
from duan8.documents.importing.problems import Problems, Where
from duan8.documents.importing.reader import (
    COUNT,
    DASHES,
    ROMAN_NUMBER,
    AllocationLine,
    AllocationSheet,
)
from duan8.documents.importing.wording import key, plain, similarity, spaces
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import AllocationColumn, ProgramElement, format_count

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


class AllocationBuild:
    """Reads the allocation sheet into the plan's "allocation" item, noting problems."""

    def __init__(
        self,
        *,
        problems: Problems,
        unit: OrgUnit,
        project: ProgramElement,
        elements: list[ProgramElement],
    ) -> None:
        self.problems = problems
        self.unit = unit
        self.project = project
        self.elements = elements
        self.column_kept: list[bool] = []

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
                "_cells": [  # where each kept value was read, for the sums' problems
                    where
                    for (_text, where), kept in zip(line.values, self.column_kept, strict=True)
                    if kept
                ],
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
        kept_columns = sum(self.column_kept)
        for row in rows_flat(rows):
            children = row["children"]
            if not children:
                continue
            for i in range(kept_columns):
                stated = _decimal(row["values"][i])
                total = sum((_decimal(child["values"][i]) for child in children), Decimal(0))
                if stated != total:
                    self.problems.error(
                        row["_cells"][i],
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


def _decimal(value: str | None) -> Decimal:
    return Decimal((value or "0").replace(",", "."))
