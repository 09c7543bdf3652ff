"""The Vietnamese catalogue is complete, keeps its placeholders, and is compiled."""

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LC_MESSAGES = Path(settings.BASE_DIR) / "duan8" / "locale" / "vi" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$')


def po_entries() -> list[dict]:
    """Each entry of the .po as {"flags": set, "msgid": ..., "msgstr": ... / "msgstr[0]": ...}."""
    entries: list[dict] = []
    entry: dict = {}
    key = None
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if "msgid" in entry:
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#"):
            continue
        elif match := KEYWORD.match(line):
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            entry[key] += ast.literal_eval(line)
        else:
            raise AssertionError(f"Unexpected line in {PO.name}: {line!r}")
    return entries


def translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    found = [e for e in po_entries() if e["msgid"] and not e.get("obsolete")]
    assert len(found) > 100, "the Vietnamese catalogue looks empty"
    return found


def test_the_header_declares_vietnamese_and_one_plural_form():
    header = next(e for e in po_entries() if e["msgid"] == "")
    assert "Language: vi\n" in header["msgstr"]
    assert "charset=UTF-8" in header["msgstr"]
    assert "Plural-Forms: nplurals=1; plural=0;" in header["msgstr"]


def test_every_message_is_translated_and_none_is_fuzzy(entries):
    untranslated = [e["msgid"] for e in entries if not all(translations(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", set())]
    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_the_placeholders(entries):
    wrong = []
    for entry in entries:
        expected = set(PLACEHOLDER.findall(entry["msgid"]))
        if "msgid_plural" in entry:
            expected |= set(PLACEHOLDER.findall(entry["msgid_plural"]))
        for text in translations(entry):
            if set(PLACEHOLDER.findall(text)) != expected:
                wrong.append((entry["msgid"], text))
    assert wrong == []


def test_the_compiled_catalogue_matches_the_po(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) is not installed")
    compiled = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check-format", "-o", str(compiled), str(PO)], check=True)
    assert MO.exists(), "django.mo is missing: run `python -m duan8 compilemessages`"
    assert compiled.read_bytes() == MO.read_bytes(), (
        "django.mo is out of date: run `python -m duan8 compilemessages -i .venv`"
    )


def test_the_login_page_is_in_vietnamese_by_default(client, db):
    client.defaults.pop("HTTP_ACCEPT_LANGUAGE", None)
    html = client.get("/login/").content.decode()
    assert "Tên đăng nhập" in html
    assert "Mật khẩu" in html
    assert "Đăng nhập" in html


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en-US,en;q=0.9"

    default = client.get("/login/").content.decode()
    client.cookies["django_language"] = "en"
    chosen = client.get("/login/").content.decode()

    assert "Tên đăng nhập" in default
    assert "Username" in chosen
