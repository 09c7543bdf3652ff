"""The API's common ground: tokens, errors in the caller's language, limits, throttling, and a
schema that documents every operation (issue 16, points 3, 6 and "Bad input")."""

import datetime

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from duan8.accounts.models import User
from duan8.api.models import ApiToken
from duan8.api.tokens import api_token_create, api_token_revoke
from duan8.core.models import AuditEvent

UNITS = "/api/v1/org-units/"


def _client(key: str, language: str | None = None) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    if language:
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def test_a_token_reads_the_units_of_its_owner_only(api, commune_officer, other_commune_officer):
    mine = api(commune_officer).get(UNITS).json()["results"]
    theirs = api(other_commune_officer).get(UNITS).json()["results"]

    assert "Ba Trang" in {u["name"] for u in mine}
    assert "Ba Trang" not in {u["name"] for u in theirs}


def test_the_key_is_kept_only_as_a_hash(commune_officer):
    token, key = api_token_create(actor=commune_officer, name="DHIS2 tỉnh")

    stored = ApiToken.objects.get(pk=token.pk)
    assert key.startswith(stored.prefix + ".")
    assert key.split(".", 1)[1] not in stored.hashed_key
    assert stored.hashed_key.startswith("sha512$$")
    assert stored.expiry_date > timezone.now() + datetime.timedelta(days=89)


@pytest.mark.parametrize(
    ("spoil", "vietnamese", "english"),
    [
        ("wrong", "không hợp lệ", "not valid"),
        ("revoked", "đã bị thu hồi", "was revoked"),
        ("expired", "đã hết hạn", "expired on"),
        ("inactive", "đã bị khoá", "deactivated"),
    ],
)
def test_a_bad_token_is_refused_with_its_reason(commune_officer, spoil, vietnamese, english):
    token, key = api_token_create(actor=commune_officer, name="Máy tính huyện")
    if spoil == "wrong":
        key = key[:-3] + ("aaa" if not key.endswith("aaa") else "bbb")
    elif spoil == "revoked":
        api_token_revoke(actor=commune_officer, token=token)
    elif spoil == "expired":
        ApiToken.objects.filter(pk=token.pk).update(
            expiry_date=timezone.now() - datetime.timedelta(days=1)
        )
    else:
        User.objects.filter(pk=commune_officer.pk).update(is_active=False)

    in_vietnamese = _client(key).get(UNITS)
    in_english = _client(key, "en").get(UNITS)

    assert in_vietnamese.status_code == in_english.status_code == 401
    assert vietnamese in in_vietnamese.json()["detail"]
    assert english in in_english.json()["detail"]
    assert in_vietnamese["WWW-Authenticate"].startswith("Token")


def test_no_token_is_401_and_a_malformed_header_too(client, commune_officer):
    assert client.get(UNITS).status_code == 401
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token a b")
    assert bad.get(UNITS).status_code == 401


def test_every_use_of_a_token_is_audited_with_its_prefix(api, commune_officer):
    client = api(commune_officer)

    client.get(UNITS)
    client.get(UNITS + "?level=9")

    used = AuditEvent.objects.filter(action="api.token.used").order_by("id")
    assert [e.via_token for e in used] == [client.token.prefix] * 2
    assert used[0].message.endswith(" 200") and used[1].message.endswith(" 400")


def test_a_revocation_is_audited_and_cannot_be_undone(commune_officer):
    token, _key = api_token_create(actor=commune_officer, name="Thử")

    api_token_revoke(actor=commune_officer, token=token)

    token = ApiToken.objects.get(pk=token.pk)
    assert token.revoked and token.revoked_by == commune_officer
    assert AuditEvent.objects.filter(action="api.token.revoked", message=token.prefix).exists()
    token.revoked = False
    with pytest.raises(Exception, match="revoked"):
        token.save()


def test_another_commune_officer_cannot_revoke_a_token(commune_officer, other_commune_officer):
    from django.core.exceptions import PermissionDenied

    token, _key = api_token_create(actor=commune_officer, name="Thử")

    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=other_commune_officer, token=token)

    assert not ApiToken.objects.get(pk=token.pk).revoked


def test_a_token_with_no_name_or_too_many_days_is_refused_by_field(commune_officer):
    from duan8.core.problems import Invalid

    with pytest.raises(Invalid) as refused:
        api_token_create(actor=commune_officer, name="  ", days=1000)

    assert {p.field for p in refused.value.problems} == {"name", "days"}
    assert not ApiToken.objects.exists()


def test_a_bad_query_parameter_is_a_400_naming_it(api, commune_officer):
    client = api(commune_officer)

    for query, field in (
        ("as_of=2023-13-40", "as_of"),
        ("level=9", "level"),
        ("updated_since=yesterday", "updated_since"),
        ("page_size=0", "page_size"),
        ("cursor=zzz", "cursor"),
    ):
        answer = client.get(f"{UNITS}?{query}")
        assert answer.status_code == 400, query
        assert answer.json()["errors"][0]["field"] == field


def test_updated_since_and_cursor_pages_walk_every_unit_once(api, commune_officer, villages):
    client = api(commune_officer)
    seen, url = [], f"{UNITS}?page_size=2"

    while url:
        page = client.get(url).json()
        seen += [u["id"] for u in page["results"]]
        url = page["next"]
    later = client.get(f"{UNITS}?updated_since=2999-01-01").json()["results"]

    assert len(seen) == len(set(seen)) == 4  # Ba Trang and its three villages
    assert later == []


def test_an_oversized_body_is_refused_before_it_is_read(api, commune_officer, settings):
    settings.API_MAX_BODY = 100

    answer = api(commune_officer).generic("GET", UNITS, "x" * 500, content_type="application/json")

    assert answer.status_code == 413
    assert answer.json()["code"] == "too_large"


def test_a_token_over_its_rate_is_throttled_with_retry_after(api, commune_officer, settings):
    settings.API_RATE = "3/min"
    client = api(commune_officer)

    answers = [client.get(UNITS).status_code for _ in range(4)]
    throttled = client.get(UNITS)

    assert answers == [200, 200, 200, 429]
    assert int(throttled["Retry-After"]) > 0
    assert api(commune_officer).get(UNITS).status_code == 200  # per token, not per user


def test_the_schema_documents_every_operation(client):
    schema = yaml.safe_load(client.get(reverse("api:schema")).content)

    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) >= 2
    for path, method, operation in operations:
        where = f"{method.upper()} {path}"
        assert "\n\n*" in operation.get("description", ""), f"{where}: no English beside"
        assert {"400", "401", "403", "429"} <= set(operation["responses"]), where
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        if method == "post":
            assert "Idempotency-Key" in headers, where
        if method in ("put", "patch"):
            assert "If-Match" in headers, where
    assert "token" in schema["components"]["securitySchemes"]


def test_the_schema_is_valid_openapi_without_warnings():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_the_documentation_page_loads_nothing_from_the_internet(client):
    page = client.get(reverse("api:docs")).content.decode()

    assert "swagger-ui" in page
    assert "http://" not in page and "https://" not in page


def test_a_time_with_an_offset_postgresql_refuses_is_read_in_utc(api, commune_officer):
    client = api(commune_officer)

    far = client.get(f"{UNITS}?updated_since=2023-01-01T00:00:00-22:45")
    overflow = client.get(f"{UNITS}?updated_since=0001-01-01T00:00:00%2B14:00")

    assert far.status_code == 200
    assert overflow.status_code == 400 and overflow.json()["errors"][0]["field"] == "updated_since"


def test_a_nul_character_is_refused_in_the_api_error_format(api, commune_officer):
    answer = api(commune_officer).get(f"{UNITS}?code=a%00b")

    assert answer.status_code == 400
    assert answer.json()["code"] == "nul_character"


def test_options_describes_nothing_and_runs_no_view_code(api, commune_officer):
    # the schema documents every operation; OPTIONS once ran a list's code outside its checks (500)
    for url in (UNITS, "/api/v1/mothers/cases/", "/api/v1/events/"):
        assert api(commune_officer).options(url).status_code == 405
