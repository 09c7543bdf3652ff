"""The dashboard on a small phone: the commune officer opens it from the header, every chart is
drawn in the page (inline SVG from the page's own numbers, allowed by the strict CSP: no style,
no script, no request), nothing is refused or fails in the console, and the page does not scroll
sideways."""

import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, expect

from duan8.reports.models import Report
from duan8.reports.tests.records import SESSIONS, plan_for, session, team
from tests.browser.helpers import (
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    with_password,
)

D = datetime.date


def _overflow(page: Page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_the_commune_officer_reads_the_dashboard_charts_on_a_phone(
    phone_page: Page,
    indicator_rules,
    report_schedules,
    ba_trang,
    ba_to,
    villages,
    commune_officer,
) -> None:
    plan = plan_for(ba_trang, 2023, **{SESSIONS.replace(".", "_"): 10})
    session(plan, villages["Bùi Hui"], D(2023, 10, 5), women=20, men=8, girls=2)
    session(plan, villages["Nước Đang"], D(2023, 11, 5), women=5, kinh_women=1)
    team(villages["Bùi Hui"], D(2023, 10, 2))
    submitted = datetime.datetime(2023, 9, 20, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    Report.objects.create(
        schedule=report_schedules["hlhpn-ket-qua-15-9"],
        org_unit=ba_trang,
        recipient_unit=ba_to,
        period_start=D(2023, 1, 1),
        period_end=D(2023, 9, 15),
        due_on=D(2023, 9, 15),
        status="submitted",
        first_submitted_at=submitted,
        submitted_at=submitted,
    )
    with_password(commune_officer)
    page = phone_page
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if _is_problem(m) else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    sign_in(page, commune_officer.username)

    page.locator("summary.site-menu-toggle").click()  # the header menu is folded on a phone
    page.locator(f"nav.site-nav a[href='{reverse('reports:dashboard_home')}']").click()

    expect(page.locator("h1")).to_contain_text("Ba Trang")
    charts = page.locator("figure.chart svg")
    assert charts.count() == 5  # progress, villages, the years (issue 12), participants, reports
    width = page.viewport_size["width"] if page.viewport_size else 360
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box and 0 < box["width"] <= width and box["height"] > 0
    assert page.locator("figure.chart img").count() == 0  # nothing more to fetch
    expect(page.locator("#dashboard-units table")).to_contain_text("Nước Đang")
    assert _overflow(page) <= 0
    assert problems == []


def _is_problem(message: ConsoleMessage) -> bool:
    return message.type in ("error", "warning") or "Content Security Policy" in message.text
