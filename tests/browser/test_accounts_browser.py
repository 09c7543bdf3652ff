"""Issue 10 in a real browser: the forced password change after a reset, and the unit search of
the user forms with and without JavaScript."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.testing import _village
from tests.browser.conftest import _new_page
from tests.browser.helpers import (
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    with_password,
)

RESET = "Dat-lai-2024-boi-xa"
OWN = "Cua-toi-2024-Nuoc-Dang"


def test_after_a_reset_the_village_head_must_choose_his_own_password(
    page: Page, commune_officer, village_head
) -> None:
    with_password(commune_officer)
    sign_in(page, commune_officer.username)
    page.goto(f"/nguoi-dung/{village_head.pk}/dat-lai-mat-khau/")
    page.fill("input[name=password1]", RESET)
    page.fill("input[name=password2]", RESET)
    page.click("form.stack button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("đăng nhập lần sau")
    page.click("form[action='/logout/'] button")
    page.wait_for_url("**/login/**")  # signout.js submits once it has cleared the phone's store

    sign_in(page, village_head.username, RESET)
    page.wait_for_url("**/doi-mat-khau/")
    expect(page.locator("h1")).to_have_text("Đổi mật khẩu của bạn")
    page.goto("/")
    assert page.url.endswith("/doi-mat-khau/")

    page.fill("input[name=old_password]", RESET)
    page.fill("input[name=new_password1]", OWN)
    page.fill("input[name=new_password2]", OWN)
    page.click("form.stack button[type=submit]")

    expect(page.locator(".messages")).to_contain_text("Đã đổi mật khẩu của bạn.")
    page.goto("/nguoi-dung/")  # any page opens again (here: 403, he manages nobody)
    assert not page.url.endswith("/doi-mat-khau/")


@pytest.fixture
def province_admin(quang_ngai, villages, ba_kham):
    _village(ba_kham, "21508-01", "Nước Đang")
    for i in range(2, 12):
        _village(ba_kham, f"21508-{i:02d}", f"Làng {i}")
    admin = with_password(UserFactory(username="qtht.quangngai"))
    membership(admin, quang_ngai, "system_admin")
    return admin


def _options(page: Page) -> list[str]:
    return [t for t in page.locator("#id_unit option").all_inner_texts() if t != "---------"]


def test_the_unit_list_filters_as_one_types(page: Page, province_admin) -> None:
    sign_in(page, province_admin.username)
    page.goto("/nguoi-dung/them/")
    assert len(_options(page)) == 16

    page.fill("#unit-search", "nuoc dang ba kham")

    assert _options(page) == ["Thôn Nước Đang – xã Ba Khâm – huyện Ba Tơ"]
    expect(page.locator("#unit-search-count")).to_have_text("1")
    page.select_option("#id_unit", label="Thôn Nước Đang – xã Ba Khâm – huyện Ba Tơ")
    page.fill("#unit-search", "")
    assert len(_options(page)) == 16


@pytest.fixture
def page_without_js(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context, page = _new_page(browser, live_server, java_script_enabled=False)
    yield page
    context.close()


def test_the_unit_search_works_without_javascript(page_without_js: Page, province_admin) -> None:
    page = page_without_js
    sign_in(page, province_admin.username)
    page.goto("/nguoi-dung/them/")

    page.fill("#unit-search", "Nước Đang")
    page.click("form[role=search] button[type=submit]")

    assert "unit_q=" in page.url
    assert _options(page) == [
        "Thôn Nước Đang – xã Ba Trang – huyện Ba Tơ",
        "Thôn Nước Đang – xã Ba Khâm – huyện Ba Tơ",
    ]
