"""Retries and bad requests on the events endpoints: a POST retried with its Idempotency-Key
records one event; malformed, mistyped, oversized bodies and refused tokens save nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from duan8.activities.models import Event
from duan8.api.models import ApiToken, IdempotentRequest
from duan8.api.tokens import api_token_revoke

LIST = reverse("api:event_list")


@pytest.fixture
def body(ba_trang_plan, villages):
    return {
        "plan": ba_trang_plan.pk,
        "org_unit": villages["Bùi Hui"].pk,
        "activity": "1719.GD1.DA8.ND3.HD1.2",
        "kind": "communication",
        "title": "Truyền thông xóa bỏ tảo hôn",
        "held_on": "2023-11-20",
        "counts": [{"sex": "F", "minority": True, "age_group": "adult", "count": 12}],
    }


def test_a_hundred_retries_of_one_post_record_one_event(api, commune_officer, body):
    client = api(commune_officer)
    key = {"Idempotency-Key": "sync-2023-11-20-001"}

    answers = [client.post(LIST, body, format="json", headers=key) for _ in range(100)]

    assert Event.objects.count() == 1
    event = Event.objects.get()
    assert {a.status_code for a in answers} == {201}
    assert {a.json()["id"] for a in answers} == {event.pk}
    assert {a["Location"] for a in answers} == {reverse("api:event_detail", args=[event.pk])}
    assert "Idempotent-Replayed" not in answers[0]
    assert all(a["Idempotent-Replayed"] == "true" for a in answers[1:])
    assert IdempotentRequest.objects.count() == 1


def test_the_same_key_with_another_body_is_422(api, commune_officer, body):
    client = api(commune_officer, language="en")
    key = {"Idempotency-Key": "sync-2023-11-20-001"}
    client.post(LIST, body, format="json", headers=key)

    other = client.post(LIST, {**body, "title": "Khác"}, format="json", headers=key)

    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert other.json()["detail"] == (
        "This Idempotency-Key was already used for a different request."
    )
    assert Event.objects.count() == 1


def test_a_refused_post_claims_no_key_so_the_corrected_one_is_saved(api, commune_officer, body):
    client = api(commune_officer)
    key = {"Idempotency-Key": "sync-2023-11-20-002"}

    refused = client.post(LIST, {**body, "title": ""}, format="json", headers=key)
    corrected = client.post(LIST, body, format="json", headers=key)

    assert refused.status_code == 400
    assert corrected.status_code == 201
    assert Event.objects.count() == 1


def test_a_post_without_a_key_is_400(api, commune_officer, body):
    response = api(commune_officer).post(LIST, body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert not Event.objects.exists()


def test_malformed_json_is_400(api, commune_officer):
    response = api(commune_officer, language="en").post(
        LIST,
        data='{"title": "Truyền thông",',
        content_type="application/json",
        headers={"Idempotency-Key": "k-bad-json-1"},
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The body is not valid JSON.",
        "code": "parse_error",
        "errors": [],
    }
    assert not IdempotentRequest.objects.exists()


def test_a_body_that_is_not_json_is_415(api, commune_officer):
    response = api(commune_officer).post(
        LIST,
        data="title=Truyen thong",
        content_type="application/x-www-form-urlencoded",
        headers={"Idempotency-Key": "k-form-body-1"},
    )

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media"
    assert not Event.objects.exists()


def test_an_oversized_body_is_413(api, commune_officer, body, settings):
    settings.API_MAX_BODY = 2_000

    response = api(commune_officer).post(
        LIST,
        {**body, "notes": "x" * 3_000},
        format="json",
        headers={"Idempotency-Key": "k-too-large-1"},
    )

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not Event.objects.exists()


def test_a_read_only_token_cannot_record(api, commune_officer, body):
    response = api(commune_officer, read_only=True, language="en").post(
        LIST, body, format="json", headers={"Idempotency-Key": "k-read-only-1"}
    )

    assert response.status_code == 403
    assert "may only read" in response.json()["detail"]
    assert not Event.objects.exists()


def test_an_expired_token_is_401(api, commune_officer, body):
    client = api(commune_officer)
    ApiToken.objects.filter(pk=client.token.pk).update(
        expiry_date=timezone.now() - datetime.timedelta(minutes=1)
    )

    read = client.get(LIST)
    written = client.post(LIST, body, format="json", headers={"Idempotency-Key": "k-expired-1"})

    assert read.status_code == written.status_code == 401
    assert read["WWW-Authenticate"].startswith("Token")
    assert not Event.objects.exists()


def test_a_revoked_token_is_401(api, commune_officer, body):
    client = api(commune_officer)
    api_token_revoke(actor=commune_officer, token=client.token)

    read = client.get(LIST)
    written = client.post(LIST, body, format="json", headers={"Idempotency-Key": "k-revoked-1"})

    assert read.status_code == written.status_code == 401
    assert not Event.objects.exists()


def test_errors_are_in_vietnamese_by_default(api, commune_officer, body):
    response = api(commune_officer).post(
        LIST, {**body, "title": ""}, format="json", headers={"Idempotency-Key": "k-vi-errors-1"}
    )

    assert response.status_code == 400
    assert response.json()["detail"] != "The data sent is not valid."
    assert response.json()["errors"][0]["field"] == "title"


def _age(key: str, days: float) -> None:
    IdempotentRequest.objects.filter(key=key).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_a_key_older_than_two_days_is_free_again(api, commune_officer, body, monkeypatch):
    from duan8.api import idempotency

    client = api(commune_officer)
    key = {"Idempotency-Key": "sync-old-key-0001"}
    first = client.post(LIST, body, format="json", headers=key)
    _age("sync-old-key-0001", 2.1)
    monkeypatch.setattr(idempotency._purge, "next_at", timezone.now() + datetime.timedelta(hours=1))

    other = client.post(
        LIST, {**body, "title": "Tập huấn", "confirm_duplicate": True}, format="json", headers=key
    )
    again = client.post(
        LIST, {**body, "title": "Tập huấn", "confirm_duplicate": True}, format="json", headers=key
    )

    assert first.status_code == 201 and other.status_code == 201, other.content
    assert other.json()["id"] != first.json()["id"]
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == other.json()["id"]
    assert Event.objects.count() == 2


def test_a_key_younger_than_two_days_is_still_kept(api, commune_officer, body):
    client = api(commune_officer)
    key = {"Idempotency-Key": "sync-old-key-0002"}
    client.post(LIST, body, format="json", headers=key)
    _age("sync-old-key-0002", 1.9)

    other = client.post(
        LIST, {**body, "title": "Tập huấn", "confirm_duplicate": True}, format="json", headers=key
    )

    assert other.status_code == 422
    assert Event.objects.count() == 1


def test_old_keys_are_removed_by_a_later_post_once_in_ten_minutes(
    api, commune_officer, body, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from duan8.api import idempotency

    client = api(commune_officer)

    def post(number: int) -> None:
        client.post(
            LIST,
            {**body, "title": f"Buổi {number}", "confirm_duplicate": True},
            format="json",
            headers={"Idempotency-Key": f"sync-purge-{number:04}"},
        )

    for number in range(3):
        post(number)
    _age("sync-purge-0000", 3)
    _age("sync-purge-0001", 1)
    monkeypatch.setattr(idempotency._purge, "next_at", None)

    with CaptureQueriesContext(connection) as queries:
        for number in (3, 4):
            post(number)

    kept = set(IdempotentRequest.objects.values_list("key", flat=True))
    assert "sync-purge-0000" not in kept
    assert {"sync-purge-0001", "sync-purge-0002", "sync-purge-0004"} <= kept
    deletes = [q for q in queries.captured_queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 1
