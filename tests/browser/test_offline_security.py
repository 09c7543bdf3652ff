"""What the offline entry page keeps on a phone, and for whom (issue 17): signing out deletes the
entries typed there after a warning naming how many are unsent; another account signing in on
the same phone never sees nor sends them; a sign-in that ends while out of range loses nothing."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Dialog, Page, expect

from duan8.activities.models import Event
from duan8.offline import views
from tests.browser.helpers import (
    PASSWORD,
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    wait_until,
    with_password,
)

PAGE = "/nhap-ngoai-tuyen/"
SESSIONS = "1719.GD1.DA8.ND1.HD2.2"  # a communication session of the 2023 plan
PAGE_CACHE = "duan8-offline-pages"
WARNING = (
    "Entries typed on this phone have not been sent yet: {count}. Signing out deletes them "
    "from this phone. Sign out anyway?"
)

CONTROLLED = "() => navigator.serviceWorker.controller !== null"
PAGE_CACHED = """() => caches.open("duan8-offline-pages").then(c => c.keys()).then(keys =>
    keys.some(k => k.url.endsWith("/nhap-ngoai-tuyen/"))
    && keys.some(k => k.url.endsWith("/du-lieu.json")))"""
# The entries on the phone, read as another script would (null: there is no store at all). The
# list of databases is read first: opening a database that is not there would create it.
ENTRIES = """() => indexedDB.databases().then(dbs => {
    if (!dbs.some(d => d.name === "duan8-offline")) { return null; }
    return new Promise((done, fail) => {
      const open = indexedDB.open("duan8-offline");
      open.onerror = () => fail(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains("entries")) { db.close(); done([]); return; }
        const all = db.transaction("entries").objectStore("entries").getAll();
        all.onsuccess = () => { db.close(); done(all.result); };
      };
    });
  })"""
HAS_PAGE_CACHE = "() => caches.has('duan8-offline-pages')"
NO_STORE = "() => indexedDB.databases().then(dbs => !dbs.some(d => d.name === 'duan8-offline'))"


def signed_in(page: Page, username: str) -> None:
    """``sign_in``, then waits until the sign-in page has gone (its own wait for "**/" is
    already met by "/login/": a navigation right after it could cancel the form's POST)."""
    sign_in(page, username)
    page.wait_for_url(lambda url: "/login/" not in url)


def open_online(page: Page, username: str) -> None:
    """Signed in, the page opened with a signal and kept by the worker for later."""
    signed_in(page, username)
    page.goto(PAGE)
    page.wait_for_function(CONTROLLED)
    wait_until(page, lambda: page.evaluate(PAGE_CACHED))
    expect(page.locator("form#event-entry")).to_be_visible()


def record(page: Page, title: str, held_on: str = "2023-11-20", women: int = 12) -> None:
    """One event typed in the page's form and kept on the phone."""
    form = page.locator("form#event-entry")
    form.locator("select[name=activity]").select_option(SESSIONS)
    form.locator("select[name=kind]").select_option("communication")
    form.locator("input[name=title]").fill(title)
    form.locator("input[name=held_on]").fill(held_on)
    form.locator("input[name='n-F-minority-adult']").fill(str(women))
    form.locator("button[type=submit]").click()
    expect(form.locator("input[name=title]")).to_have_value("")  # kept, the form ready again


def sign_out_button(page: Page) -> Any:
    page.locator("summary.site-menu-toggle").click()  # the menu folds on a phone
    return page.locator("form[data-signout] button[type=submit]")


def warning(count: int) -> str:
    with translation.override("vi"):
        return gettext(WARNING).replace("{count}", str(count))


def is_signed_in(page: Page) -> bool:
    response = page.request.get(PAGE, max_redirects=0)
    return response.status == 200


# --- (a) signing out ------------------------------------------------------------------------


def test_signing_out_warns_of_unsent_entries_and_deletes_them_only_when_confirmed(
    phone_page: Page, ba_trang_plan: Any, villages: Any, village_head: Any
) -> None:
    with_password(village_head)
    page = phone_page
    open_online(page, village_head.username)
    page.context.set_offline(True)
    record(page, "Truyền thông phòng chống tảo hôn")
    record(page, "Truyền thông bình đẳng giới")
    expect(page.locator("#waiting li.entry")).to_have_count(2)
    page.route("**/api/v1/events/", lambda route: route.abort())  # the server unreachable
    page.context.set_offline(False)  # signed out with a signal, before the entries went
    messages: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    sign_out_button(page).click()

    wait_until(page, lambda: messages)
    expect(page.locator("#waiting li.entry")).to_have_count(2)
    assert messages == [warning(2)]
    assert page.url.endswith(PAGE)
    assert is_signed_in(page)
    assert len(page.evaluate(ENTRIES)) == 2
    assert page.evaluate(HAS_PAGE_CACHE)

    def accept(dialog: Dialog) -> None:
        messages.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.locator("form[data-signout] button[type=submit]").click()

    page.wait_for_url("**/login/**")
    wait_until(page, lambda: len(messages) == 2)
    assert messages == [warning(2), warning(2)]
    assert not is_signed_in(page)
    wait_until(page, lambda: page.evaluate(NO_STORE))
    assert page.evaluate(ENTRIES) is None
    assert not page.evaluate(HAS_PAGE_CACHE)
    assert not Event.objects.exists()


def test_signing_out_with_nothing_unsent_asks_nothing(
    phone_page: Page, ba_trang_plan: Any, villages: Any, village_head: Any
) -> None:
    with_password(village_head)
    page = phone_page
    open_online(page, village_head.username)
    record(page, "Truyền thông phòng chống tảo hôn")  # with a signal: sent at once
    expect(page.locator("#sent li.sent")).to_have_count(1)
    expect(page.locator("#waiting-count")).to_have_text("0")
    messages: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)

    sign_out_button(page).click()

    page.wait_for_url("**/login/**")
    assert messages == []
    assert not is_signed_in(page)
    assert not page.evaluate(HAS_PAGE_CACHE)
    assert Event.objects.count() == 1


# --- (b) another account on the same phone ----------------------------------------------------


def test_another_account_on_the_same_phone_neither_sees_nor_sends_the_first_one_s_entries(
    phone_page: Page, ba_trang_plan: Any, villages: Any, village_head: Any, bui_hui_head: Any
) -> None:
    with_password(village_head)
    with_password(bui_hui_head)
    page = phone_page
    open_online(page, village_head.username)
    page.context.set_offline(True)
    record(page, "Truyền thông của thôn Nước Đang")
    expect(page.locator("#waiting li.entry")).to_have_count(1)
    Session.objects.all().delete()  # his sign-in ends (times out) without signing out
    page.context.set_offline(False)

    signed_in(page, bui_hui_head.username)
    page.goto(PAGE)
    expect(page.locator("form#event-entry")).to_be_visible()

    expect(page.locator("#other-account")).to_be_visible()
    expect(page.locator("#other-account")).to_contain_text("1")
    expect(page.locator("#waiting li.entry")).to_have_count(0)
    expect(page.locator("#waiting-count")).to_have_text("0")
    expect(page.locator("#waiting")).not_to_contain_text("Nước Đang")
    expect(page.locator("form#event-entry select[name=org_unit]")).not_to_contain_text("Nước Đang")
    page.locator("#send-now").click()
    page.reload()
    expect(page.locator("#other-account")).to_contain_text("1")

    assert not Event.objects.exists()  # under neither account
    (kept,) = page.evaluate(ENTRIES)
    assert kept["user"] == village_head.pk and kept["state"] == "waiting"


def test_on_a_slow_signal_another_account_is_not_shown_the_first_one_s_entries(
    phone_page: Page,
    ba_trang_plan: Any,
    villages: Any,
    village_head: Any,
    bui_hui_head: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker answers with its kept copy of the data when the network takes more than 4 s:
    that copy is the first account's, and must not make his entries appear as the second's."""
    with_password(village_head)
    with_password(bui_hui_head)
    page = phone_page
    open_online(page, village_head.username)
    page.context.set_offline(True)
    record(page, "Truyền thông của thôn Nước Đang")
    Session.objects.all().delete()
    page.context.set_offline(False)
    signed_in(page, bui_hui_head.username)
    quick = views.bootstrap

    def slow(request: Any) -> Any:  # a weak signal: the data arrives after 6 s
        time.sleep(6)
        return quick(request)

    monkeypatch.setattr(views, "bootstrap", slow)

    page.goto(PAGE)
    page.wait_for_timeout(5000)  # the worker has given up waiting for the network

    expect(page.locator("#waiting li.entry")).to_have_count(0)
    expect(page.locator("#waiting")).not_to_contain_text("Nước Đang")
    expect(page.locator("form#event-entry select[name=org_unit]")).not_to_contain_text("Nước Đang")
    page.wait_for_timeout(3000)  # the network's answer has come
    expect(page.locator("#other-account")).to_contain_text("1")
    assert not Event.objects.exists()


# --- (c) the sign-in ending while out of range ----------------------------------------------


def test_an_entry_typed_when_the_sign_in_ended_waits_and_is_sent_once_after_signing_in_again(
    phone_page: Page, ba_trang_plan: Any, villages: Any, village_head: Any
) -> None:
    with_password(village_head)
    page = phone_page
    open_online(page, village_head.username)
    page.context.set_offline(True)
    record(page, "Truyền thông khi mất sóng")
    expect(page.locator("#waiting li.entry")).to_have_count(1)

    Session.objects.all().delete()  # his sign-in ends on the server meanwhile
    page.context.set_offline(False)

    expect(page.locator("#signin-needed")).to_be_visible()
    expect(page.locator("#waiting li.entry")).to_have_count(1)
    expect(page.locator("#waiting li.entry")).to_have_attribute("data-state", "waiting")
    assert not Event.objects.exists()

    page.locator("#signin-needed a").click()  # sign in again, and come back to the page
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(village_head.username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_url(f"**{PAGE}")

    expect(page.locator("#sent li.sent")).to_have_count(1)
    expect(page.locator("#waiting li.entry")).to_have_count(0)
    expect(page.locator("#signin-needed")).to_be_hidden()
    page.locator("#send-now").click()  # once more: nothing sent twice
    page.reload()
    expect(page.locator("#waiting-count")).to_have_text("0")
    event = Event.objects.get()
    assert event.title == "Truyền thông khi mất sóng"
    assert event.org_unit == villages["Nước Đang"]
    assert page.evaluate(ENTRIES) == []


def test_signing_out_in_another_tab_deletes_the_entries_the_entry_page_holds_open(
    phone_page: Page, ba_trang_plan: Any, villages: Any, village_head: Any
) -> None:
    with_password(village_head)
    page = phone_page
    open_online(page, village_head.username)
    page.context.set_offline(True)
    record(page, "Truyền thông phòng chống tảo hôn")
    expect(page.locator("#waiting li.entry")).to_have_count(1)
    page.context.route("**/api/v1/events/", lambda route: route.abort())
    page.context.set_offline(False)
    other = page.context.new_page()  # the home page in a second tab
    other.goto("/")
    messages: list[str] = []

    def accept(dialog: Dialog) -> None:
        messages.append(dialog.message)
        dialog.accept()

    other.once("dialog", accept)
    sign_out_button(other).click()

    other.wait_for_url("**/login/**")
    assert messages == [warning(1)]
    wait_until(other, lambda: other.evaluate(NO_STORE))
    assert not other.evaluate(HAS_PAGE_CACHE)
    assert not is_signed_in(other)
    assert not Event.objects.exists()
