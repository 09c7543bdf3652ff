"""The head of thôn Nước Đang records events where there is no signal (issue 17): the entry page,
opened once online, works offline from the service worker's cache; the entries wait on the
phone and are sent once, in order, when the signal returns; an entry the server refuses (a
period locked meanwhile) stays on the phone with the server's message until it is corrected."""

import datetime

import time_machine
from django.utils import translation
from playwright.sync_api import Page, expect

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.models import DataLock, Event
from duan8.activities.services.events import CountInput, EventInput, event_check, event_create
from duan8.mothers.models import Mother
from duan8.programs.models import ProgramElement
from tests.browser.helpers import (
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    with_password,
)

PAGE = "/nhap-ngoai-tuyen/"
SESSIONS = "1719.GD1.DA8.ND1.HD2.2"  # a communication session of the 2023 plan
CONTROLLED = "() => navigator.serviceWorker.controller !== null"
# wait_for_function does not wait for a promise: the check runs on each frame and answers what
# the previous one found
CACHED = """() => {
    caches.open("duan8-offline-pages").then(c => c.keys()).then(keys => {
      window.pagesCached = keys.some(k => k.url.endsWith("/nhap-ngoai-tuyen/"))
        && keys.some(k => k.url.endsWith("/du-lieu.json"));
    });
    return window.pagesCached === true;
  }"""
STORED = """() => new Promise(done => {
    const open = indexedDB.open("duan8-offline", 1);
    open.onsuccess = () => {
      const db = open.result;
      const all = db.transaction("entries").objectStore("entries").getAll();
      all.onsuccess = () => { db.close(); done(all.result); };
    };
  })"""


def open_online(page: Page, username: str) -> None:
    """Signed in, the page opened with a signal and kept by the worker for later."""
    sign_in(page, username)
    page.goto(PAGE)
    page.wait_for_function(CONTROLLED)
    page.wait_for_function(CACHED)
    expect(page.locator("#event-entry")).to_be_visible()
    expect(page.locator("#choose-form")).to_be_hidden()  # he proposes no mother


def record(page: Page, title: str, held_on: str, women: int, men: int) -> None:
    form = page.locator("form#event-entry")
    form.locator("select[name=activity]").select_option(SESSIONS)
    form.locator("select[name=kind]").select_option("communication")
    form.locator("input[name=title]").fill(title)
    form.locator("input[name=held_on]").fill(held_on)
    form.locator("input[name='n-F-minority-adult']").fill(str(women))
    form.locator("input[name='n-M-minority-adult']").fill(str(men))
    expect(form.locator(".count-total output")).to_contain_text(str(women + men))
    form.locator("button[type=submit]").click()
    expect(form.locator("input[name=title]")).to_have_value("")  # kept, the form ready again


def test_three_events_typed_offline_are_sent_once_and_a_locked_one_waits_to_be_fixed(
    phone_page: Page, ba_trang_plan, villages, village_head
) -> None:
    with_password(village_head)
    page = phone_page
    open_online(page, village_head.username)
    waiting = page.locator("#waiting li.entry")

    page.context.set_offline(True)
    expect(page.locator("#offline-status")).to_contain_text("0")
    record(page, "Truyền thông phòng chống tảo hôn", "2023-11-05", 20, 8)
    record(page, "Truyền thông bình đẳng giới", "2023-11-20", 12, 3)
    record(page, "Truyền thông phòng chống bạo lực gia đình", "2023-12-02", 9, 9)
    expect(waiting).to_have_count(3)

    response = page.reload()  # no signal: the worker answers
    assert response is not None and response.from_service_worker
    expect(waiting).to_have_count(3)
    expect(page.locator("#waiting-count")).to_have_text("3")
    expect(waiting.nth(1)).to_contain_text("Truyền thông bình đẳng giới")
    expect(waiting.nth(1)).to_contain_text("20/11/2023")
    expect(waiting.nth(1)).to_have_attribute("data-state", "waiting")
    assert not Event.objects.exists()

    DataLock.objects.create(  # the month's report approved meanwhile, for one day of them
        org_unit=ba_trang_plan.issuing_unit,
        period_start=datetime.date(2023, 11, 15),
        period_end=datetime.date(2023, 11, 30),
        reason="Báo cáo tháng 11 đã duyệt",
    )
    page.context.set_offline(False)

    expect(page.locator("#sent li.sent")).to_have_count(2)
    refused = page.locator("#waiting li.entry[data-state=refused]")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("Truyền thông bình đẳng giới")
    expect(refused.locator(".entry-error")).to_contain_text("Báo cáo tháng 11 đã duyệt")
    expect(refused.locator("button.entry-confirm")).to_be_hidden()  # only for a duplicate
    latest = Event.objects.get(title="Truyền thông phòng chống bạo lực gia đình")
    expect(page.locator("#sent li.sent a").first).to_have_attribute(
        "href", f"/su-kien/{latest.pk}/"
    )
    assert Event.objects.count() == 2

    page.locator("#send-now").dblclick()  # a double tap, then a reload: nothing sent twice
    page.reload()
    expect(refused).to_have_count(1)
    expect(refused.locator(".entry-error")).to_contain_text("Báo cáo tháng 11 đã duyệt")
    assert Event.objects.count() == 2

    refused.locator("button.entry-edit").click()
    form = page.locator("form#event-entry")
    expect(form.locator("input[name=title]")).to_have_value("Truyền thông bình đẳng giới")
    form.locator("input[name=held_on]").fill("2023-12-01")
    form.locator("button[type=submit]").click()

    expect(page.locator("#sent li.sent")).to_have_count(1)  # after the reload, this one
    expect(page.locator("#waiting li.entry")).to_have_count(0)
    expect(page.locator("#waiting-count")).to_have_text("0")
    assert Event.objects.count() == 3
    moved = Event.objects.get(title="Truyền thông bình đẳng giới")
    assert moved.held_on == datetime.date(2023, 12, 1)
    assert sum(c.count for c in moved.counts.all()) == 15
    assert {e.activity.code for e in Event.objects.all()} == {SESSIONS}
    assert page.evaluate(STORED) == []


def test_an_entry_that_breaks_the_rules_offline_is_shown_beside_its_fields_and_not_kept(
    phone_page: Page, ba_trang_plan, villages, village_head
) -> None:
    with_password(village_head)
    page = phone_page
    open_online(page, village_head.username)
    page.context.set_offline(True)
    page.reload()
    form = page.locator("form#event-entry")

    form.locator("select[name=activity]").select_option(SESSIONS)
    form.locator("input[name=held_on]").fill("2022-05-14")  # the plan is 2023's
    form.locator("button[type=submit]").click()

    with translation.override("vi"):  # the server's own check says the same
        expected = {
            p.field: p.message
            for p in event_check(
                EventInput(
                    plan=ba_trang_plan,
                    activity=ProgramElement.objects.get(code=SESSIONS),
                    kind="communication",
                    title="",
                    held_on=datetime.date(2022, 5, 14),
                    org_unit=villages["Nước Đang"],
                )
            )
        }
    assert {"title", "held_on", "participants"} <= set(expected)
    expect(page.locator("#entry-problems")).to_be_visible()
    for field in ("title", "held_on"):
        beside = form.locator(f".field:has([name={field}]) .field-error")
        expect(beside).to_have_text(expected[field])
    expect(form.locator("#ev-participants .field-error")).to_have_text(expected["participants"])
    expect(page.locator("#waiting li.entry")).to_have_count(0)
    assert page.evaluate(STORED) == []


def test_a_mother_s_proposal_is_checked_on_the_phone_then_kept_and_sent_once(
    phone_page: Page, villages, ethnic_groups
) -> None:
    before_reform = datetime.datetime(2025, 4, 1, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(before_reform, tick=True):  # thôn Nước Đang of xã Ba Trang then
        worker = UserFactory.create(username="yt.nuocdang", full_name="Đinh Thị Y")
        membership(worker, villages["Nước Đang"], "village_health_worker")
        with_password(worker)
        page = phone_page
        sign_in(page, worker.username)
        page.goto(PAGE)
        form = page.locator("form#case-entry")
        expect(form).to_be_visible()
        expect(page.locator("form#event-entry")).to_be_hidden()  # she records no event

        form.locator("button[type=submit]").click()  # nothing typed
        expect(form.locator(".field:has([name=full_name]) .field-error")).to_be_visible()
        expect(form.locator(".field:has([name=birth_year]) .field-error")).to_be_visible()
        expect(page.locator("#waiting li.entry")).to_have_count(0)

        form.locator("input[name=full_name]").fill("Đinh Thị Hoa")
        form.locator("input[name=birth_year]").fill("1998")
        form.locator("select[name=ethnic_code]").select_option("19")
        form.locator("select[name=household]").select_option("poor")
        form.locator("input[name=expected_on]").fill("2025-03-25")
        form.locator("input[name=delivered_on]").fill("2025-03-20")
        form.locator("select[name=place]").select_option("facility")
        form.locator("select[name=mode]").select_option("normal")
        form.locator("input[name=babies]").fill("1")
        form.locator("button[type=submit]").dblclick()  # a double tap

        expect(page.locator("#sent li.sent")).to_have_count(1)
        expect(page.locator("#sent")).to_contain_text("Đinh Thị Hoa")
        expect(page.locator("#waiting li.entry")).to_have_count(0)
        assert Mother.objects.count() == 1
        assert page.evaluate(STORED) == []


def test_an_event_already_recorded_waits_until_the_head_says_send_it_anyway(
    phone_page: Page, ba_trang_plan, villages, village_head
) -> None:
    with_password(village_head)
    event_create(  # the same session, recorded by someone else at the commune
        actor=village_head,
        data=EventInput(
            plan=ba_trang_plan,
            activity=ProgramElement.objects.get(code=SESSIONS),
            kind="communication",
            title="Truyền thông xóa bỏ tảo hôn",
            held_on=datetime.date(2023, 11, 5),
            org_unit=villages["Nước Đang"],
            counts=[CountInput("F", True, "adult", 20)],
        ),
    )
    page = phone_page
    open_online(page, village_head.username)

    record(page, "Truyền thông tảo hôn", "2023-11-05", 20, 0)

    refused = page.locator("#waiting li.entry[data-state=refused]")
    expect(refused).to_have_count(1)
    expect(refused.locator(".entry-error")).to_be_visible()
    assert Event.objects.count() == 1
    refused.locator("button.entry-confirm").click()
    expect(page.locator("#sent li.sent")).to_have_count(1)
    expect(page.locator("#waiting li.entry")).to_have_count(0)
    assert Event.objects.filter(title="Truyền thông tảo hôn").count() == 1
