"""Declared schemas for data files: each error located and said in Vietnamese."""

import json
import unicodedata
from enum import StrEnum
from typing import Annotated, Literal

import pytest
from django.utils import translation
from pydantic import Field, ValidationInfo, field_validator

from duan8.core.problems import WHOLE
from duan8.core.schemas import (
    Day,
    FileInvalid,
    FileSchema,
    Filled,
    Name,
    NullText,
    Text,
    error_lines,
    load,
    load_file,
    max_chars,
)


class _Kind(StrEnum):
    CONTENT = "content"
    ACTIVITY = "activity"


class _Row(FileSchema):
    code: Name
    kind: Literal["content", "activity"] = "content"
    category: Annotated[_Kind, Field(strict=False)] = _Kind.CONTENT
    order: int = Field(default=0, ge=0, le=999)
    share: float = 0
    active: bool = True
    held_on: Day | None = None
    note: Text = Field(default="", max_length=5)
    tags: list[str] = Field(default_factory=list, max_length=2)

    @field_validator("note")
    @classmethod
    def _no_x(cls, value: str) -> str:
        if "x" in value:
            raise ValueError("không được có chữ x")
        return value


class _File(FileSchema):
    rows: list[_Row] = Field(min_length=1)


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def _problems(data: object) -> dict[str, str]:
    with pytest.raises(FileInvalid) as caught:
        load(_File, data, source="f.json")
    return {p.field: p.message for p in caught.value.problems}


def test_a_valid_file_is_read_with_text_normalised() -> None:
    decomposed = "No\u0302\u0323i dung "

    data = load(_File, {"rows": [{"code": decomposed, "held_on": "2024-03-01"}]}, source="f")

    assert data.rows[0].code == "Nội dung"
    assert data.rows[0].held_on.isoformat() == "2024-03-01"


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({}, "rows.1.code", "bắt buộc phải có"),
        ({"code": "A", "colour": 1}, "rows.1.colour", "trường không có trong định dạng tệp"),
        ({"code": 5}, "rows.1.code", "phải là văn bản"),
        ({"code": "  "}, "rows.1.code", "không được để trống"),
        ({"code": "A", "order": "5"}, "rows.1.order", "phải là số nguyên"),
        ({"code": "A", "order": True}, "rows.1.order", "phải là số nguyên"),
        ({"code": "A", "order": 1.5}, "rows.1.order", "phải là số nguyên"),
        ({"code": "A", "order": -1}, "rows.1.order", "phải từ 0 trở lên"),
        ({"code": "A", "order": 1000}, "rows.1.order", "phải không quá 999"),
        ({"code": "A", "share": "x"}, "rows.1.share", "phải là một số"),
        ({"code": "A", "active": "yes"}, "rows.1.active", "phải là true hoặc false"),
        (
            {"code": "A", "held_on": "2024-13-01"},
            "rows.1.held_on",
            "phải là ngày viết theo dạng YYYY-MM-DD",
        ),
        (
            {"code": "A", "kind": "phase"},
            "rows.1.kind",
            "“phase” không phải là một trong các giá trị “content”, “activity”",
        ),
        (
            {"code": "A", "category": "phase"},
            "rows.1.category",
            "“phase” không phải là một trong các giá trị “content”, “activity”",
        ),
        ({"code": "A", "note": "abcdef"}, "rows.1.note", "chỉ được có tối đa 5 ký tự"),
        ({"code": "A", "note": "x"}, "rows.1.note", "không được có chữ x"),
        ({"code": "A", "tags": "a"}, "rows.1.tags", "phải là một danh sách"),
        ({"code": "A", "tags": ["a", "b", "c"]}, "rows.1.tags", "chỉ được có tối đa 2 phần tử"),
    ],
)
def test_each_error_is_located_and_translated(row: dict, field: str, message: str) -> None:
    assert _problems({"rows": [{"code": "OK"}, row][1:]}) == {field: message}


def test_list_items_are_counted_from_one() -> None:
    problems = _problems({"rows": [{"code": "A"}, {"code": "B"}, {"code": ""}]})

    assert list(problems) == ["rows.3.code"]


def test_the_whole_file_shape_is_checked() -> None:
    assert _problems([]) == {WHOLE: "phải là một đối tượng"}
    assert _problems({"rows": {}}) == {"rows": "phải là một danh sách"}
    assert _problems({"rows": []}) == {"rows": "phải có ít nhất 1 phần tử"}
    assert _problems({"rows": [3]}) == {"rows.1": "phải là một đối tượng"}


def test_every_problem_is_reported_at_once() -> None:
    problems = _problems({"rows": [{"code": ""}, {"code": "B", "order": "x"}], "extra": 1})

    assert set(problems) == {"rows.1.code", "rows.2.order", "extra"}


def test_lines_name_the_file_the_location_and_the_reason(tmp_path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"rows": [{"code": "A", "order": "x"}]}), encoding="utf-8")

    with pytest.raises(FileInvalid) as caught:
        load_file(_File, path)

    assert caught.value.lines() == ["plan.json: rows.1.order (A): phải là số nguyên"]
    assert caught.value.messages == caught.value.lines()
    assert error_lines(caught.value, source="other") == caught.value.lines()


def test_a_file_that_is_not_json_is_located_by_line(tmp_path) -> None:
    path = tmp_path / "plan.json"
    path.write_text('{"rows": [\n  {"code": "A",}\n]}', encoding="utf-8")

    with pytest.raises(FileInvalid) as caught:
        load_file(_File, path)

    [line] = caught.value.lines()
    assert line.startswith("plan.json: không phải JSON hợp lệ (dòng 2, cột")


def test_a_missing_file_is_said_so(tmp_path) -> None:
    with pytest.raises(FileInvalid) as caught:
        load_file(_File, tmp_path / "none.json")

    assert caught.value.lines()[0].startswith("none.json: không đọc được: ")


def test_a_choice_that_is_not_text_is_refused_naming_the_choices() -> None:
    assert _problems({"rows": [{"code": "A", "kind": ["x"]}]}) == {
        "rows.1.kind": "phải là một trong các giá trị “content”, “activity”"
    }


def test_validators_check_against_the_context() -> None:
    class _Coded(FileSchema):
        role: str

        @field_validator("role")
        @classmethod
        def _known(cls, value: str, info: ValidationInfo) -> str:
            if value not in info.context["roles"]:
                raise ValueError(f"“{value}” không phải là mã vai trò")
            return value

    with pytest.raises(FileInvalid) as caught:
        load(_Coded, {"role": "chairman"}, source="f.json", context={"roles": {"officer"}})

    assert caught.value.lines() == ["f.json: role: “chairman” không phải là mã vai trò"]


class _Stored(FileSchema):
    symbol: Annotated[NullText, Filled, max_chars(7)]
    note: NullText = ""
    on: Day | None = None


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        ({"symbol": "KH-UBND1"}, {"symbol": "chỉ được có tối đa 7 ký tự"}),
        ({"symbol": None}, {"symbol": "không được để trống"}),
        ({"symbol": "KH", "on": 20230505}, {"on": "phải là ngày viết theo dạng YYYY-MM-DD"}),
    ],
)
def test_stored_text_and_dates_are_checked(data: dict, problems: dict) -> None:
    with pytest.raises(FileInvalid) as caught:
        load(_Stored, data, source="f.json")

    assert {p.field: p.message for p in caught.value.problems} == problems


def test_null_text_is_read_as_empty_and_the_length_counted_in_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Trâm Hà")  # 9 characters, 7 in NFC
    assert len(decomposed) > 7

    data = load(_Stored, {"symbol": decomposed, "note": None}, source="f.json")

    assert (data.symbol, data.note) == ("Trâm Hà", "")
