"""The shipped document template files, read by their declared schema."""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from duan8.core.schemas import FileInvalid
from duan8.documents import templates_data
from duan8.documents.models import DocumentTemplate
from duan8.documents.templates_data import document_template_files, document_template_read

FIELDS = ["key", "name", "document_type", "notes", "layout", "agency", "texts", "recipients"]
FIELDS += ["signature", "checks"]


def _shipped() -> dict:
    path = next(p for p in document_template_files() if p.name == "plan.commune.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _write(tmp_path, data, name="plan.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_shipped_file_reads_as_the_migration_loaded_it(db):
    loaded = DocumentTemplate.objects.get(key="plan.commune")

    read = document_template_read(next(iter(document_template_files())))

    assert {f: getattr(read, f) for f in FIELDS} == {f: getattr(loaded, f) for f in FIELDS}


@pytest.mark.usefixtures("english")
def test_a_broken_file_names_each_place_and_reason(tmp_path, db):
    data = _shipped()
    data["key"] = 5
    data["agency"]["names"][1]["pattern"] = "^(Ủy ban"
    data["signature"]["collective_bodies"][0]["titles"] = "CHỦ TỊCH"
    data["colour"] = "red"

    with pytest.raises(FileInvalid) as caught:
        document_template_read(_write(tmp_path, data))

    assert caught.value.lines() == [
        "plan.json: key: must be text",
        "plan.json: agency.names.2.pattern: "
        "not a valid regular expression: missing ), unterminated subpattern at position 1",
        "plan.json: signature.collective_bodies.1.titles: must be a list",
        "plan.json: colour: unknown field",
    ]


def test_a_template_missing_a_needed_text_is_refused_in_vietnamese(tmp_path, db):
    data = _shipped()
    del data["texts"]["motto"]

    with translation.override("vi"), pytest.raises(FileInvalid) as caught:
        document_template_read(_write(tmp_path, data))

    assert caught.value.lines() == ["plan.json: texts: Thiếu các đoạn văn: motto"]


def test_the_command_loads_nothing_when_one_file_is_broken(tmp_path, db, monkeypatch):
    DocumentTemplate.objects.all().delete()
    shutil.copy(next(iter(document_template_files())), tmp_path / "a.json")
    _write(tmp_path, {**_shipped(), "key": "plan.other", "document_type": ""}, name="b.json")
    monkeypatch.setattr(templates_data, "TEMPLATE_DIR", tmp_path)

    with translation.override("vi"), pytest.raises(CommandError) as caught:
        call_command("load_document_templates")

    assert str(caught.value) == "b.json: document_type: không được để trống"
    assert DocumentTemplate.objects.count() == 0
