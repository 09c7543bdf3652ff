"""The health station's proposal list in Excel (issue 13, point 6): the template, and an upload
checked row by row, all or nothing, then saved through ``mothers_propose_many``.

The template (``excel_template.proposals_template``) has the data sheet (headers in row 1,
drop-down lists on ethnicity, village, place, kind of delivery and the child's sex; the phone and
the ID number formatted as text so that Excel keeps their leading zeros), "Hướng dẫn" (every
column) and the hidden "Danh mục" with the lists: the 54 ethnic groups and the commune's
villages on the day (its own and those it inherited from the communes that merged into it).

An upload is refused unread when it is too big, not an .xlsx, unpacks to too much or holds too
many rows (``activities.excel.workbook.upload_check`` and ``core.xlsx.xlsx_check``, through
``rows_read``). Each row is then read by its columns' types; when every row reads, the whole
list goes through the registry's own checks (``mothers_propose_many``, inside a transaction
that is rolled back), so the preview shows every problem the saving would meet, each as
"Dòng 7, cột “Ngày sinh”: …" (``core.problems.row_message``). Saving checks again and writes all
the rows in one transaction, or none.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import IO, Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils.datetime import from_excel

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_PROPOSE
from duan8.activities.excel.columns import CHOICE, DATE, INT, TEXT, Column, Kind
from duan8.activities.excel.lists import ChoiceList, clean, ethnic_group_label, key
from duan8.activities.excel.workbook import RawRow, rows_read
from duan8.activities.models import EthnicGroup, Sex
from duan8.core import audit
from duan8.core.problems import WHOLE, Invalid, Problem, row_message
from duan8.mothers.models import Pregnancy
from duan8.mothers.services.inputs import CaseInput, ChildInput, VisitInput
from duan8.mothers.visibility import id_masked
from duan8.orgunits.access import require_permission
from duan8.orgunits.inherited import villages_on
from duan8.orgunits.models import OrgUnit

BIRTH = "birth"  # a date of birth, or the year alone
PREVIEW_ROWS = 20
VISITS = 4
IMPORTED = "mothers.proposals.imported"
_DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
HEADER_FILL = PatternFill("solid", fgColor="F3DCE5")
WRAP = Alignment(wrap_text=True, vertical="top")
L = gettext_lazy


def _visit(number: int) -> Column:
    return Column(
        f"visit_{number}",
        L("Antenatal visit %(number)s") % {"number": number},  # type: ignore[arg-type]
        L("Date of the antenatal visit (dd/mm/yyyy), if she went."),
        DATE,
        width=14,
    )


COLUMNS: tuple[Column, ...] = (
    Column("full_name", L("Full name"), L("The mother's full name with accents."), TEXT, True,
           width=26, max_length=120),
    Column("birth", L("Date or year of birth"), L("dd/mm/yyyy, or the year alone (4 digits)."),
           BIRTH, True, width=14),
    Column("ethnic", L("Ethnicity"), L("One of the 54 ethnic groups, from the list."), CHOICE,
           True, choices="ethnic", width=18),
    Column("village", L("Village"), L("Her village, from the list of the commune's villages."),
           CHOICE, True, choices="villages", width=22),
    Column("phone", L("Phone"), L("Her phone or her family's, digits."), TEXT, width=14,
           max_length=20),
    Column("id_number", L("Personal ID number"),
           L("The 12-digit personal ID number (CCCD), or the 9-digit old identity card; may be "
             "left empty."), TEXT, width=16, max_length=20),
    Column("expected_on", L("Expected delivery date"), L("dd/mm/yyyy."), DATE, width=14),
    *(_visit(number) for number in range(1, VISITS + 1)),
    Column("delivered_on", L("Delivery date"), L("dd/mm/yyyy; empty before she gives birth."),
           DATE, width=14),
    Column("place", L("Place of delivery"), L("At a health facility or at home."), CHOICE,
           choices="places", width=18),
    Column("facility", L("Health facility"), L("The facility where she gave birth."), TEXT,
           width=24, max_length=200),
    Column("mode", L("Kind of delivery"), L("Normal delivery or caesarean section."), CHOICE,
           choices="modes", width=16),
    Column("babies", L("Number of babies"), L("Babies born of this delivery."), INT, width=10),
    Column("carer_name", L("Family carer"),
           L("Name of the family member who went with her, if one did."), TEXT, width=22,
           max_length=120),
    Column("days_at_facility", L("Days at the facility"), L("Days she stayed at the facility."),
           INT, width=10),
    Column("child_sex", L("Sex of the child"), L("Nữ or Nam."), CHOICE, choices="sexes",
           width=10),
    Column("child_born_on", L("Child's date of birth"),
           L("dd/mm/yyyy; the delivery date when empty."), DATE, width=14),
)  # fmt: skip

KIND = Kind(
    key="mothers_proposals",
    slug="de-nghi",
    title=L("Proposal list of the safe-motherhood packages"),
    sheet_title=L("Proposals"),
    record=L("one mother and one delivery (or expected delivery)"),
    columns=COLUMNS,
)

# The service's fields (``services.checks``) and the columns they are read from.
FIELD_COLUMNS = {
    "full_name": "full_name",
    "birth_year": "birth",
    "birth_date": "birth",
    "ethnic_code": "ethnic",
    "commune": "village",
    "village": "village",
    "phone": "phone",
    "id_number": "id_number",
    "expected_on": "expected_on",
    "delivered_on": "delivered_on",
    "place": "place",
    "facility": "facility",
    "mode": "mode",
    "babies": "babies",
    "days_at_facility": "days_at_facility",
    "carer_name": "carer_name",
    "has_carer": "carer_name",
    "children": "child_sex",
}


def _column_of(field_name: str) -> str:
    """The column of a service's field ("visits.2.visited_on" → "visit_2")."""
    parts = field_name.split(".")
    if parts[0] == "visits" and len(parts) > 1 and parts[1].isdigit():
        return f"visit_{parts[1]}"
    if parts[0] == "children":
        return "child_born_on" if parts[-1] == "born_on" else "child_sex"
    return FIELD_COLUMNS.get(parts[0], WHOLE)


def headers() -> dict[str, str]:
    return {c.key: str(c.header) for c in COLUMNS}


# --- lists ---------------------------------------------------------------------------------------


def list_day(commune: OrgUnit) -> datetime.date:
    """The day the villages are listed for: today, or the commune's last day if it ended."""
    today = timezone.localdate()
    return min(today, commune.valid_to) if commune.valid_to else today


def _choices(name: str, title: str, choices: Any) -> ChoiceList:
    """The list in the user's language; a file filled in the other language (a template
    downloaded by a colleague who reads the pages in English) is read too."""
    result = ChoiceList(name, title, [(str(label), value) for value, label in choices.choices])
    for value, label in choices.choices:
        result.alias(str(value), value)
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                result.alias(str(label), value)
    return result


def lists_build(commune: OrgUnit) -> dict[str, ChoiceList]:
    groups = EthnicGroup.objects.filter(code_system="qd121_tctk_1979").order_by("code")
    ethnic = ChoiceList("ethnic", _("Ethnicity"), [(ethnic_group_label(g), g.code) for g in groups])
    for group in groups:
        ethnic.code(group.code, group.code)
        ethnic.alias(group.name, group.code)
    listed = villages_on(commune=commune, on=list_day(commune))
    villages = ChoiceList("villages", _("Village"), [(v.full_name, v) for v in listed])
    for village in listed:
        villages.alias(village.name, village)
    for village in OrgUnit.objects.filter(parent=commune, level=OrgUnit.Level.VILLAGE):
        villages.extra.setdefault(key(village.full_name), village)
        villages.extra.setdefault(key(village.name), village)
    return {
        "ethnic": ethnic,
        "villages": villages,
        "places": _choices("places", _("Place of delivery"), Pregnancy.Place),
        "modes": _choices("modes", _("Kind of delivery"), Pregnancy.Mode),
        "sexes": _choices("sexes", _("Sex"), Sex),
    }


# --- reading -------------------------------------------------------------------------------------


@dataclass
class ProposalCheck:
    rows: int
    inputs: list[CaseInput]
    numbers: list[int]  # the Excel row of each input
    errors: list[Problem] = field(default_factory=list)  # keyed by column, on their row
    ethnic: dict[str, str] = field(default_factory=dict)  # code → "19 - Hrê", for the preview

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.inputs)

    @property
    def messages(self) -> list[str]:
        return [row_message(problem, headers()) for problem in self.errors]


class _Row:
    """One row's cells read by their columns' types; problems keyed by column."""

    def __init__(self, raw: RawRow, lists: dict[str, ChoiceList]) -> None:
        self.raw, self.lists = raw, lists
        self.problems: list[Problem] = []

    def error(self, column: str, message: str) -> None:
        self.problems.append(Problem(column, message, row=self.raw.number))

    def get(self, column: Column) -> Any:
        raw = self.raw.values.get(column.key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if column.required:
                self.error(column.key, _("required"))
            return "" if column.type == TEXT else None
        return {
            TEXT: self._text,
            DATE: self._date,
            INT: self._int,
            CHOICE: self._choice,
            BIRTH: self._birth,
        }[column.type](column, raw)

    def _text(self, column: Column, raw: Any) -> str:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = clean(raw)
        if len(text) > column.max_length:
            self.error(
                column.key,
                _("too long (%(length)s characters; at most %(limit)s)")
                % {"length": len(text), "limit": column.max_length},
            )
        return text

    def _date(self, column: Column, raw: Any) -> datetime.date | None:
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        if isinstance(raw, int | float) and 20000 <= raw <= 80000:  # an Excel day number
            return cast(datetime.datetime, from_excel(raw)).date()
        match = _DATE_TEXT.match(clean(raw))
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                pass
        self.error(
            column.key, _("“%(value)s” is not a date; write dd/mm/yyyy") % {"value": clean(raw)}
        )
        return None

    def _int(self, column: Column, raw: Any) -> int | None:
        text = clean(raw)
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if text.isdigit():
            return int(text)
        self.error(column.key, _("“%(value)s” is not a whole number") % {"value": text})
        return None

    def _choice(self, column: Column, raw: Any) -> Any:
        text = self._text(column, raw)
        try:
            return self.lists[column.choices].read(text)
        except KeyError:
            self.error(column.key, _("“%(value)s” is not in the list") % {"value": text})
            return None

    def _birth(self, column: Column, raw: Any) -> datetime.date | int | None:
        if isinstance(raw, int | float) and not isinstance(raw, bool) and 1900 <= raw <= 2100:
            return int(raw)
        text = clean(raw)
        if re.fullmatch(r"\d{4}", text):
            return int(text)
        return self._date(column, raw)


def _case_input(commune: OrgUnit, values: dict[str, Any]) -> CaseInput:
    birth = values["birth"]
    born = birth if isinstance(birth, datetime.date) else None
    children = []
    if values["child_sex"]:
        children.append(ChildInput(sex=values["child_sex"], born_on=values["child_born_on"]))
    return CaseInput(
        commune=commune,
        village=values["village"],
        full_name=values["full_name"],
        birth_year=born.year if born else birth,
        birth_date=born,
        ethnic_code=values["ethnic"] or "",
        phone=values["phone"],
        id_number=values["id_number"],
        expected_on=values["expected_on"],
        delivered_on=values["delivered_on"],
        place=values["place"] or "",
        facility=values["facility"],
        mode=values["mode"] or "",
        babies=values["babies"],
        days_at_facility=values["days_at_facility"],
        has_carer=bool(values["carer_name"]),
        carer_name=values["carer_name"],
        visits=[
            VisitInput(visited_on=values[f"visit_{n}"])
            for n in range(1, VISITS + 1)
            if values[f"visit_{n}"] is not None
        ],
        children=children,
    )


def _service_problems(
    actor: User, commune: OrgUnit, inputs: list[CaseInput], numbers: list[int]
) -> list[Problem]:
    """What the registry's checks say of the list, by row and column; nothing is kept."""
    try:
        with transaction.atomic():
            mothers_propose_many(actor=actor, commune=commune, rows=inputs)
            transaction.set_rollback(True)
    except Invalid as exc:
        found = []
        for problem in exc.problems:
            parts = problem.field.split(".", 2)
            if parts[0] == "rows" and len(parts) == 3 and parts[1].isdigit():
                number = numbers[int(parts[1]) - 1]
                found.append(Problem(_column_of(parts[2]), problem.message, problem.code, number))
            else:
                found.append(Problem(WHOLE, problem.message, problem.code))
        return found
    except PermissionDenied as exc:
        return [Problem(WHOLE, str(exc) or _("You may not propose these cases."))]
    return []


def mothers_propose_many(**kwargs: Any) -> Any:
    from duan8.mothers.services.registry import mothers_propose_many as propose

    return propose(**kwargs)


def proposals_check(
    *, actor: User, commune: OrgUnit, source: str | IO[bytes], name: str
) -> ProposalCheck:
    """Read and check every row; nothing is written. ValidationError for a file refused unread
    or without this template's headers."""
    require_permission(actor, MOTHERS_PROPOSE, commune)
    raws = rows_read(source, kind=KIND, name=name)
    lists = lists_build(commune)
    check = ProposalCheck(rows=len(raws), inputs=[], numbers=[])
    check.ethnic = {str(code): label for label, code in lists["ethnic"].entries}
    for raw in raws:
        row = _Row(raw, lists)
        values = {column.key: row.get(column) for column in COLUMNS}
        if row.problems:
            check.errors += row.problems
            continue
        check.inputs.append(_case_input(commune, values))
        check.numbers.append(raw.number)
    if not raws:
        check.errors.append(Problem(WHOLE, _("The file has no rows to save.")))
    if not check.errors:
        check.errors = _service_problems(actor, commune, check.inputs, check.numbers)
    order = {c.key: i for i, c in enumerate(COLUMNS)}
    check.errors.sort(key=lambda p: (p.row or 0, order.get(p.field, -1)))
    return check


def proposals_save(
    *, actor: User, commune: OrgUnit, source: str | IO[bytes], name: str
) -> tuple[ProposalCheck, list[Pregnancy] | None]:
    """Check the kept file again and, when every row passes, propose them all in one
    transaction; (the check, the cases) or (the check, None) when it was refused."""
    with transaction.atomic():
        check = proposals_check(actor=actor, commune=commune, source=source, name=name)
        if not check.ok:
            return check, None
        cases = mothers_propose_many(actor=actor, commune=commune, rows=check.inputs)
        audit.record(
            actor=actor,
            action=IMPORTED,
            org_unit=commune,
            after={"file": name, "rows": check.rows, "cases": len(cases)},
        )
    return check, cases


def preview(check: ProposalCheck) -> dict[str, Any]:
    """What the preview page shows, kept as JSON beside the file: no health value, the ID
    number masked."""
    shown = ("full_name", "birth", "ethnic", "village", "id_number", "delivered_on")
    return {
        "rows": check.rows,
        "created": len(check.inputs) if check.ok else 0,
        "errors": check.messages,
        "headers": [headers()[k] for k in shown],
        "preview": [
            {
                "row": number,
                "cells": [
                    data.full_name,
                    data.birth_date.strftime("%d/%m/%Y") if data.birth_date else data.birth_year,
                    check.ethnic.get(data.ethnic_code, data.ethnic_code),
                    data.village.full_name if data.village else "",
                    id_masked(data.id_number),
                    data.delivered_on.strftime("%d/%m/%Y") if data.delivered_on else "",
                ],
            }
            for number, data in list(zip(check.numbers, check.inputs, strict=True))[:PREVIEW_ROWS]
        ],
    }
