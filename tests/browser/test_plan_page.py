"""The commune officer reads a village's target in the plan's allocation table."""

from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    with_password,
)


def test_officer_reads_nuoc_dangs_communication_team_target(
    page: Page, ba_trang_plan, commune_officer
) -> None:
    with_password(commune_officer)

    sign_in(page, commune_officer.username)
    page.get_by_role("link", name=ba_trang_plan.reference).click()

    table = page.locator("#phu-luc-2 table")
    expect(table.locator("thead")).to_contain_text("tổ truyền thông cộng đồng")
    row = table.locator("tbody tr", has=page.locator("th", has_text="Thôn Nước Đang"))
    # td: number, especially difficult villages, then one cell per column (communication team).
    expect(row.locator("td").nth(2)).to_have_text("01")
