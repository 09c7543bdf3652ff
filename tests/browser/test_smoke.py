"""Smoke test of the browser harness: a user signs in through the login page."""

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from duan8.accounts.models import User

PASSWORD = "Ba-Trang-2023!"


def sign_in(page: Page, username: str, password: str) -> None:
    page.goto("/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit], input[type=submit]").first.click()


def test_user_signs_in_and_lands_on_home(page: Page, live_server: LiveServer) -> None:
    User.objects.create_user(username="canbo.xa", password=PASSWORD)

    sign_in(page, "canbo.xa", PASSWORD)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("input[name=password]")).to_have_count(0)


def test_login_page_fits_a_phone_screen(phone_page: Page) -> None:
    phone_page.goto("/login/")

    expect(phone_page.locator("input[name=username]")).to_be_visible()
    overflow = phone_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
