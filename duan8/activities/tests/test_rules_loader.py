"""The indicator rules file, read by its declared schema: each problem located and translated,
nothing changed when one is wrong."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from duan8.activities.models import IndicatorRule
from duan8.activities.rules import indicator_rules_load
from duan8.core.schemas import FileInvalid

SESSIONS = "1719.GD1.DA8.ND1.HD2.2"


def _file(tmp_path, data) -> str:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _rules(*rules) -> dict:
    return {"format": "duan8.indicator_rules/1", "rules": list(rules)}


def test_a_broken_rules_file_changes_nothing_and_says_where_in_vietnamese(
    program_structure, tmp_path
):
    indicator_rules_load()
    before = list(IndicatorRule.objects.values_list("pk", flat=True).order_by("pk"))
    path = _file(
        tmp_path,
        _rules(
            {"element": SESSIONS, "source": "events", "filters": {}},
            {"element": "1719.GD1.DA8.ND9", "source": "meetings"},
            {"element": SESSIONS, "source": "events", "filters": [], "colour": "red"},
        ),
    )

    with translation.override("vi"), pytest.raises(FileInvalid) as caught:
        indicator_rules_load(path=path)

    assert caught.value.lines() == [
        "rules.json: rules.2.element (1719.GD1.DA8.ND9): "
        "không có mục nào của chương trình mang mã 1719.GD1.DA8.ND9.",
        "rules.json: rules.2.source (1719.GD1.DA8.ND9): “meetings” không phải là một trong "
        "các giá trị “groups”, “members”, “events”, “participants”, “cadres”, “difficulties”",
        f"rules.json: rules.3.filters ({SESSIONS}): phải là một đối tượng",
        f"rules.json: rules.3.colour ({SESSIONS}): trường không có trong định dạng tệp",
    ]
    assert list(IndicatorRule.objects.values_list("pk", flat=True).order_by("pk")) == before


@pytest.mark.usefixtures("english")
def test_a_file_of_another_format_is_refused(program_structure, tmp_path):
    path = _file(tmp_path, {"format": "duan8.plan/1", "rules": []})

    with pytest.raises(FileInvalid) as caught:
        indicator_rules_load(path=path)

    assert caught.value.lines() == [
        "rules.json: format: “duan8.plan/1” is not one of “duan8.indicator_rules/1”"
    ]


@pytest.mark.usefixtures("english")
def test_the_command_prints_each_located_problem(program_structure, tmp_path):
    path = _file(tmp_path, _rules({"element": SESSIONS, "source": "events", "filters": {"x": 1}}))

    with pytest.raises(CommandError) as caught:
        call_command("load_indicator_rules", "--file", path)

    assert str(caught.value) == (
        f"rules.json: rules.1.filters ({SESSIONS}): records “events” have no filter x "
        "(they have: kinds, activities)."
    )
    assert not IndicatorRule.objects.exists()
