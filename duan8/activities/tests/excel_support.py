"""Helpers of the Excel tests: fill a downloaded template as a user would, read a workbook back."""

import io
from typing import Any

import openpyxl


def fill(template: bytes, rows: list[list[Any]], *, start: int = 2) -> bytes:
    """The template with ``rows`` typed into its data sheet from row ``start``."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=start + offset, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def table(content: bytes) -> list[dict[str, Any]]:
    """The data sheet as a list of {header: value}."""
    sheet = read(content).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    return [
        dict(zip(headers, row, strict=False)) for row in rows[1:] if any(v is not None for v in row)
    ]


def headers(content: bytes) -> list[str]:
    sheet = read(content).worksheets[0]
    return [c.value for c in sheet[1]]
