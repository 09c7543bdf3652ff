"""The ethnic groups file, read by its declared schema."""

import json

import pytest
from django.utils import translation

from duan8.activities import reference
from duan8.activities.models import EthnicGroup
from duan8.activities.reference import ETHNIC_GROUPS_FILE, ethnic_groups_load
from duan8.core.schemas import FileInvalid

pytestmark = pytest.mark.django_db


def _rows() -> list[tuple]:
    fields = ("code_system", "code", "name", "aliases", "is_minority")
    return list(EthnicGroup.objects.order_by("code").values_list(*fields))


def test_the_shipped_file_loads_as_the_migration_did():
    by_migration = _rows()

    assert ethnic_groups_load() == 54

    assert _rows() == by_migration


def test_a_broken_file_changes_nothing_and_says_where_in_vietnamese(tmp_path, monkeypatch):
    data = json.loads(ETHNIC_GROUPS_FILE.read_text(encoding="utf-8"))
    data["groups"][0]["name"] = "Kinh (Việt)"
    data["groups"][1]["is_minority"] = "có"
    data["groups"][2]["code"] = "12345"
    path = tmp_path / "ethnic_groups.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(reference, "ETHNIC_GROUPS_FILE", path)
    before = _rows()

    with translation.override("vi"), pytest.raises(FileInvalid) as caught:
        ethnic_groups_load()

    assert caught.value.lines() == [
        "ethnic_groups.json: groups.2.is_minority (02): phải là true hoặc false",
        "ethnic_groups.json: groups.3.code (12345): chỉ được có tối đa 4 ký tự",
    ]
    assert _rows() == before
