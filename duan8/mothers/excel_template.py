"""The template of the health station's proposal list (issue 13, point 6; ``mothers.excel``
reads it back): the data sheet with its drop-down lists, the instructions and the hidden lists.
Every cell is written through ``core.xlsx`` (text stays text, never a formula)."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext as _
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_PROPOSE
from duan8.activities.excel.columns import CHOICE, DATE, INT, TEXT, Column
from duan8.activities.excel.lists import ChoiceList
from duan8.activities.excel.workbook import sheet_name
from duan8.core import xlsx
from duan8.mothers.excel import BIRTH, COLUMNS, HEADER_FILL, KIND, WRAP, lists_build
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit

# --- the template --------------------------------------------------------------------------------


def _lists_sheet(sheet: Any, lists: dict[str, ChoiceList]) -> dict[str, str]:
    formulas = {}
    for index, (name, choice_list) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        xlsx.cell_write(sheet, 1, index, choice_list.title).font = Font(bold=True)
        for row, (label, _value) in enumerate(choice_list.entries, start=2):
            xlsx.cell_write(sheet, row, index, label)
        sheet.column_dimensions[letter].width = 30
        if choice_list.entries:
            last = len(choice_list.entries) + 1
            formulas[name] = f"'{sheet.title}'!${letter}$2:${letter}${last}"
    sheet.sheet_state = "hidden"
    return formulas


def _instructions(sheet: Any, commune: OrgUnit) -> None:
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 70
    xlsx.row_append(sheet, [str(KIND.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    xlsx.row_append(sheet, [commune.full_name])
    for line in (
        _("One row per mother and delivery. Keep the headers of row 1 as they are."),
        _("Write dates as dd/mm/yyyy (day/month/year), for example 05/11/2025."),
        _("Choose ethnicity, village, place, kind of delivery and sex from the drop-down lists."),
        _(
            "Every row is checked when the file is uploaded; if any row has an error nothing is "
            "saved, and each error is listed with its row and column."
        ),
    ):
        xlsx.row_append(sheet, [line])
    xlsx.row_append(sheet, [])
    xlsx.row_append(sheet, [_("Column"), _("Required"), _("Meaning")])
    for column in COLUMNS:
        xlsx.row_append(
            sheet, [str(column.header), _("yes") if column.required else "", str(column.help)]
        )
        sheet.cell(row=sheet.max_row, column=3).alignment = WRAP


def _validation(column: Column, formulas: dict[str, str]) -> DataValidation | None:
    if column.type == CHOICE and column.choices in formulas:
        return DataValidation(
            type="list",
            formula1=formulas[column.choices],
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Not in the list"),
            error=_("Choose a value from the drop-down list."),
        )
    if column.type == INT:
        return DataValidation(
            type="whole", operator="between", formula1="0", formula2="100", allow_blank=True
        )
    return None


def proposals_template(*, actor: User, commune: OrgUnit) -> bytes:
    """The empty proposal list of ``commune`` (.xlsx); for holders of ``mothers.propose``."""
    require_permission(actor, MOTHERS_PROPOSE, commune)
    lists = lists_build(commune)
    book = xlsx.workbook_new(title=str(KIND.title))
    data = cast(Worksheet, book.active)
    data.title = sheet_name(str(KIND.sheet_title))
    xlsx.row_append(data, [str(c.header) for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = data.cell(row=1, column=index)
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEADER_FILL, WRAP
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = column.width
        if column.type in (TEXT, DATE, BIRTH):  # typed as text: leading zeros and dd/mm stay
            data.column_dimensions[letter].number_format = "@"
    data.row_dimensions[1].height = 48
    data.freeze_panes = "A2"
    _instructions(book.create_sheet(sheet_name(_("Instructions"))), commune)
    formulas = _lists_sheet(book.create_sheet(sheet_name(_("Lists"))), lists)
    for index, column in enumerate(COLUMNS, start=1):
        validation = _validation(column, formulas)
        if validation is not None:
            letter = get_column_letter(index)
            data.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{xlsx.MAX_ROWS + 1}")
    return xlsx.workbook_bytes(book)
