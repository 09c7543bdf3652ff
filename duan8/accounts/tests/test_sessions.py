"""A session ends after SESSION_COOKIE_AGE without activity; activity renews it at most every
SESSION_RENEW_SECONDS, not with a database write on each page."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from duan8.accounts.models import User
from duan8.accounts.tests.factories import UserFactory

START = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def signed_in(client, db):
    user = UserFactory(username="hoa", full_name="Đinh Thị Hoa")
    with time_machine.travel(START, tick=False):
        client.force_login(user)
        client.get(reverse("home"))
    return client


def _expiry(client) -> datetime.datetime:
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return Session.objects.get(session_key=key).expire_date


def test_pages_within_the_renewal_interval_leave_the_session_row_alone(signed_in):
    first = _expiry(signed_in)

    with time_machine.travel(START + datetime.timedelta(seconds=60), tick=False):
        response = signed_in.get(reverse("home"))

    assert response.status_code == 200
    assert _expiry(signed_in) == first
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_activity_after_the_interval_renews_the_session(signed_in):
    first = _expiry(signed_in)
    later = START + datetime.timedelta(seconds=settings.SESSION_RENEW_SECONDS + 1)

    with time_machine.travel(later, tick=False):
        response = signed_in.get(reverse("home"))

    assert response.status_code == 200
    assert _expiry(signed_in) > first
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


def test_an_active_user_stays_signed_in_past_the_cookie_age(signed_in):
    step = datetime.timedelta(seconds=settings.SESSION_RENEW_SECONDS + 60)
    moment = START
    while moment < START + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE * 2):
        moment += step
        with time_machine.travel(moment, tick=False):
            assert signed_in.get(reverse("home")).status_code == 200


def test_an_idle_session_ends_after_the_cookie_age(signed_in):
    idle = START + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)

    with time_machine.travel(idle, tick=False):
        response = signed_in.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_anonymous_visit_stores_no_session(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert Session.objects.count() == 0


def test_an_api_call_with_a_token_stores_no_session(api, commune_officer):
    response = api(commune_officer).get(reverse("api:plan_list"))

    assert response.status_code == 200
    assert Session.objects.count() == 0
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_a_deactivated_account_is_signed_out_on_its_next_page(signed_in):
    User.objects.filter(username="hoa").update(is_active=False)

    with time_machine.travel(START + datetime.timedelta(seconds=60), tick=False):
        response = signed_in.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_session_key_the_server_never_gave_signs_no_one_in(signed_in):
    signed_in.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32

    with time_machine.travel(START + datetime.timedelta(seconds=60), tick=False):
        response = signed_in.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
