"""Progress on a small phone: the village head reaches their village's progress from the header
and reads it without sideways scrolling; the commune's wide table scrolls inside its own box."""

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


def _overflow(page: Page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _session(plan, officer, village) -> None:
    ethnic_groups_load()  # the live server's flush empties the tables the migrations filled
    indicator_rules_load()
    event_create(
        actor=officer,
        data=EventInput(
            plan=plan,
            activity=ProgramElement.objects.get(code="1719.GD1.DA8.ND1.HD2.2"),
            kind="communication",
            title="Truyền thông xóa bỏ tảo hôn",
            held_on=datetime.date(2023, 11, 5),
            org_unit=village,
            counts=[CountInput("F", True, "adult", 20), CountInput("M", True, "adult", 8)],
        ),
    )


def test_a_village_head_reads_their_villages_progress_on_a_phone(
    phone_page: Page, ba_trang_plan, villages, commune_officer, village_head
) -> None:
    _session(ba_trang_plan, commune_officer, villages["Nước Đang"])
    with_password(village_head)
    page = phone_page
    sign_in(page, village_head.username)

    page.locator("summary.site-menu-toggle").click()  # the header menu is folded on a phone
    page.locator(f"nav.site-nav a[href='{reverse('activities:progress_home')}']").click()

    table = page.locator("table.progress-village")
    expect(table).to_contain_text("Truyền thông xóa bỏ tảo hôn")
    expect(table).not_to_contain_text("Kon Riêng")
    assert _overflow(page) <= 0


def test_the_commune_table_scrolls_in_its_box_not_the_page(
    phone_page: Page, ba_trang_plan, villages, commune_officer
) -> None:
    _session(ba_trang_plan, commune_officer, villages["Nước Đang"])
    with_password(commune_officer)
    page = phone_page
    sign_in(page, commune_officer.username)

    page.goto(reverse("activities:plan_progress", args=[ba_trang_plan.pk]))

    expect(page.locator("table.progress-table")).to_contain_text("Nước Đang")
    assert page.locator("svg.bar").count() > 0
    assert _overflow(page) <= 0
