"""The commune submits its 15/9 report, the district returns it with a comment, the commune
corrects and resubmits, the district approves, and the locked records offer no edit."""

import datetime
import re

from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from duan8.activities.models import Event
from duan8.reports.models import Report
from duan8.testing import report_session
from tests.browser.helpers import (
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    with_password,
)

COMMENT = "Bổ sung kết quả của thôn Nước Đang."


def _page(browser: Browser, live_server: LiveServer, username: str) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, username)
    return page


def test_submit_return_resubmit_approve_then_the_locked_event_cannot_be_edited(
    browser: Browser,
    live_server: LiveServer,
    ba_trang,
    ba_trang_plan,
    villages,
    indicator_rules,
    report_schedules,
    commune_officer,
    district_reviewer,
) -> None:
    for user in (commune_officer, district_reviewer):
        with_password(user)
    event = report_session(
        ba_trang_plan, villages["Bùi Hui"], datetime.date(2023, 6, 10), commune_officer
    )
    officer = _page(browser, live_server, commune_officer.username)
    reviewer = _page(browser, live_server, district_reviewer.username)
    try:
        # The commune starts its 15/9/2023 report from the list of deadlines and sends it.
        officer.goto(f"/don-vi/{ba_trang.pk}/bao-cao/?year=2023")
        officer.locator("form:has(input[name=schedule][value='hlhpn-ket-qua-15-9']) button").click()
        officer.fill("textarea[name=results]", "Tổ chức truyền thông tại thôn Bùi Hui.")
        officer.fill("textarea[name=difficulties]", "Thôn Kon Riêng đi lại khó khăn.")
        officer.fill("textarea[name=proposals]", "Hỗ trợ tài liệu truyền thông.")
        officer.locator("button[name=submit]").click()
        officer.wait_for_url("**/bao-cao/*/")
        report = Report.objects.get()
        expect(officer.locator(".status")).to_have_class("status status-submitted")
        expect(officer.locator("td.figure-value").first).to_be_visible()

        # The district reviewer returns it with a comment.
        reviewer.goto(f"/bao-cao/{report.pk}/")
        reviewer.fill("form.review-return textarea[name=comment]", COMMENT)
        reviewer.locator("form.review-return button").click()
        expect(reviewer.locator(".status").first).to_have_class("status status-returned")

        # The commune reads the comment, corrects and sends it again.
        officer.goto(f"/bao-cao/{report.pk}/sua/")
        expect(officer.locator(".report-comments")).to_contain_text(COMMENT)
        officer.fill(
            "textarea[name=results]",
            "Tổ chức truyền thông tại thôn Bùi Hui. Thôn Nước Đang chưa tổ chức.",
        )
        officer.locator("button[name=submit]").click()
        officer.wait_for_url(f"**/bao-cao/{report.pk}/")
        expect(officer.locator(".report-history")).to_contain_text(COMMENT)

        # The reviewer approves: the records of the period are locked.
        reviewer.goto(f"/bao-cao/{report.pk}/")
        reviewer.locator("form.review-approve button").click()
        expect(reviewer.locator(".status").first).to_have_class("status status-approved")
        expect(reviewer.locator(".alert-success")).to_contain_text("01/01/2023")

        # A session held in the locked period offers no edit: the page says it is locked and by
        # whom it can be unlocked; its edit address leads back to it.
        officer.goto(f"/su-kien/{event.pk}/sua/")
        expect(officer).to_have_url(re.compile(rf"/su-kien/{event.pk}/$"))
        expect(officer.locator(".lock-banner")).to_contain_text("01/01/2023")
        expect(officer.locator(f"a[href='/su-kien/{event.pk}/sua/']")).to_have_count(0)
    finally:
        officer.context.close()
        reviewer.context.close()

    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert [s.action for s in report.steps.all() if s.action != "saved"] == [
        "created",
        "submitted",
        "returned",
        "resubmitted",
        "approved",
    ]
    assert Event.objects.get(pk=event.pk).title == event.title
