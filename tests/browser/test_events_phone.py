"""The head of thôn Nước Đang records a communication session on a small phone: the form comes
filled in (village, date), they choose the activity (its kind follows), type a title and two
numbers and save; a double tap on Save records the event once."""

import datetime

from django.utils import translation
from django.utils.translation import ngettext
from playwright.sync_api import Page, expect

from duan8.activities.models import Event
from duan8.activities.services.events import CountInput, EventInput, event_create
from duan8.programs.models import ProgramElement
from tests.browser.helpers import (
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    with_password,
)

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
SHORTEST_INPUT = """Math.min(...Array.from(
    document.querySelectorAll('form.event-form input:not([type=hidden]), form.event-form select,'
        + ' form.event-form button'))
  .filter(e => e.offsetParent !== null)
  .map(e => e.getBoundingClientRect().height))"""


def test_a_village_head_records_an_event_on_a_phone_in_a_few_taps(
    phone_page: Page, ba_trang_plan, villages, village_head
) -> None:
    with_password(village_head)
    nuoc_dang = villages["Nước Đang"]
    sessions = ProgramElement.objects.get(code="1719.GD1.DA8.ND1.HD2.2")
    event_create(  # the head's previous event: its date is proposed, its activity is not
        actor=village_head,
        data=EventInput(
            plan=ba_trang_plan,
            activity=sessions,
            kind="communication",
            title="Truyền thông xóa bỏ tảo hôn",
            held_on=datetime.date(2023, 11, 5),
            org_unit=nuoc_dang,
            counts=[CountInput("F", True, "adult", 15)],
        ),
    )
    page = phone_page
    sign_in(page, village_head.username)

    page.goto(f"/don-vi/{nuoc_dang.pk}/su-kien/ghi/")

    form = page.locator("form.event-form")
    expect(form.locator("select[name=activity]")).to_have_value("")
    expect(form.locator("select[name=kind]")).to_have_value("")
    expect(form.locator("input[name=held_on]")).to_have_value("2023-11-05")
    expect(form).to_contain_text("Thôn Nước Đang")
    expect(form.locator("details")).not_to_have_attribute("open", "")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert page.evaluate(SHORTEST_INPUT) >= 44

    form.locator("select[name=activity]").select_option(str(sessions.pk))
    expect(form.locator("select[name=kind]")).to_have_value("communication")
    form.locator("input[name=title]").fill("Truyền thông phòng chống bạo lực gia đình")
    form.locator("input[name='n-F-minority-adult']").fill("20")
    form.locator("input[name='n-M-minority-adult']").fill("8")
    expect(form.locator(".count-total output")).to_contain_text("28")
    form.locator("button[type=submit]").dblclick()  # a double tap on a slow network

    page.wait_for_url("**/da-ghi/")
    confirmation = page.locator(".confirmation")
    expect(confirmation).to_contain_text("Truyền thông phòng chống bạo lực gia đình")
    with translation.override("vi"):  # the browser asks for Vietnamese
        people = ngettext(
            "%(total)s person (%(women)s women)", "%(total)s people (%(women)s women)", 28
        ) % {"total": 28, "women": 20}
    expect(confirmation.locator("h1")).to_contain_text(f"— {people}")  # 28 people, 20 women
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    event = Event.objects.get(title="Truyền thông phòng chống bạo lực gia đình")  # one only
    assert (event.org_unit, event.activity, event.held_on) == (
        nuoc_dang,
        sessions,
        datetime.date(2023, 11, 5),
    )
    assert sum(c.count for c in event.counts.all()) == 28

    page.locator(".confirmation-actions a").first.click()  # record another
    expect(page.locator("form.event-form input[name=title]")).to_have_value("")


def test_a_wrong_number_is_shown_next_to_its_box_on_a_phone(
    phone_page: Page, ba_trang_plan, villages, village_head
) -> None:
    with_password(village_head)
    page = phone_page
    sign_in(page, village_head.username)
    page.goto(f"/don-vi/{villages['Nước Đang'].pk}/su-kien/ghi/")
    form = page.locator("form.event-form")

    form.locator("input[name=title]").fill("Truyền thông")
    form.locator("input[name='n-F-minority-adult']").fill("-2")
    form.locator("button[type=submit]").click()

    expect(page.locator("[role=alert]")).to_be_visible()
    expect(page.locator(".count-table td.has-error")).to_have_count(1)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    assert not Event.objects.exists()
