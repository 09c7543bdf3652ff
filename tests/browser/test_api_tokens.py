"""The API from a browser (issue 16): an officer makes a key on "Khoá API của tôi", sees it once,
a program reads her commune with it; the documentation page renders from our own files."""

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from duan8.accounts.models import User
from duan8.accounts.tests.factories import membership
from tests.browser.test_smoke import PASSWORD, sign_in


def test_an_officer_makes_a_key_and_a_program_reads_her_commune(
    page: Page, live_server: LiveServer, default_roles_again, ba_trang, villages
) -> None:
    officer = User.objects.create_user(username="hlhpn.thu", password=PASSWORD)
    membership(officer, ba_trang, "commune_wu_officer")
    sign_in(page, "hlhpn.thu", PASSWORD)

    page.goto("/tai-khoan/khoa-api/")
    page.get_by_label("Tên").fill("Bảng số liệu của tỉnh")
    page.get_by_role("button", name="Tạo khoá").click()
    key = page.locator("#new-key").input_value()
    page.reload()
    answer = page.request.get(
        f"{live_server.url}/api/v1/org-units/?level=4", headers={"Authorization": f"Token {key}"}
    )

    assert "." in key and len(key) > 30
    expect(page.locator("#new-key")).to_have_count(0)  # shown once, in the form's answer only
    expect(page.get_by_role("cell", name="Bảng số liệu của tỉnh")).to_be_visible()
    assert answer.status == 200
    assert {unit["name"] for unit in answer.json()["results"]} == set(villages)


def test_the_documentation_page_renders_with_no_file_from_elsewhere(
    page: Page, live_server: LiveServer
) -> None:
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security" in message.text else None
        ),
    )

    page.goto("/api/v1/docs/")

    expect(page.locator(".swagger-ui")).to_be_visible()
    expect(page.get_by_text("/api/v1/org-units/", exact=True).first).to_be_visible()
    assert elsewhere == []
    assert blocked == []
