"""The one place every workbook is written and read through (``duan8.core.xlsx``): text is never
a formula, our numbers stay numbers, and no other module builds, fills, saves or opens a
workbook around it."""

import ast
import datetime
import io
import logging
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import duan8
from duan8.core import xlsx

PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]
# The functions that build a workbook; each is walked with planted formulas by
# duan8/reports/tests/test_exports_formulas.py. A new one must be walked there too.
WRITERS = {
    "duan8/activities/excel/workbook.py:workbook_write",  # templates and list exports
    "duan8/activities/excel/exports.py:progress_export",
    "duan8/reports/exports/xlsx.py:write",  # aggregate data (write-only, streamed)
    "duan8/reports/report_files.py:report_xlsx",
    "duan8/orgunits/villages_excel.py:villages_template",  # the villages to load
    # walked in tests/test_new_workbooks_formulas.py
    "duan8/finance/documents.py:table_xlsx",  # disbursement and settlement
    "duan8/mothers/documents_payments.py:payment_list_xlsx",
    "duan8/mothers/services/privacy.py:mother_subject_export",
    "duan8/mothers/excel_template.py:proposals_template",
    "duan8/supervision/report.py:report_xlsx",
}
ROOT = Path(duan8.__file__).parent


def _written(values: list) -> list:
    book = xlsx.workbook_new()
    xlsx.row_append(book.active, values)
    for column, value in enumerate(values, start=1):
        xlsx.cell_write(book.active, 2, column, value)
    read = openpyxl.load_workbook(io.BytesIO(xlsx.workbook_bytes(book)))
    return [list(row) for row in read.active.iter_rows(max_col=len(values))]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_like_a_formula_is_text_with_an_apostrophe_and_reads_back_as_typed(payload):
    for cell in (row[0] for row in _written([payload])):
        assert cell.data_type == "s"
        assert cell.value == "'" + payload
        assert xlsx.unescape(cell.value) == payload


def test_our_numbers_and_dates_stay_numbers_and_ordinary_text_is_untouched():
    values = [-5, Decimal("1500000"), 2.5, datetime.date(2023, 11, 5), "Đinh Thị Lan", "-", None]

    first = _written(values)[0]

    assert [c.value for c in first[:3]] == [-5, 1500000, 2.5]
    assert [c.data_type for c in first[:3]] == ["n", "n", "n"]
    assert first[3].is_date and first[3].value.date() == datetime.date(2023, 11, 5)
    assert [c.value for c in first[4:]] == ["Đinh Thị Lan", "-", None]


def test_text_like_an_error_or_with_forbidden_characters_is_written_as_text():
    first = _written(["#N/A", "Lan\x01\x08 Hoa"])[0]

    assert [(c.value, c.data_type) for c in first] == [("#N/A", "s"), ("Lan Hoa", "s")]


def test_text_written_around_the_helpers_is_escaped_on_saving_and_logged(caplog):
    book = xlsx.workbook_new()
    book.active["A1"] = "=1+1"
    book.active.cell(row=2, column=1, value="#REF!")

    with caplog.at_level(logging.WARNING, logger="duan8.core.xlsx"):
        content = xlsx.workbook_bytes(book)

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("'=1+1", "s")
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("#REF!", "s")
    assert "A1" in caplog.text


# --- no workbook around duan8.core.xlsx ------------------------------------------------------


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        name = path.relative_to(ROOT.parent).as_posix()
        if "/tests/" in name or "/migrations/" in name or name == "duan8/core/xlsx.py":
            continue
        yield name, ast.parse(path.read_text(encoding="utf-8"))


def _called(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _sheets(function: ast.AST) -> set[str]:
    """Names in a function that hold a worksheet: parameters and variables called *sheet*, and
    variables set from ``.active``, ``.create_sheet(…)`` or ``book[…]``."""
    names = {
        a.arg
        for a in getattr(function, "args", ast.arguments()).args
        if "sheet" in a.arg or a.arg == "ws"
    }
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
            if not isinstance(target, ast.Name):
                continue
            if (
                "sheet" in target.id
                or (isinstance(value, ast.Attribute) and value.attr == "active")
                or (isinstance(value, ast.Call) and _called(value) == "create_sheet")
            ):
                names.add(target.id)
    return names


def _problems(name: str, tree: ast.Module) -> list[str]:
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node) in ("Workbook", "load_workbook"):
            problems.append(f"{name}:{node.lineno} {_called(node)}(): use duan8.core.xlsx")
    source = ast.unparse(tree)
    if "openpyxl" not in source and "xlsx." not in source:
        return problems
    for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
        sheets = _sheets(function)
        for node in ast.walk(function):
            where = f"{name}:{getattr(node, 'lineno', '?')} in {function.name}"
            if isinstance(node, ast.Call):
                called, func = _called(node), node.func
                receiver = func.value if isinstance(func, ast.Attribute) else None
                if called == "cell" and (
                    len(node.args) >= 3 or any(k.arg == "value" for k in node.keywords)
                ):
                    problems.append(f"{where}: .cell(value=…) — use xlsx.cell_write")
                if called == "append" and isinstance(receiver, ast.Name) and receiver.id in sheets:
                    problems.append(f"{where}: {receiver.id}.append — use xlsx.row_append")
                if (
                    called == "save"
                    and isinstance(receiver, ast.Name)
                    and receiver.id in ({"book", "workbook", "wb"} | sheets)
                ):
                    problems.append(f"{where}: .save() — use xlsx.workbook_bytes")
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr == "value":
                        problems.append(f"{where}: .value = … — use xlsx.cell_write")
                    if (
                        isinstance(target, ast.Subscript)
                        and isinstance(target.slice, ast.Constant)
                        and isinstance(target.slice.value, str)
                        and re.fullmatch(r"[A-Z]{1,3}[0-9]+", target.slice.value)
                    ):
                        problems.append(f"{where}: sheet[…] = … — use xlsx.cell_write")
    return problems


def test_no_module_builds_fills_saves_or_opens_a_workbook_around_duan8_core_xlsx():
    problems = [p for name, tree in _modules() for p in _problems(name, tree)]

    assert problems == []


def test_the_rule_catches_a_raw_write():
    """The check above is not blind: a writer of the old kind is caught on every line."""
    old = ast.parse(
        "import openpyxl\n"
        "def export(rows):\n"
        "    book = openpyxl.Workbook()\n"
        "    sheet = book.active\n"
        "    sheet.append(['Tên'])\n"
        "    sheet['A1'] = rows[0]\n"
        "    sheet.cell(row=2, column=1, value=rows[1])\n"
        "    book.save(buffer)\n"
    )

    assert len(_problems("old.py", old)) == 5


def test_every_function_that_builds_a_workbook_is_walked_with_planted_formulas():
    builders = {
        f"{name}:{function.name}"
        for name, tree in _modules()
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef)
        and any(
            isinstance(n, ast.Call) and _called(n) == "workbook_new" for n in ast.walk(function)
        )
    }

    assert builders == WRITERS, "walk the new workbook in reports/tests/test_exports_formulas.py"
