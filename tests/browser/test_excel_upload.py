"""An Excel upload in the browser: the progress bar follows the upload (XHR), the preview comes
next, the confirmation saves (a file of 400 rows through a job, whose page follows it); a file
that is not Excel is refused on the same page."""

import datetime

from playwright.sync_api import Page, expect

from duan8.activities.excel.kinds import MEMBERS
from duan8.activities.excel.lists import lists_build
from duan8.activities.excel.scope import excel_scope
from duan8.activities.excel.workbook import workbook_write
from duan8.activities.models import CommunityGroup, CommunityGroupMember
from duan8.activities.reference import ethnic_groups_load
from duan8.activities.tests.excel_support import fill
from tests.browser.helpers import (
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    with_password,
)

TEAM = "Tổ truyền thông thôn Nước Đang"


def _filled(officer, commune, rows: int) -> bytes:
    scope = excel_scope(actor=officer, unit_id=commune.pk)
    lists = lists_build(scope, [c.choices for c in MEMBERS.columns])
    blank = workbook_write(kind=MEMBERS, scope=scope, lists=lists, columns=MEMBERS.upload_columns)
    return fill(
        blank,
        [
            [TEAM, f"Thành viên {i:04d}", "Nữ", "19 - Hrê", 1990, None, "02/10/2023", None]
            for i in range(rows)
        ],
    )


def test_an_upload_shows_its_progress_then_the_preview_then_saves(
    phone_page: Page, ba_trang, villages, commune_officer, tmp_path
):
    ethnic_groups_load()
    CommunityGroup.objects.create(
        kind="communication_team",
        name=TEAM,
        org_unit=villages["Nước Đang"],
        founded_on=datetime.date(2023, 10, 2),
    )
    path = tmp_path / "thanh-vien.xlsx"
    path.write_bytes(_filled(commune_officer, ba_trang, 400))
    page = phone_page
    sign_in(page, with_password(commune_officer).username)
    page.goto(f"/don-vi/{ba_trang.pk}/excel/thanh-vien/tai-len/")
    seen, posts = [], []
    page.on("console", lambda message: seen.append(message.text))
    page.on("request", lambda r: posts.append(r.resource_type) if r.method == "POST" else None)

    page.set_input_files("input[type=file]", str(path))
    page.locator("form[data-upload-progress] button[type=submit]").click()

    page.wait_for_url("**/xem-truoc/**")
    assert posts == ["xhr"]  # sent by upload_progress.js, which follows the upload's progress
    expect(page.locator("table.excel-preview tbody tr")).to_have_count(20)
    assert CommunityGroupMember.objects.count() == 0
    page.locator("form:has(input[value=confirm]) button").click()
    # more rows than UPLOAD_ROWS_IN_REQUEST: saved by a job, whose page ends with the count
    page.wait_for_url("**/viec/**")
    expect(page.locator("[data-job-message]")).to_contain_text("400")
    assert CommunityGroupMember.objects.count() == 400
    assert not [text for text in seen if "Content Security Policy" in text]


def test_a_file_that_is_not_excel_is_refused_on_the_same_page(
    page: Page, ba_trang, villages, commune_officer, tmp_path
):
    path = tmp_path / "anh.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n not a workbook")
    sign_in(page, with_password(commune_officer).username)
    page.goto(f"/don-vi/{ba_trang.pk}/excel/thanh-vien/tai-len/")

    page.set_input_files("input[type=file]", str(path))
    page.locator("form[data-upload-progress] button[type=submit]").click()

    expect(page.locator(".field-error")).to_contain_text("anh.xlsx")
    assert "/tai-len/" in page.url
    expect(page.locator("form[data-upload-progress] button[type=submit]")).to_be_enabled()
