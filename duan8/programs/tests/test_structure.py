import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from duan8.core.schemas import FileInvalid
from duan8.programs.models import ProgramElement
from duan8.programs.structure import program_structure_files, program_structure_load

# The loader is tested on a database without the structure every other test shares.
pytestmark = pytest.mark.usefixtures("english", "no_program_structure")

MAIN_FILE = "ctmtqg_dtts_gd1_du_an_8.json"


def main_file() -> Path:
    return next(path for path in program_structure_files() if path.name == MAIN_FILE)


def write(tmp_path: Path, elements: list[dict[str, Any]], name: str = "structure.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"elements": elements}, ensure_ascii=False), encoding="utf-8")
    return path


def row(code: str, parent: str | None, kind: str, title: str = "Tên", **extra: Any) -> dict:
    return {"code": code, "parent": parent, "kind": kind, "title": title, **extra}


PROGRAM = row("X", None, "program")
PHASE = row("X.GD1", "X", "phase")


def test_structure_file_holds_the_program_down_to_every_indicator(db):
    count = program_structure_load(path=main_file())

    assert count == ProgramElement.objects.count() == 38
    kinds = list(ProgramElement.objects.values_list("kind", flat=True))
    assert [kinds.count(k) for k in ProgramElement.Kind.values] == [1, 1, 1, 4, 9, 22]
    project = ProgramElement.objects.get(code="1719.GD1.DA8")
    assert project.parent.parent.title.startswith("Chương trình mục tiêu quốc gia")
    assert project.title == (
        "Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết đối với phụ nữ và trẻ em"
    )
    assert project.legal_basis == "QĐ 1719/QĐ-TTg ngày 14/10/2021"


def test_structure_orders_elements_as_the_plan_prints_them(db):
    program_structure_load(path=main_file())

    codes = list(ProgramElement.objects.order_by("order", "code").values_list("code", flat=True))

    assert codes[3:8] == [
        "1719.GD1.DA8.ND1",
        "1719.GD1.DA8.ND1.HD1",
        "1719.GD1.DA8.ND1.HD1.1",
        "1719.GD1.DA8.ND1.HD1.2",
        "1719.GD1.DA8.ND1.HD1.3",
    ]
    assert codes[-4:] == [
        "1719.GD1.DA8.ND4",
        "1719.GD1.DA8.ND4.1",
        "1719.GD1.DA8.ND4.2",
        "1719.GD1.DA8.ND4.3",
    ]
    for element in ProgramElement.objects.exclude(parent=None).select_related("parent"):
        assert element.code.startswith(f"{element.parent.code}.")
        assert element.order > element.parent.order


def test_structure_takes_units_only_from_the_seed_parentheses(db):
    program_structure_load(path=main_file())

    units = dict(
        ProgramElement.objects.exclude(unit="").values_list("code", "unit").order_by("order")
    )

    assert units == {
        "1719.GD1.DA8.ND1.HD1.1": "tổ",
        "1719.GD1.DA8.ND1.HD4.2": "lớp",
        "1719.GD1.DA8.ND3.HD1.1": "lớp",
        "1719.GD1.DA8.ND3.HD2.2": "lớp",
        "1719.GD1.DA8.ND3.HD2.3": "CLB",
        "1719.GD1.DA8.ND3.HD4.1": "lớp",
        "1719.GD1.DA8.ND4.1": "cuộc",
        "1719.GD1.DA8.ND4.3": "lớp",
    }


def test_structure_load_is_idempotent(db):
    program_structure_load(path=main_file())
    before = {e.code: (e.pk, e.updated_at) for e in ProgramElement.objects.all()}

    count = program_structure_load(path=main_file())

    assert count == 38
    assert {e.code: (e.pk, e.updated_at) for e in ProgramElement.objects.all()} == before


def test_structure_load_updates_a_changed_row_in_place(db, tmp_path):
    program_structure_load(path=write(tmp_path, [PROGRAM, PHASE]))
    phase = ProgramElement.objects.get(code="X.GD1")

    program_structure_load(path=write(tmp_path, [PROGRAM, {**PHASE, "title": "Giai đoạn I"}]))

    phase.refresh_from_db()
    assert phase.title == "Giai đoạn I"
    assert ProgramElement.objects.count() == 2


def test_a_later_phase_is_a_new_file_under_the_loaded_program(db, tmp_path):
    program_structure_load(path=main_file())
    later = [
        row("1719.GD2", "1719", "phase", "Giai đoạn II", start_year=2026, end_year=2030),
        row("1719.GD2.DA8", "1719.GD2", "project", "Dự án 8"),
    ]

    program_structure_load(path=write(tmp_path, later))

    assert ProgramElement.objects.get(code="1719.GD2.DA8").parent.parent.code == "1719"


@pytest.mark.parametrize(
    ("bad_row", "line"),
    [
        (
            row("X.GD9.DA9", "X.GD9", "project"),
            "elements.3.parent (X.GD9.DA9): unknown parent “X.GD9” "
            "(not an earlier row, not loaded).",
        ),
        (row("X.GD1", "X", "phase"), "elements.3.code (X.GD1): the code X.GD1 is used twice"),
        (
            row("X.GD1.DA8", "X.GD1", "projekt"),
            "elements.3.kind (X.GD1.DA8): “projekt” is not one of “program”, “phase”, "
            "“project”, “content”, “activity”, “indicator”",
        ),
        (
            row("Y.DA8", "X.GD1", "project"),
            "elements.3.parent (Y.DA8): the code must start with its parent's code “X.GD1.”",
        ),
        (
            row("X.GD1.P", "X.GD1", "program"),
            "elements.3.kind (X.GD1.P): a program cannot sit under a phase",
        ),
        (
            row("X.GD1.DA8", "X.GD1", "project", title=""),
            "elements.3.title (X.GD1.DA8): must not be empty",
        ),
        (
            row("X.GD1.DA8", "X.GD1", "project", order="1"),
            "elements.3.order (X.GD1.DA8): must be a whole number",
        ),
        (
            row("X.GD1.DA8", "X.GD1", "project", colour=1),
            "elements.3.colour (X.GD1.DA8): unknown field",
        ),
        (
            row("X.GD1.DA8", None, "project"),
            "elements.3.parent (X.GD1.DA8): only a program has no parent",
        ),
        (
            row("X.GD1.DA8", "X.GD1", "project", start_year=2026, end_year=2021),
            "elements.3.end_year (X.GD1.DA8): the first year is after the last year",
        ),
    ],
)
def test_structure_load_rejects_a_bad_row_by_place_and_saves_nothing(db, tmp_path, bad_row, line):
    path = write(tmp_path, [PROGRAM, PHASE, bad_row])

    with pytest.raises(FileInvalid) as caught:
        program_structure_load(path=path)

    assert caught.value.lines() == [f"structure.json: {line}"]
    assert ProgramElement.objects.count() == 0


def test_structure_load_names_every_bad_row_at_once(db, tmp_path):
    path = write(tmp_path, [PROGRAM, PHASE, row("X.GD1.A", "X.GD1", "projekt"), {"code": "X.B"}])

    with pytest.raises(FileInvalid) as caught:
        program_structure_load(path=path)

    assert [p.field for p in caught.value.problems] == [
        "elements.3.kind",
        "elements.4.kind",
        "elements.4.title",
    ]


def test_structure_load_says_in_vietnamese_where_the_file_is_wrong(db, tmp_path):
    path = write(tmp_path, [PROGRAM, PHASE, row("X.GD1.DA8", "X.GD1", "project", order="1")])

    with translation.override("vi"), pytest.raises(FileInvalid) as caught:
        program_structure_load(path=path)

    assert caught.value.lines() == [
        "structure.json: elements.3.order (X.GD1.DA8): phải là số nguyên"
    ]


def test_structure_load_wants_parents_before_children(db, tmp_path):
    path = write(tmp_path, [PROGRAM, row("X.GD1.DA8", "X.GD1", "project"), PHASE])

    with pytest.raises(ValidationError, match="its parent “X.GD1” must come before it"):
        program_structure_load(path=path)
    assert ProgramElement.objects.count() == 0


def test_structure_load_names_the_line_of_broken_json(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"elements": [\n{"code": "X",}\n]}', encoding="utf-8")

    with pytest.raises(FileInvalid) as caught:
        program_structure_load(path=path)

    assert caught.value.lines()[0].startswith("broken.json: not valid JSON (line 2, column")


def test_structure_file_format_is_checked(db, tmp_path):
    path = tmp_path / "structure.json"
    path.write_text(json.dumps({"format": "other/2", "elements": [PROGRAM]}), encoding="utf-8")

    with pytest.raises(FileInvalid) as caught:
        program_structure_load(path=path)

    assert caught.value.lines() == [
        "structure.json: format: “other/2” is not one of “duan8.program_structure/1”"
    ]


def test_load_program_command_loads_every_shipped_file_by_default(db):
    out = StringIO()

    call_command("load_program", stdout=out)
    call_command("load_program", stdout=out)

    assert f"{MAIN_FILE}: 38" in out.getvalue()
    assert "mtqg_2026_2035_gd1_du_an_8.json: 14 program elements" in out.getvalue()
    assert "gd1_2021_2025_to_gd1_2026_2030_du_an_8.json: 12 links" in out.getvalue()
    assert ProgramElement.objects.count() == 38 + 14


def test_load_program_command_reports_a_bad_file(db, tmp_path):
    path = write(tmp_path, [PROGRAM, row("X.GD0.A", "X.GD0", "phase")])

    with pytest.raises(
        CommandError,
        match=re.escape("structure.json: elements.2.parent (X.GD0.A): unknown parent “X.GD0”"),
    ):
        call_command("load_program", str(path), stdout=StringIO())
