"""The problem type and its three adapters: a form, a spreadsheet row, an API response."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from duan8.core.problems import (
    WHOLE,
    Invalid,
    Problem,
    Problems,
    as_json,
    on_form,
    problems_of,
    row_message,
)


class _Form(forms.Form):
    title = forms.CharField()
    held_on = forms.DateField(label="Date held")


def test_problems_collect_and_raise_keyed_by_field() -> None:
    found = Problems(row=7)
    found.add("title", "required.", code="required")
    found.add("participants.2.sex", "sex must be Nam or Nữ.")
    assert found.fields() == {"title", "participants"}
    with pytest.raises(Invalid) as caught:
        found.raise_if_any()
    assert caught.value.message_dict == {
        "title": ["required."],
        "participants.2.sex": ["sex must be Nam or Nữ."],
    }
    assert [p.row for p in caught.value.problems] == [7, 7]


def test_an_empty_collection_raises_nothing() -> None:
    Problems().raise_if_any()


def test_plain_validation_errors_become_problems() -> None:
    keyed = ValidationError({"title": ValidationError("required.", code="required")})
    assert problems_of(keyed) == [Problem("title", "required.", "required")]
    whole = ValidationError("locked.")
    assert problems_of(whole, row=3) == [Problem(WHOLE, "locked.", "invalid", 3)]


def test_on_form_puts_each_message_beside_its_field_and_the_rest_on_top() -> None:
    form = _Form(data={"title": "x", "held_on": "2023-05-01"})
    assert form.is_valid()
    on_form(
        form,
        Invalid(
            [
                Problem("date", "after today."),
                Problem("cost", "cannot be negative."),
                Problem(WHOLE, "the period is locked."),
            ]
        ),
        fields={"date": "held_on"},
        labels={"cost": "Cost"},
    )
    assert form.errors["held_on"] == ["after today."]
    assert form.non_field_errors() == ["Cost: cannot be negative.", "the period is locked."]


def test_row_message_names_row_and_column_in_vietnamese() -> None:
    problem = Problem("held_on", "sau ngày hôm nay.", row=7)
    with translation.override("vi"):
        assert row_message(problem, {"held_on": "Ngày tổ chức"}) == (
            "Dòng 7, cột “Ngày tổ chức”: sau ngày hôm nay."
        )
        assert row_message(Problem(WHOLE, "trùng.", row=9), {}) == "Dòng 9: trùng."


def test_as_json_lists_field_row_code_and_message() -> None:
    body = as_json(Invalid([Problem("cost", "negative.", "min_value", 4)]))
    assert body == {
        "errors": [{"field": "cost", "row": 4, "code": "min_value", "message": "negative."}]
    }
