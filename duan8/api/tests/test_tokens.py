"""API tokens on the web pages (one's own; an administrator's revoking), the ``api_token``
command, and what the API answers to a token that expired or was revoked."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from duan8.api.models import ApiToken
from duan8.api.tokens import api_token_create, api_token_revoke
from duan8.core.models import AuditEvent

KEY = re.compile(r"\b([A-Za-z0-9]{8}\.[A-Za-z0-9]{32})\b")


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids, whatever the Vietnamese catalogue says."""
    client.cookies["django_language"] = "en"


def _keys_in(response) -> list[str]:
    return KEY.findall(response.content.decode())


def _make(client, **fields):
    data = {"name": "Bảng số liệu tỉnh", "read_only": "on", "days": "90", "once": "k" * 20}
    data.update(fields)
    return client.post(reverse("api_tokens"), {k: v for k, v in data.items() if v is not None})


def _api(key: str | None = None) -> APIClient:
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# One's own tokens


def test_making_a_token_shows_its_key_once(client, commune_officer):
    client.force_login(commune_officer)

    made = _make(client)
    again = client.get(reverse("api_tokens"))

    token = ApiToken.objects.get(user=commune_officer)
    keys = _keys_in(made)
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    assert len(keys) == 1 and keys[0].startswith(token.prefix + ".")
    assert token.is_valid(keys[0])
    assert token.name == "Bảng số liệu tỉnh" and token.read_only
    assert again.status_code == 200
    assert _keys_in(again) == []
    assert token.prefix in again.content.decode()  # listed, by its prefix only
    assert AuditEvent.objects.filter(action="api.token.created", actor=commune_officer).count() == 1


def test_the_form_sent_twice_makes_one_token_and_does_not_show_the_key_again(
    client, commune_officer
):
    client.force_login(commune_officer)

    first = _make(client)
    second = _make(client)  # a double tap, or the browser sending the POST again on reload

    assert first.status_code == 200 and len(_keys_in(first)) == 1
    assert second.status_code == 302 and second["Location"] == reverse("api_tokens")
    assert ApiToken.objects.filter(user=commune_officer).count() == 1
    followed = client.get(second["Location"])
    assert "already sent" in followed.content.decode()
    assert _keys_in(followed) == []


def test_a_new_form_key_makes_a_second_token(client, commune_officer):
    client.force_login(commune_officer)

    _make(client)
    _make(client, once="m" * 20, read_only=None, days="7")

    tokens = ApiToken.objects.filter(user=commune_officer).order_by("created")
    assert tokens.count() == 2
    assert not tokens[1].read_only
    assert tokens[1].expiry_date.date() == (timezone.now() + datetime.timedelta(days=7)).date()


def test_a_token_must_have_a_name_and_last_1_to_365_days(client, commune_officer):
    client.force_login(commune_officer)

    nameless = _make(client, name="   ")
    too_long = _make(client, once="m" * 20, days="366")
    corrected = _make(client, once="m" * 20)  # the failed form's key stays free

    assert nameless.status_code == 400 and too_long.status_code == 400
    assert "This field is required." in nameless.content.decode()
    assert "less than or equal to 365" in too_long.content.decode()
    assert corrected.status_code == 200
    assert ApiToken.objects.filter(user=commune_officer).count() == 1


def test_the_page_lists_only_ones_own_tokens(client, commune_officer, other_commune_officer):
    own, _key = api_token_create(actor=commune_officer, name="Mine")
    other, _key = api_token_create(actor=other_commune_officer, name="Someone else's")
    api_token_revoke(
        actor=commune_officer, token=api_token_create(actor=commune_officer, name="Old")[0]
    )
    client.force_login(commune_officer)

    html = client.get(reverse("api_tokens")).content.decode()

    assert own.prefix in html and "Mine" in html
    assert "Revoked" in html and "read only" in html
    assert other.prefix not in html and "Someone else" not in html


def test_one_revokes_ones_own_token(client, commune_officer):
    token, key = api_token_create(actor=commune_officer, name="Mine")
    client.force_login(commune_officer)

    response = client.post(reverse("api_token_revoke", kwargs={"prefix": token.prefix}))

    token.refresh_from_db()
    assert response.status_code == 302
    assert token.revoked and token.revoked_by == commune_officer
    assert AuditEvent.objects.filter(action="api.token.revoked", message=token.prefix).exists()
    assert _api(key).get(reverse("api:orgunit_list")).status_code == 401


def test_another_users_token_is_not_found_on_ones_own_page(
    client, commune_officer, other_commune_officer
):
    token, _key = api_token_create(actor=other_commune_officer, name="Theirs")
    client.force_login(commune_officer)

    response = client.post(reverse("api_token_revoke", kwargs={"prefix": token.prefix}))
    opened = client.get(reverse("api_token_revoke", kwargs={"prefix": token.prefix}))

    token.refresh_from_db()
    assert response.status_code == 404
    assert opened.status_code == 405
    assert not token.revoked


def test_the_token_pages_need_a_sign_in(client, commune_officer):
    response = client.get(reverse("api_tokens"))

    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# An administrator's revoking, on the user's page


def test_an_administrator_sees_and_revokes_a_managed_users_token(
    client, commune_officer, village_head
):
    token, _key = api_token_create(actor=village_head, name="Điện thoại thôn")
    client.force_login(commune_officer)

    page = client.get(reverse("user_detail", kwargs={"pk": village_head.pk}))
    url = reverse("user_api_token_revoke", kwargs={"pk": village_head.pk, "prefix": token.prefix})
    response = client.post(url)

    token.refresh_from_db()
    assert token.prefix in page.content.decode() and url in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("user_detail", kwargs={"pk": village_head.pk})
    assert token.revoked and token.revoked_by == commune_officer
    event = AuditEvent.objects.get(action="api.token.revoked")
    assert event.actor == commune_officer and event.message == token.prefix


def test_an_officer_of_another_commune_cannot_revoke_the_token(
    client, other_commune_officer, village_head
):
    token, _key = api_token_create(actor=village_head, name="Điện thoại thôn")
    client.force_login(other_commune_officer)

    url = reverse("user_api_token_revoke", kwargs={"pk": village_head.pk, "prefix": token.prefix})
    response = client.post(url)

    token.refresh_from_db()
    assert response.status_code == 404
    assert not token.revoked


def test_the_owner_cannot_use_the_administrators_address(client, village_head):
    token, _key = api_token_create(actor=village_head, name="Điện thoại thôn")
    client.force_login(village_head)

    url = reverse("user_api_token_revoke", kwargs={"pk": village_head.pk, "prefix": token.prefix})
    response = client.post(url)

    token.refresh_from_db()
    assert response.status_code in (403, 404)
    assert not token.revoked


def test_a_token_of_another_user_under_a_managed_users_address_is_not_found(
    client, commune_officer, village_head, other_commune_officer
):
    token, _key = api_token_create(actor=other_commune_officer, name="Theirs")
    client.force_login(commune_officer)

    url = reverse("user_api_token_revoke", kwargs={"pk": village_head.pk, "prefix": token.prefix})
    response = client.post(url)

    token.refresh_from_db()
    assert response.status_code == 404
    assert not token.revoked


def test_an_administrator_who_lacks_the_users_rights_is_refused(client, commune_officer, ba_trang):
    from duan8.accounts.tests.factories import UserFactory, membership

    leader = UserFactory(username="ct.test")
    membership(leader, ba_trang, "commune_leader")  # rights a Women's Union officer lacks
    token, _key = api_token_create(actor=leader, name="Lãnh đạo")
    client.force_login(commune_officer)

    url = reverse("user_api_token_revoke", kwargs={"pk": leader.pk, "prefix": token.prefix})
    response = client.post(url)

    token.refresh_from_db()
    assert response.status_code in (403, 404)
    assert not token.revoked


# The command


def test_the_command_prints_a_key_that_authenticates(commune_officer):
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "api_token", "--user", commune_officer.username, "--days", "30", stdout=out, stderr=err
    )

    key = out.getvalue().strip()
    token = ApiToken.objects.get(user=commune_officer)
    assert out.getvalue().count("\n") == 1 and KEY.fullmatch(key)
    assert token.prefix in err.getvalue() and key not in err.getvalue()
    assert not token.read_only
    assert token.expiry_date.date() == (timezone.now() + datetime.timedelta(days=30)).date()
    assert _api(key).get(reverse("api:orgunit_list")).status_code == 200


def test_a_read_only_token_of_the_command_cannot_write(commune_officer):
    out = io.StringIO()
    call_command(
        "api_token",
        "--user",
        commune_officer.username,
        "--read-only",
        "--name",
        "Bảng",
        stdout=out,
        stderr=io.StringIO(),
    )
    writer = io.StringIO()
    call_command(
        "api_token", "--user", commune_officer.username, stdout=writer, stderr=io.StringIO()
    )

    refused = _api(out.getvalue().strip()).post(reverse("api:orgunit_list"), {}, format="json")
    allowed = _api(writer.getvalue().strip()).post(reverse("api:orgunit_list"), {}, format="json")

    assert ApiToken.objects.get(name="Bảng").read_only
    assert refused.status_code == 403
    assert "may only read" in refused.json()["detail"]
    assert allowed.status_code == 405  # past the scope check: the list has no POST


def test_the_command_refuses_an_unknown_user_or_a_bad_length(db, commune_officer):
    with pytest.raises(CommandError, match="No user"):
        call_command("api_token", "--user", "nobody", stdout=io.StringIO())
    with pytest.raises(CommandError, match="1 to 365"):
        call_command(
            "api_token", "--user", commune_officer.username, "--days", "0", stdout=io.StringIO()
        )

    assert not ApiToken.objects.exists()


# Expired and revoked tokens over the API


def test_an_expired_token_is_refused_with_401(commune_officer):
    token, key = api_token_create(actor=commune_officer, name="Cũ")
    ApiToken.objects.filter(pk=token.pk).update(
        expiry_date=timezone.now() - datetime.timedelta(days=1)
    )

    response = _api(key).get(reverse("api:orgunit_list"))

    assert response.status_code == 401
    assert response.json()["code"] == "token_refused"
    assert "expired" in response.json()["detail"]
    assert AuditEvent.objects.filter(action="api.token.refused", actor=commune_officer).exists()


def test_a_revoked_token_is_refused_with_401(commune_officer, village_head):
    token, key = api_token_create(actor=village_head, name="Thôn")
    api_token_revoke(actor=commune_officer, token=token)

    response = _api(key).get(reverse("api:orgunit_list"))

    assert response.status_code == 401
    assert response.json()["code"] == "token_refused"
    assert "revoked" in response.json()["detail"]


def test_a_wrong_key_is_refused_with_401(commune_officer):
    token, key = api_token_create(actor=commune_officer, name="Đúng")

    response = _api(token.prefix + "." + "x" * 32).get(reverse("api:orgunit_list"))

    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"
