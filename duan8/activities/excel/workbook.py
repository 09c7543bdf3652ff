"""Writing templates and exports, and reading uploaded workbooks.

A workbook has three sheets: the data (headers in row 1, one record per row, drop-down lists on
the coded columns), "Hướng dẫn" (what each column means, allowed values, the date format) and
the hidden "Danh mục" holding the lists the drop-downs refer to. An export is the template with
the rows filled in, so it can be edited and uploaded again.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from duan8.activities.excel.columns import CHOICE, DATE, INT, MONEY, YEAR, Column, Kind
from duan8.activities.excel.lists import LANGUAGES, ChoiceList, key
from duan8.activities.excel.scope import Scope
from duan8.core import xlsx

ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # the old binary .xls format
TEMPLATE_ROWS = xlsx.MAX_ROWS  # rows that get the drop-down lists: as many as an upload may have
HEADER_FILL = PatternFill("solid", fgColor="F3DCE5")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "DD/MM/YYYY"
MONEY_FORMAT = "#,##0"


def sheet_name(text: str) -> str:
    """Excel refuses []:*?/\\ in sheet names and more than 31 characters."""
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return text[:31]


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


# --- reading -----------------------------------------------------------------------------------


def upload_check(*, name: str, size: int, head: bytes) -> None:
    """Refuse, before reading it, a file over the limit or one that is not an .xlsx workbook."""
    limit = settings.UPLOAD_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The file “%(name)s” is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": _size_text(size), "limit": _size_text(limit)}
        )
    if head.startswith(OLE_SIGNATURE):
        raise ValidationError(
            _(
                "The file “%(name)s” is in the old Excel 97–2003 format (.xls). Open it in Excel "
                "and save it as “Excel Workbook (.xlsx)”, then upload it again."
            )
            % {"name": name}
        )
    if not head.startswith(ZIP_SIGNATURE):
        raise ValidationError(
            _(
                "The file “%(name)s” is not an Excel workbook (.xlsx). Download the template, "
                "fill it in and upload it."
            )
            % {"name": name}
        )


def header_keys(column: Column) -> set[str]:
    """The texts a column's header is recognised by: its header in every language."""
    keys = set()
    for language in LANGUAGES:
        with translation.override(language):
            keys.add(key(str(column.header)))
    return keys


@dataclass
class RawRow:
    number: int  # as in Excel
    values: dict[str, Any]  # column key → the cell's value


def _header_map(kind: Kind) -> dict[str, Column]:
    return {k: column for column in kind.columns for k in header_keys(column)}


def _match_headers(
    cells: tuple[Any, ...], kind: Kind
) -> tuple[dict[int, Column], list[str], list[str]]:
    """(position → column, unknown headers, repeated headers) for a header row."""
    known = _header_map(kind)
    positions: dict[int, Column] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, cell in enumerate(cells):
        if cell is None or str(cell).strip() == "":
            continue
        column = known.get(key(str(cell).rstrip(" *")))
        if column is None:
            unknown.append(str(cell).strip())
        elif column in positions.values():
            repeated.append(str(cell).strip())
        else:
            positions[index] = column
    return positions, unknown, repeated


def rows_read(source: str | IO[bytes], *, kind: Kind, name: str) -> list[RawRow]:
    """The rows of the data sheet; ValidationError when the file or its headers are wrong."""
    workbook = xlsx.workbook_read(source, name=name)
    try:
        best: tuple[int, Any, dict[int, Column], list[str], list[str]] | None = None
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            sheet.reset_dimensions()
            first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
            positions, unknown, repeated = _match_headers(tuple(first), kind)
            if best is None or len(positions) > best[0]:
                best = (len(positions), sheet, positions, unknown, repeated)
        if best is None or best[0] == 0:
            raise ValidationError(
                _(
                    "No sheet of “%(name)s” has the headers of the template “%(kind)s” in its "
                    "first row. Download the template and fill it in."
                )
                % {"name": name, "kind": kind.title}
            )
        _count, sheet, positions, unknown, repeated = best
        problems = []
        missing = [
            str(c.header) for c in kind.upload_columns if c.required and c not in positions.values()
        ]
        if missing:
            problems.append(
                _("The sheet “%(sheet)s” lacks the column(s) %(columns)s.")
                % {"sheet": sheet.title, "columns": ", ".join(f"“{m}”" for m in missing)}
            )
        if unknown:
            problems.append(
                _("The sheet “%(sheet)s” has column(s) the template does not have: %(columns)s.")
                % {"sheet": sheet.title, "columns": ", ".join(f"“{u}”" for u in unknown)}
            )
        if repeated:
            problems.append(
                _("The sheet “%(sheet)s” has the column(s) %(columns)s more than once.")
                % {"sheet": sheet.title, "columns": ", ".join(f"“{r}”" for r in repeated)}
            )
        if problems:
            problems.append(_("Keep the headers of row 1 as in the template."))
            raise ValidationError(problems)
        used = {i: c for i, c in positions.items() if not c.export_only}
        rows: list[RawRow] = []
        for number, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            xlsx.row_limit_check(number, name=name)
            values = {
                column.key: xlsx.unescape(cells[i]) if i < len(cells) else None
                for i, column in used.items()
            }
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
                continue
            rows.append(RawRow(number, values))
        return rows
    finally:
        workbook.close()


# --- writing -----------------------------------------------------------------------------------


def _allowed(column: Column, lists: dict[str, ChoiceList], scope: Scope) -> str:
    if column.type == CHOICE:
        entries = lists[column.choices].entries
        if not entries:
            return _("(the list is empty)")
        if len(entries) <= 12:
            return "; ".join(label for label, _value in entries)
        return _("Choose from the drop-down list (%(count)s values), e.g. “%(example)s”.") % {
            "count": len(entries),
            "example": entries[0][0],
        }
    if column.type == DATE:
        year = scope.plan.year if scope.plan else timezone.localdate().year
        return _("dd/mm/yyyy, e.g. %(example)s") % {"example": f"05/11/{year}"}
    if column.type == YEAR:
        return _("4 digits, e.g. 1985")
    if column.type == INT:
        return _("a whole number, 0 or more")
    if column.type == MONEY:
        return _("whole đồng, e.g. 1500000")
    return _("text, up to %(count)s characters") % {"count": column.max_length}


def _instructions(
    sheet: Any,
    kind: Kind,
    columns: list[Column],
    data_title: str,
    lists: dict[str, ChoiceList],
    scope: Scope,
) -> None:
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 60
    sheet.column_dimensions["D"].width = 60
    xlsx.row_append(sheet, [_("How to fill in: %(kind)s") % {"kind": kind.title}])
    sheet["A1"].font = Font(bold=True, size=14)
    xlsx.row_append(sheet, [scope.label_for(kind.plan_bound)])
    xlsx.row_append(sheet, [])
    lines = [
        _(
            "Each row of the sheet “%(sheet)s” is %(record)s. Do not rename, move or delete the "
            "headers in row 1."
        )
        % {"sheet": data_title, "record": kind.record},
        _("Write dates as dd/mm/yyyy (day/month/year), for example 05/11/2023."),
        _(
            "In columns with a drop-down list, choose one value from the list; any other value "
            "is refused."
        ),
        _(
            "When the file is uploaded every row is checked first. If any row has an error, "
            "nothing is saved, and each error is listed with its row, column and reason."
        ),
        _(
            "Text beginning with =, +, - or @ is written with an apostrophe in front (') so that "
            "Excel never runs it as a formula; that apostrophe is dropped when the file is "
            "uploaded."
        ),
        *[str(note) for note in kind.notes],
    ]
    for line in lines:
        xlsx.row_append(sheet, [line])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=4
        )
        sheet.cell(row=sheet.max_row, column=1).alignment = WRAP
        sheet.row_dimensions[sheet.max_row].height = 32
    xlsx.row_append(sheet, [])
    xlsx.row_append(sheet, [_("Column"), _("Required"), _("Meaning"), _("Allowed values")])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for column in columns:
        xlsx.row_append(
            sheet,
            [
                str(column.header),
                _("yes") if column.required and not column.export_only else "",
                str(column.help),
                _allowed(column, lists, scope),
            ],
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = WRAP


def _lists_sheet(sheet: Any, lists: dict[str, ChoiceList]) -> dict[str, str]:
    """Each list in a column of the hidden sheet; returns list name → range formula."""
    formulas = {}
    for index, (name, choice_list) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        xlsx.cell_write(sheet, 1, index, choice_list.title).font = BOLD
        for row, (label, _value) in enumerate(choice_list.entries, start=2):
            xlsx.cell_write(sheet, row, index, label)
        sheet.column_dimensions[letter].width = 40
        if choice_list.entries:
            last = len(choice_list.entries) + 1
            formulas[name] = f"{_quoted(sheet.title)}!${letter}$2:${letter}${last}"
    sheet.sheet_state = "hidden"
    return formulas


def cell_value(column: Column, value: Any, lists: dict[str, ChoiceList]) -> Any:
    """What an export writes for a value: labels for coded values, dates as dates."""
    if value is None or value == "":
        return None
    if column.type == CHOICE:
        return lists[column.choices].label(value)
    return value


def workbook_write(
    *,
    kind: Kind,
    scope: Scope,
    lists: dict[str, ChoiceList],
    rows: Iterable[dict[str, Any]] = (),
    columns: list[Column] | None = None,
) -> bytes:
    """The template of ``kind`` (no rows) or an export (rows as column key → value)."""
    columns = columns if columns is not None else list(kind.columns)
    workbook = xlsx.workbook_new(title=str(kind.title))
    data = cast(Worksheet, workbook.active)  # a new workbook has its first sheet
    data.title = sheet_name(str(kind.sheet_title))
    xlsx.row_append(data, [str(c.header) for c in columns])
    for index, column in enumerate(columns, start=1):
        cell = data.cell(row=1, column=index)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
        letter = get_column_letter(index)
        data.column_dimensions[letter].width = column.width
        if column.type == DATE:
            data.column_dimensions[letter].number_format = "@"  # typed dates stay dd/mm/yyyy
    data.row_dimensions[1].height = 48
    data.freeze_panes = "A2"
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007
        xlsx.row_append(data, [cell_value(c, row.get(c.key), lists) for c in columns])
        for index, column in enumerate(columns, start=1):
            if column.type == DATE and row.get(column.key) is not None:
                data.cell(row=count + 1, column=index).number_format = DATE_FORMAT
            elif column.type == MONEY:
                data.cell(row=count + 1, column=index).number_format = MONEY_FORMAT
    help_sheet = workbook.create_sheet(sheet_name(_("Instructions")))
    used = {c.choices: lists[c.choices] for c in columns if c.type == CHOICE}
    _instructions(help_sheet, kind, columns, data.title, lists, scope)
    formulas = _lists_sheet(workbook.create_sheet(sheet_name(_("Lists"))), used)
    last_row = max(TEMPLATE_ROWS, count + 1000) + 1
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        area = f"{letter}2:{letter}{last_row}"
        if column.type == CHOICE and column.choices in formulas:
            validation = DataValidation(
                type="list",
                formula1=formulas[column.choices],
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Not in the list"),
                error=_("Choose a value from the drop-down list."),
            )
        elif column.type in (INT, YEAR):
            low, high = (1900, 2100) if column.type == YEAR else (0, 1000000)
            validation = DataValidation(
                type="whole",
                operator="between",
                formula1=str(low),
                formula2=str(high),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Not a valid number"),
                error=_("Type a whole number from %(low)s to %(high)s.")
                % {"low": low, "high": high},
            )
        else:
            continue
        data.add_data_validation(validation)
        validation.add(area)
    return xlsx.workbook_bytes(workbook)


def _ascii(text: str) -> str:
    return slugify(text.replace("Đ", "D").replace("đ", "d")).replace("-", "_")


def file_name(title: str, scope: Scope, *, template: bool) -> str:
    """ASCII names such as “mau_thanh_vien_xa_ba_trang.xlsx” (every browser and Windows agree)."""
    parts = [_("template") if template else _("export"), title, scope.unit.full_name]
    if scope.event is not None:
        parts.append(scope.event.held_on.strftime("%Y%m%d"))
    if not template:
        parts.append(timezone.localdate().strftime("%Y%m%d"))
    return "_".join(_ascii(str(p)) for p in parts) + ".xlsx"
