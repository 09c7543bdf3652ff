"""Browser tests: Playwright (sync API) drives Debian's Chromium against the live server.

Chromium comes from the system (``apt-get install chromium``), never from ``playwright install``.
Without it the tests are skipped on a developer machine and fail in CI (env ``CI`` set), so CI
cannot pass with the browser tests silently left out.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API keeps an event loop in the main thread; Django's async-safety check
# would then refuse ORM calls made by the test itself (creating users, asserting rows).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_VIEWPORT = {"width": 360, "height": 740}
TIMEOUT_MS = 10_000

BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser carries the ``browser`` marker (``-m "not browser"``)."""
    for item in items:
        if BROWSER_DIR in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def chromium_path() -> str | None:
    found = shutil.which("chromium") or "/usr/bin/chromium"
    return found if os.access(found, os.X_OK) else None


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        message = "Chromium not found: install Debian's chromium (make system-deps)."
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _new_page(
    browser: Browser, live_server: LiveServer, **context_options: Any
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A desktop-sized page; relative URLs (``page.goto("/login/")``) go to the live server."""
    context, page = _new_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A page the size of a small phone (360×740, touch), against the live server."""
    context, page = _new_page(
        browser, live_server, viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True
    )
    yield page
    context.close()
