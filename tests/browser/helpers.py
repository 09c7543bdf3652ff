"""Shared steps of the browser tests."""

import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from duan8.accounts.models import User
from duan8.testing import default_roles_load

PASSWORD = "Ba-Trang-2023!"


def with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Through the login form, as a user would; waits until the home page is shown."""
    page.goto("/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit], input[type=submit]").first.click()
    # "**/" alone is met by /login/ itself: a navigation right after could cancel the POST
    page.wait_for_url(lambda url: "/login/" not in url)


def csrf_token(page: Page) -> str:
    """The token of a form on the page (the sign-out form is on every page)."""
    return page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value") or ""


@pytest.fixture(autouse=True)
def default_roles(transactional_db: None) -> None:
    """The roles of the data migration, again: the live server's tests flush the database."""
    default_roles_load()


def wait_until(page: Page, check: Callable[[], Any], timeout_s: float = 10) -> Any:
    """Polls ``check`` until it answers something true, letting the page's events (dialogs,
    responses) reach their handlers meanwhile; fails after ``timeout_s``. For a check that needs
    a promise awaited (caches, IndexedDB), give it ``lambda: page.evaluate(script)``:
    ``wait_for_function`` treats a promise as true at once."""
    deadline = time.monotonic() + timeout_s
    while True:
        answer = check()
        if answer:
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_s} s: {check}")
        page.wait_for_timeout(100)
