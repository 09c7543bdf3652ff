"""One vocabulary (issue 11, point 6; docs/glossary.md, "One vocabulary"): the Vietnamese
catalogue names what is carried out, an event, a community group, a data lock and a unit with
one word each, and a retired synonym does not come back."""

import re

import pytest

from duan8.core.tests.test_translations import po_entries, translations

# The menu and the section's headings: msgid → the word its Vietnamese must use. These msgids
# must exist (the menu of base.html, the hub page of activities).
MENU = {
    "Work": "Kết quả thực hiện",
    "Work carried out": "Kết quả thực hiện",
    "Work carried out in %(year)s": "Kết quả thực hiện",
    "Work of %(unit)s in %(year)s": "Kết quả thực hiện",
    "Events": "Sự kiện",
    "Groups": "Tổ/nhóm",
    "Progress": "Tiến độ",
}
# Other headings, buttons and labels users meet first, checked while their msgid exists.
LABELS = {
    # what is carried out, and the results a report gives
    "Work of the year": "Kết quả thực hiện",
    "Records of the unit": "Kết quả thực hiện",
    "Results": "Kết quả thực hiện",
    "1. Results": "Kết quả thực hiện",
    "Targets and actual values": "kết quả thực hiện",
    # an event, held under a plan activity
    "event": "sự kiện",
    "Record an event": "sự kiện",
    "Events of %(unit)s in %(year)s": "Sự kiện",
    "List of events": "sự kiện",
    "Kind of event": "sự kiện",
    "Activity": "Hoạt động",
    "Plan activity": "Hoạt động",
    "plan activity": "hoạt động",
    # a community group
    "Community groups": "Tổ/nhóm cộng đồng",
    "community group": "tổ/nhóm cộng đồng",
    "Community groups of %(unit)s": "Tổ/nhóm cộng đồng",
    # the recorded data, and what approval freezes
    "Figures from the records": "Số liệu",
    "data lock": "khóa số liệu",
    "Approve and lock the records": "khóa số liệu",
    "Unlock the records": "Mở khóa số liệu",
    "Locked records": "Số liệu đã khóa",
    # a unit of the map, a unit of measure
    "Unit": "Đơn vị",
    "unit": "đơn vị",
    "Units below": "Đơn vị",
    "Unit of measure": "Đơn vị tính",
    "unit of measure": "đơn vị tính",
    "Implementing unit": "Đơn vị thực hiện",
}

# Retired synonym → the word that replaced it (docs/glossary.md says why).
RETIRED = {
    "công việc": "kết quả thực hiện",
    "sổ theo dõi": "số liệu (đã ghi)",
    "dữ liệu đã ghi": "số liệu đã ghi",
    "mô hình cộng đồng": "tổ/nhóm cộng đồng",
    "khóa dữ liệu": "khóa số liệu",
    "giai đoạn đã khóa": "kỳ đã khóa số liệu (a giai đoạn is a program phase)",
}

# A msgid speaking of an event, of a plan activity, of a unit of measure.
EVENT = re.compile(r"\bevents?\b|’s events\b", re.IGNORECASE)
AUDIT = re.compile(r"\baudit events?\b|\bNo events match\b", re.IGNORECASE)
ACTIVITY = re.compile(r"\bactivit(y|ies)\b", re.IGNORECASE)
MEASURE = re.compile(r"\bunits? of measure\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def catalogue() -> dict[str, list[str]]:
    """msgid → its Vietnamese translations (one, or one per plural form)."""
    found = {
        e["msgid"]: translations(e)
        for e in po_entries()
        if e["msgid"] and not e.get("obsolete") and "msgctxt" not in e
    }
    assert len(found) > 100, "the Vietnamese catalogue looks empty"
    return found


def retired_in(text: str) -> list[str]:
    return [word for word in RETIRED if word in text.casefold()]


def test_the_menu_and_headings_use_the_chosen_words(catalogue):
    chosen = MENU | LABELS
    missing = [msgid for msgid in MENU if msgid not in catalogue]
    wrong = {
        msgid: texts
        for msgid, texts in catalogue.items()
        if msgid in chosen and not all(chosen[msgid].casefold() in t.casefold() for t in texts)
    }

    assert missing == [], "the menu changed: update MENU and docs/glossary.md"
    assert len(LABELS.keys() & catalogue.keys()) > len(LABELS) // 2, "update LABELS"
    assert wrong == {}


def test_no_retired_synonym_comes_back(catalogue):
    found = {
        msgid: (texts, [RETIRED[w] for t in texts for w in retired_in(t)])
        for msgid, texts in catalogue.items()
        if any(retired_in(t) for t in texts)
    }

    assert found == {}, "use the word on the right (docs/glossary.md, One vocabulary)"


def test_an_event_is_a_sự_kiện_and_never_a_hoạt_động(catalogue):
    """ "Hoạt động" is a plan activity (Nội dung → Hoạt động → chỉ tiêu) and nothing else."""
    events = {
        msgid: texts
        for msgid, texts in catalogue.items()
        if EVENT.search(AUDIT.sub("", msgid)) and not ACTIVITY.search(msgid)
    }
    called_activities = {
        m: t for m, t in events.items() if any("hoạt động" in x.casefold() for x in t)
    }
    activities_called_events = {
        msgid: texts
        for msgid, texts in catalogue.items()
        if ACTIVITY.search(msgid)
        and not EVENT.search(msgid)
        and any("sự kiện" in t.casefold() and "hoạt động" not in t.casefold() for t in texts)
    }

    assert len(events) > 30  # the rule is checked on the event messages, not on none
    assert called_activities == {}
    assert activities_called_events == {}


def test_a_unit_of_measure_is_always_đơn_vị_tính_and_only_it(catalogue):
    measure = {m: t for m, t in catalogue.items() if MEASURE.search(m)}
    not_said = {
        m: t for m, t in measure.items() if not all("đơn vị tính" in x.casefold() for x in t)
    }
    said_elsewhere = {
        m: t
        for m, t in catalogue.items()
        if not MEASURE.search(m) and any("đơn vị tính" in x.casefold() for x in t)
    }

    assert measure, "no msgid names a unit of measure any more: update this test"
    assert not_said == {}
    assert said_elsewhere == {}


def test_the_word_reports_fixed_texts_use_the_chosen_words():
    """The report's Word file writes some Vietnamese sentences itself, outside the catalogue."""
    from duan8.reports.report_files import TEXTS

    found = {key: retired_in(text) for key, text in TEXTS.items() if retired_in(text)}
    events_as_activities = {
        key: text for key, text in TEXTS.items() if "sổ theo dõi hoạt động" in text.casefold()
    }

    assert found == {}
    assert events_as_activities == {}
