import pytest
from django.conf import settings
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory

PASSWORD = "matkhau-demo-2023"


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids, whatever the Vietnamese catalogue says."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def user(db):
    return UserFactory(username="hoa", full_name="Đinh Thị Hoa")


def test_login_page_is_open_and_asks_for_username_and_password(client, db):
    response = client.get(reverse("login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_login_page_has_no_inline_script_or_style(client, db):
    response = client.get(reverse("login"))

    html = response.content.decode()
    assert response.status_code == 200 and 'name="password"' in html
    assert "<script>" not in html
    assert "<style" not in html
    assert " style=" not in html


def test_user_signs_in_and_lands_on_home(client, user):
    response = client.post(reverse("login"), {"username": "hoa", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).context["user"] == user


def test_a_wrong_password_keeps_the_user_out(client, user):
    response = client.post(reverse("login"), {"username": "hoa", "password": "sai"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_a_locked_out_account_is_told_so(client, user, settings):
    settings.LOGIN_MAX_FAILURES = 2
    client.post(reverse("login"), {"username": "hoa", "password": "sai"})
    client.post(reverse("login"), {"username": "hoa", "password": "sai"})

    response = client.post(reverse("login"), {"username": "hoa", "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed attempts for this account." in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_signed_in_user_is_sent_from_login_to_home(client, user):
    client.force_login(user)

    response = client.get(reverse("login"))

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_pages_send_anonymous_visitors_to_login(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


def test_sign_out_is_a_post(client, user):
    client.force_login(user)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_language_can_be_switched_before_signing_in(client, db):
    response = client.post(reverse("language"), {"language": "en", "next": reverse("login")})

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_footer_offers_both_languages(client, user):
    client.force_login(user)

    html = client.get(reverse("home")).content.decode()

    assert f'action="{reverse("language")}"' in html
    assert 'name="language" value="vi"' in html
    assert 'name="language" value="en"' in html
