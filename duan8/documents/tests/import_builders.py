"""Files for the import tests: the seed, the seed with one defect, and Word files built here.

The Word files are built with python-docx the way a commune's Word document is laid out
(NĐ 30/2020): the agency and the Quốc hiệu side by side in a borderless table, the body as
paragraphs, "Nơi nhận" and the signature side by side, and both appendices as real tables with
merged heading cells.
"""

import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import docx

from duan8.programs.plan_data import DEMO_DIR

SEED = DEMO_DIR / "ke_hoach_87_2023_ba_trang.txt"
ACTIVITIES_HEADING = "TT\tNội dung hoạt động\tChỉ tiêu năm 2023\t"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def seed_bytes(replacements: Iterable[tuple[str, str]] = ()) -> bytes:
    """The seed, with each (old, new) line fragment replaced once (the fragment must exist)."""
    text = seed_text()
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text.encode("utf-8")


def _seed_parts() -> tuple[list[str], list[list[str]], list[str], list[list[str]]]:
    """Body lines (from "KẾ HOẠCH" to the signature), and each appendix: its lines and rows."""
    lines = seed_text().split("\n")
    first, second = lines.index("PHỤ LỤC"), lines.index("Phụ lục")

    def rows(chunk: list[str]) -> list[list[str]]:
        return [
            [cell.replace("<i>", "").replace("</i>", "").strip() for cell in line.split("\t")]
            for line in chunk
            if "\t" in line
        ]

    def texts(chunk: list[str]) -> list[str]:
        return [line for line in chunk if line.strip() and "\t" not in line]

    body = texts(lines[:first])
    return body, rows(lines[first:second]), texts(lines[first:second]), rows(lines[second:])


def _table(document: Any, rows: list[list[str]], merges: list[tuple[int, int, int, int]]) -> None:
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c in range(width):
            text = row[c] if c < len(row) else ""
            if text:
                table.cell(r, c).text = text
    for r1, c1, r2, c2 in merges:
        table.cell(r1, c1).merge(table.cell(r2, c2))


def _layout_table(document: Any, left: list[str], right: list[str]) -> None:
    table = document.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, (left, right), strict=True):
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)


def seed_docx(*, with_tables: bool = True, number: str = "87", day: str = "25") -> bytes:
    """The seed as a commune would have it in Word, with the header block it lost in the copy."""
    body, activities, appendix_1_lines, allocation = _seed_parts()
    document = docx.Document()
    _layout_table(
        document,
        ["ỦY BAN NHÂN DÂN", "XÃ BA TRANG", f"Số: {number}/KH-UBND"],
        [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            f"Ba Trang, ngày {day} tháng 9 năm 2023",
        ],
    )
    start = body.index("KẾ HOẠCH")
    recipients = body.index("Nơi nhận:")
    for line in body[start:recipients]:
        document.add_paragraph(line)
    _layout_table(document, body[recipients : recipients + 7], ["TM. ỦY BAN NHÂN DÂN", *body[-2:]])
    for line in appendix_1_lines:
        document.add_paragraph(line)
    if with_tables:
        merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3)]
        for r, row in enumerate(activities):
            if row[0].startswith("Nội dung"):
                merges.append((r, 0, r, 3))
            elif row[2].startswith("Tạm dừng"):
                merges.append((r, 2, r, 3))
        _table(document, activities, merges)
    for line in ("Phụ lục", "PHÂN BỐ CHỈ TIÊU CƠ BẢN THỰC HIỆN DỰ ÁN 8 NĂM 2023"):
        document.add_paragraph(line)
    document.add_paragraph("(Đính kèm Kế hoạch số 87/KH-UBND ngày 25/9/2023 của UBND xã Ba Trang)")
    if with_tables:
        merges = [
            (0, 0, 2, 0),
            (0, 1, 2, 1),
            (0, 2, 2, 2),
            (0, 3, 0, 9),
            (1, 5, 1, 6),
            (1, 7, 1, 9),
        ]
        _table(document, allocation, merges)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- comparing plans ------------------------------------------------------------------------


def cell_value(cell: dict[str, Any] | None) -> tuple[Any, ...] | None:
    """A target cell of "duan8.plan/1" data, with "01" and "1" the same number."""
    if cell is None:
        return None
    if cell["kind"] == "number":
        return ("number", Decimal(cell["value"]))
    return (cell["kind"], cell.get("text", ""))


def targets_of(data: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        item["element"]: (cell_value(item.get("commune")), cell_value(item.get("village")))
        for item in data["targets"]
    }


def allocation_of(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Every row of the allocation table with its cells, in order, nesting included."""
    found = []

    def walk(rows: list[dict[str, Any]], depth: int) -> None:
        for row in rows:
            found.append(
                (
                    depth,
                    row["kind"],
                    row["number"],
                    row["label"],
                    row.get("village"),
                    int(row["difficult_villages"]) if row.get("difficult_villages") else None,
                    [Decimal(value or "0") for value in row["values"]],
                )
            )
            walk(row.get("children") or [], depth + 1)

    walk(data["allocation"]["rows"], 0)
    return found


def columns_of(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["element"], c["group"]) for c in data["allocation"]["columns"]]
