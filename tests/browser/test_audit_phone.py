"""The audit trail on a small phone: rows stack, the page never scrolls sideways."""

from playwright.sync_api import Page, expect

from duan8.core import audit
from tests.browser.helpers import (
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    with_password,
)


def test_audit_list_fits_a_phone_screen(
    phone_page: Page, commune_leader, commune_officer, ba_trang, villages
) -> None:
    with_password(commune_leader)
    long_label = "Thôn Nước Đang / Thành lập mới và duy trì tổ truyền thông cộng đồng (tổ)"
    for unit in (ba_trang, villages["Nước Đang"]):
        audit.record(
            actor=commune_officer,
            action="programs.allocation.changed",
            org_unit=unit,
            before={long_label: "0", "ghi_chu": "x" * 200},
            after={long_label: "01", "ghi_chu": "y" * 200},
        )

    sign_in(phone_page, commune_leader.username)
    phone_page.goto("/nhat-ky/")

    expect(phone_page.locator("table.audit tbody tr")).to_have_count(3)  # and the sign-in
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
