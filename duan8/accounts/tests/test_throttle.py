"""Issue 10, point 3: failed sign-ins cannot lock everyone out.

Only the account under attack is locked; failures from one address (which, behind a proxy or a
shared connection, is everybody's) never refuse a right password for another account. The
address is read from X-Forwarded-For only behind TRUSTED_PROXY_COUNT trusted proxies.
"""

import secrets

import pytest
from django.urls import reverse

from duan8.accounts.models import LoginFailure
from duan8.accounts.tests.factories import UserFactory
from duan8.core.models import AuditEvent

PASSWORD = "matkhau-demo-2023"
LOGIN = reverse("login")
PROXY = "10.0.0.2"  # the nginx in front of the app


@pytest.fixture
def hoa(db):
    return UserFactory(username="hoa", full_name="Đinh Thị Hoa")


def sign_in(client, username: str, password: str, address: str = PROXY, **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def test_thirty_random_names_from_one_address_do_not_stop_another_users_right_password(
    client, hoa, settings
):
    assert settings.LOGIN_MAX_FAILURES_PER_ADDRESS <= 30
    for _ in range(35):
        sign_in(client, f"x-{secrets.token_hex(4)}", "doan-bua")

    response = sign_in(client, "hoa", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert LoginFailure.objects.filter(ip_address=PROXY).count() == 35


def test_the_failures_from_a_suspect_address_are_told_so(client, hoa, settings):
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    client.cookies["django_language"] = "en"
    for name in ("a", "b", "c"):
        sign_in(client, name, "doan-bua")

    response = sign_in(client, "hoa", "sai-mat-khau")

    assert response.status_code == 200
    assert "Many failed sign-ins have come from your network" in response.content.decode()


def test_repeated_failures_against_one_account_lock_that_account_in_vietnamese(
    client, hoa, settings
):
    settings.LOGIN_MAX_FAILURES = 5
    for _ in range(5):
        sign_in(client, "hoa", "doan-bua", address="203.0.113.9")

    locked = sign_in(client, "hoa", PASSWORD)  # the right password, from another address

    html = locked.content.decode()
    assert locked.status_code == 200
    assert "Tài khoản này đã bị đăng nhập sai quá nhiều lần" in html
    assert "15 phút" in html
    assert client.get(reverse("home")).status_code == 302


def test_an_account_locked_by_an_attacker_does_not_lock_its_neighbours(client, hoa, settings):
    UserFactory(username="lan")
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        sign_in(client, "hoa", "doan-bua")

    assert sign_in(client, "lan", PASSWORD).status_code == 302


def test_without_the_proxy_setting_a_forged_forwarded_address_is_ignored(client, hoa, settings):
    settings.TRUSTED_PROXY_COUNT = 0

    sign_in(client, "hoa", "sai", address="198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4")

    assert LoginFailure.objects.get().ip_address == "198.51.100.7"
    failed = AuditEvent.objects.get(action="accounts.login_failed")
    assert failed.ip_address == "198.51.100.7"


def test_behind_the_proxy_the_forwarded_address_is_used_and_a_forged_one_is_not(
    client, hoa, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged "1.2.3.4"; nginx appended the address it saw (198.51.100.7).
    forwarded = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7"}

    sign_in(client, "hoa", "sai", **forwarded)
    sign_in(client, "hoa", PASSWORD, **forwarded)

    assert LoginFailure.objects.get().ip_address == "198.51.100.7"
    assert AuditEvent.objects.get(action="accounts.login_failed").ip_address == "198.51.100.7"
    assert AuditEvent.objects.get(action="accounts.login").ip_address == "198.51.100.7"


def test_behind_the_proxy_one_attacker_does_not_share_the_count_of_other_clients(
    client, hoa, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    client.cookies["django_language"] = "en"
    for name in ("a", "b", "c"):
        sign_in(client, name, "doan-bua", HTTP_X_FORWARDED_FOR="203.0.113.66")

    response = sign_in(client, "hoa", "sai", HTTP_X_FORWARDED_FOR="198.51.100.7")
    attacker = sign_in(client, "hoa", "sai", HTTP_X_FORWARDED_FOR="203.0.113.66")

    assert response.status_code == 200 and response.context["form"].errors  # a plain refusal
    assert "Many failed sign-ins" not in response.content.decode()
    assert "Many failed sign-ins" in attacker.content.decode()  # told to the attacker only


# Known devices: the owner's own browser is not locked out by a stranger's failures


def test_a_locked_account_still_signs_in_from_a_browser_it_used_before(client, hoa, settings):
    from django.test import Client

    settings.LOGIN_MAX_FAILURES = 3
    assert sign_in(client, "hoa", PASSWORD).status_code == 302  # her phone, last week
    client.post(reverse("logout"))
    attacker = Client()
    for _ in range(3):
        sign_in(attacker, "hoa", "doan-bua", address="203.0.113.9")

    stranger = sign_in(Client(), "hoa", PASSWORD)
    own = sign_in(client, "hoa", PASSWORD)

    assert stranger.status_code == 200  # locked for browsers it never used
    assert own.status_code == 302


def test_a_known_browser_that_fails_too_often_is_locked_too(client, hoa, settings):
    settings.LOGIN_MAX_FAILURES = 3
    sign_in(client, "hoa", PASSWORD)
    client.post(reverse("logout"))
    for _ in range(3):
        sign_in(client, "hoa", "doan-bua")

    assert sign_in(client, "hoa", PASSWORD).status_code == 200


def test_the_device_cookie_of_one_account_does_not_open_another(client, hoa, settings):
    UserFactory(username="lan")
    settings.LOGIN_MAX_FAILURES = 3
    sign_in(client, "hoa", PASSWORD)
    client.post(reverse("logout"))
    for _ in range(3):
        sign_in(client.__class__(), "lan", "doan-bua")

    assert sign_in(client, "lan", PASSWORD).status_code == 200
