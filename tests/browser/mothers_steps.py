"""Steps shared by the browser tests of the mothers' registry (issue 13): a signed-in browser
per person (each in her own context, as on her own phone or computer), the page's messages in
the language the browser asks for, and the world of the cycle (rules, consent texts, passwords).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from duan8.accounts.models import User
from duan8.mothers.services.consent import consent_texts_load
from duan8.mothers.tests.entitlement_cases import rules_world
from duan8.mothers.tests.payments_setup import package_budget
from tests.browser.conftest import PHONE_VIEWPORT, TIMEOUT_MS
from tests.browser.helpers import sign_in, with_password

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def in_vietnamese(msgid: str) -> str:
    """A message as the page shows it: the browser asks for Vietnamese."""
    with translation.override("vi"):
        return gettext(msgid)


@contextmanager
def signed_in(
    browser: Browser, live_server: LiveServer, user: User, *, phone: bool = False
) -> Iterator[Page]:
    """A page of a browser of her own, signed in as ``user`` through the login form."""
    options: dict[str, Any] = {"base_url": live_server.url, "locale": "vi-VN"}
    if phone:
        options.update(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        sign_in(page, user.username)
        yield page
    finally:
        context.close()


@pytest.fixture(name="mothers_cycle")
def mothers_cycle_fixture(mothers_world: Any) -> Any:
    """``mothers_world`` with what the live server's flush took and the cycle needs: the
    packages' rules (the province list linked to the map of the test), thôn Nước Đang and Bùi
    Hui ĐBKK, the consent texts; and a password for everyone who signs in. The test module
    imports ``mothers_world`` too (duan8/mothers/tests/conftest.py is not its conftest)."""
    world = mothers_world
    rules_world(world.villages)
    consent_texts_load()
    # the payment is also a voucher of the commune's accounts: its 2025 plan and allocation
    package_budget(world.commune, 2025)
    for user in (
        world.health_station,
        world.officer,
        world.leader,
        world.accountant,
        world.province_reviewer,
    ):
        with_password(user)
    return world


def xlsx_cells(content: bytes) -> list[list[object]]:
    """The rows of the first sheet of a workbook, as values."""
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
