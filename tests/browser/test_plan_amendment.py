"""Issue 12's acceptance, second part: Ba Trang's approved 2023 plan is amended by the WU officer
(one target changed, number and date given), the chairman approves the amendment, and both
versions stay readable, each with its own value; the changes page shows the target's before →
after."""

from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from duan8.programs.models import Plan, Target
from duan8.programs.services import plan_approve
from tests.browser.helpers import (
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    with_password,
)

NEW_VALUE = "77"
REASON = "Tăng số lớp truyền thông theo đề nghị của các thôn"


def _page(browser: Browser, live_server: LiveServer, username: str) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, username)
    return page


def _commune_cell(page: Page, title: str):
    """The commune's target cell of the appendix row titled ``title``, on the plan page."""
    row = page.locator("#phu-luc-1 tbody tr").filter(
        has=page.get_by_role("cell", name=title, exact=True)
    )
    return row.locator("td.target").first


def test_an_amendment_changes_one_target_and_both_versions_stay_readable(
    browser: Browser,
    live_server: LiveServer,
    ba_trang_plan,
    commune_officer,
    commune_leader,
) -> None:
    for user in (commune_officer, commune_leader):
        with_password(user)
    approved = plan_approve(
        plan=ba_trang_plan, actor=commune_leader, expected_version=ba_trang_plan.version
    )
    target = (
        approved.targets.filter(kind=Target.Kind.NUMBER, scope=Target.Scope.COMMUNE)
        .exclude(element__in=approved.allocation_columns.values("element"))
        .select_related("element")
        .order_by("element__order", "element__code")
        .first()
    )
    assert target is not None and target.display != NEW_VALUE
    title = target.element.title
    officer = _page(browser, live_server, commune_officer.username)
    leader = _page(browser, live_server, commune_leader.username)
    try:
        # From the approved plan's page, the amendment: a reason and the date it is in force.
        officer.goto(f"/ke-hoach/{approved.pk}/")
        officer.locator(f'a[href="/ke-hoach/{approved.pk}/dieu-chinh/"]').click()
        officer.fill("textarea[name=reason]", REASON)
        officer.fill("input[name=in_force_from]", "2023-11-01")
        officer.locator("form[method=post] button.button-primary").click()
        officer.wait_for_url("**/ke-hoach/*/")
        draft = Plan.objects.get(amends=approved)
        assert officer.url.endswith(f"/ke-hoach/{draft.pk}/")
        expect(officer.locator("#amendments")).to_contain_text(REASON)

        # One target changed in the draft.
        officer.goto(f"/ke-hoach/{draft.pk}/chi-tieu/")
        officer.fill(f"input[name=t-{target.element_id}-commune-value]", NEW_VALUE)
        officer.locator("form[method=post] button.button-primary").click()
        officer.wait_for_url(f"**/ke-hoach/{draft.pk}/")
        expect(officer.get_by_text("Đã lưu chỉ tiêu.")).to_be_visible()

        # Its number and date.
        officer.goto(f"/ke-hoach/{draft.pk}/van-ban/")
        officer.fill("input[name=number]", "120")
        officer.fill("input[name=issued_on]", "2023-10-30")
        officer.get_by_role("button", name="Lưu").click()
        expect(officer.get_by_text("Đã lưu văn bản kế hoạch.")).to_be_visible()

        # The chairman approves it.
        leader.goto(f"/ke-hoach/{draft.pk}/phe-duyet/")
        leader.locator("form[method=post] button.button-primary").click()
        leader.wait_for_url(f"**/ke-hoach/{draft.pk}/")
        expect(leader.locator(".alert-error")).to_have_count(0)
        draft.refresh_from_db()
        assert draft.status == Plan.Status.APPROVED

        # Both versions readable, each with its own value.
        officer.goto(f"/ke-hoach/{approved.pk}/")
        expect(_commune_cell(officer, title)).to_have_text(target.display)
        officer.goto(f"/ke-hoach/{draft.pk}/")
        expect(_commune_cell(officer, title)).to_have_text(NEW_VALUE)

        # The changes page: the target, before → after.
        officer.locator(f'a[href="/ke-hoach/{draft.pk}/thay-doi/"]').first.click()
        officer.wait_for_url(f"**/ke-hoach/{draft.pk}/thay-doi/")
        expect(officer.locator("body")).to_contain_text(REASON)
        row = officer.locator("#changes tbody tr").filter(has_text=NEW_VALUE)
        expect(row).to_have_count(1)
        cells = row.locator("td")
        expect(cells.nth(2)).to_have_text(target.display)
        expect(cells.nth(3)).to_have_text(NEW_VALUE)
    finally:
        officer.context.close()
        leader.context.close()
