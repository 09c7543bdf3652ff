"""The demo data and the Vietnamese catalogue carry none of the typos a reader reported (issue
10, point 15): they are shown on the plan page, in the allocation table and in exports."""

from pathlib import Path

import pytest

import duan8

ROOT = Path(duan8.__file__).resolve().parent
TYPOS = ["Đôi thoại", "đổi tượng", "Đổi tượng", "Tham gia huấn"]
FILES = sorted(
    path
    for pattern in ("*/data/**/*.json", "*/data/**/*.txt", "locale/vi/LC_MESSAGES/django.po")
    for path in ROOT.glob(pattern)
)


def test_the_data_files_are_found():
    names = {path.name for path in FILES}
    assert {"ke_hoach_87_2023_ba_trang.json", "ctmtqg_dtts_gd1_du_an_8.json", "django.po"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_reported_typo_is_left(path):
    lines = path.read_text(encoding="utf-8").splitlines()

    found = [
        (number, line.strip()[:80])
        for number, line in enumerate(lines, start=1)
        for typo in TYPOS
        if typo in line and "issue 10" not in line  # the notes name what was corrected
    ]

    assert found == []
