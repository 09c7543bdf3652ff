"""A 360 × 740 phone (issue 10, point 14): the plan, progress and allocation tables read without
scrolling the page sideways, a row's target, actual and % are in view together; the header menu
folds into one line; a village head starts on his village's event entry page."""

import datetime

from django.urls import reverse
from playwright.sync_api import Page, expect

from duan8.activities.reference import ethnic_groups_load
from duan8.activities.rules import indicator_rules_load
from duan8.activities.services.events import CountInput, EventInput, event_create
from duan8.programs.models import ProgramElement
from tests.browser.helpers import (
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    with_password,
)

SESSIONS = "1719.GD1.DA8.ND1.HD2.2"
TEAMS = "1719.GD1.DA8.ND1.HD1.1"
WIDTH, HEIGHT = 360, 740


def _page_overflow(page: Page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _in_view_horizontally(locator) -> bool:
    box = locator.bounding_box()
    return (
        box is not None and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    )


def _session(plan, officer, village) -> None:
    ethnic_groups_load()  # the live server's flush empties the tables the migrations filled
    indicator_rules_load()
    event_create(
        actor=officer,
        data=EventInput(
            plan=plan,
            activity=ProgramElement.objects.get(code=SESSIONS),
            kind="communication",
            title="Truyền thông xóa bỏ tảo hôn",
            held_on=datetime.date(2023, 11, 5),
            org_unit=village,
            counts=[CountInput("F", True, "adult", 20), CountInput("M", True, "adult", 8)],
        ),
    )


def test_the_progress_table_shows_target_actual_and_percent_of_a_row_on_a_phone(
    phone_page: Page, ba_trang_plan, villages, commune_officer
) -> None:
    _session(ba_trang_plan, commune_officer, villages["Nước Đang"])
    with_password(commune_officer)
    page = phone_page
    sign_in(page, commune_officer.username)

    page.goto(reverse("activities:plan_progress", args=[ba_trang_plan.pk]))

    element = ProgramElement.objects.get(code=TEAMS)  # target 01 (allocation), none formed yet
    row = page.locator(f"table.progress-table tr#line-{element.pk}")
    expect(row.locator("td.target-commune")).to_contain_text("01")
    expect(row.locator("td.actual strong")).to_have_text("0")  # not 10, 20 …
    expect(row.locator("td.percent")).to_have_text("0%")  # not 10%, 100% …
    for cell in ("td.target-commune", "td.actual", "td.percent"):
        row.locator(cell).scroll_into_view_if_needed()
        assert _in_view_horizontally(row.locator(cell)), cell
    expect(row.locator("td.village-cell").first).to_be_visible()
    assert _page_overflow(page) <= 0


def test_the_plan_page_and_its_allocation_table_fit_a_phone(
    phone_page: Page, ba_trang_plan, commune_officer
) -> None:
    with_password(commune_officer)
    page = phone_page
    sign_in(page, commune_officer.username)

    page.goto(reverse("programs:plan_detail", args=[ba_trang_plan.pk]))

    row = page.locator("#phu-luc-2 tbody tr", has=page.locator("th", has_text="Thôn Nước Đang"))
    row.scroll_into_view_if_needed()
    cells = row.locator("td.count")
    expect(cells.nth(1)).to_have_text("01")  # the communication team of Nước Đang
    assert _in_view_horizontally(cells.nth(1))
    assert _page_overflow(page) <= 0


def test_the_header_menu_is_one_line_until_opened(
    phone_page: Page, ba_trang_plan, commune_officer
) -> None:
    with_password(commune_officer)
    page = phone_page
    sign_in(page, commune_officer.username)

    header = page.locator("header.site-header")
    closed = header.bounding_box()
    assert closed is not None and closed["height"] < 0.15 * HEIGHT, closed
    progress = page.locator(f"nav.site-nav a[href='{reverse('activities:progress_home')}']")
    expect(progress).to_be_hidden()

    page.locator("summary.site-menu-toggle").click()

    expect(progress).to_be_visible()
    progress.click()
    page.wait_for_url(f"**{reverse('activities:progress_home')}")
    assert _page_overflow(page) <= 0


def test_the_menu_is_always_open_on_a_wide_screen(page: Page, ba_trang_plan, commune_officer):
    with_password(commune_officer)
    sign_in(page, commune_officer.username)

    expect(page.locator("summary.site-menu-toggle")).to_be_hidden()
    expect(
        page.locator(f"nav.site-nav a[href='{reverse('activities:progress_home')}']")
    ).to_be_visible()


def test_a_village_head_starts_on_his_villages_event_entry_page(
    phone_page: Page, ba_trang_plan, villages, village_head
) -> None:
    with_password(village_head)
    page = phone_page

    sign_in(page, village_head.username)

    entry = reverse("activities:event_create", args=[villages["Nước Đang"].pk])
    assert page.url.endswith(entry), page.url
    expect(page.locator("form.event-form")).to_contain_text("Thôn Nước Đang")
    assert _page_overflow(page) <= 0


def test_the_allocation_form_fits_a_phone(phone_page: Page, ba_trang_plan, commune_officer):
    with_password(commune_officer)
    page = phone_page
    sign_in(page, commune_officer.username)

    page.goto(reverse("programs:plan_allocation_edit", args=[ba_trang_plan.pk]))

    row = page.locator(
        "table.allocation-form tbody tr", has=page.locator("th", has_text="Nước Đang")
    )
    box = row.locator("td.count input").first
    box.scroll_into_view_if_needed()
    expect(box).to_have_value("01")
    assert _in_view_horizontally(box)
    assert _page_overflow(page) <= 0
