"""Two POSTs with one Idempotency-Key at the same moment (a phone's retry while the first is still
being saved): one event, and both are answered with it. The second's claim waits for the first's
transaction, then replays its answer. Real concurrent connections: PostgreSQL, committed."""

import threading
import time

import pytest
from django.db import connection

from duan8.activities.models import Event
from duan8.api.endpoints.events import listing
from duan8.api.models import IdempotentRequest
from duan8.api.tests.test_events import new_body, post

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_roles_again"),
]


def test_two_posts_with_one_key_at_the_same_moment_record_one_event(
    api, ba_trang_plan, villages, commune_officer, monkeypatch
):
    create = listing.event_create

    def slow_create(**kwargs):
        event = create(**kwargs)
        if threading.current_thread().name == "first":
            time.sleep(1.0)  # the first holds its claim, not yet committed
        return event

    monkeypatch.setattr(listing, "event_create", slow_create)
    body = new_body(ba_trang_plan, villages["Bùi Hui"])
    answers = {}

    def send():
        try:
            response = post(api(commune_officer), body, key="k-together-0001")
            answers[threading.current_thread().name] = response
        finally:
            connection.close()

    first = threading.Thread(target=send, name="first")
    first.start()
    time.sleep(0.4)
    second = threading.Thread(target=send, name="second")
    second.start()
    first.join()
    second.join()

    event = Event.objects.get()
    assert {name: a.status_code for name, a in answers.items()} == {"first": 201, "second": 201}
    assert answers["first"].json()["id"] == answers["second"].json()["id"] == event.pk
    assert "Idempotent-Replayed" not in answers["first"]
    assert answers["second"]["Idempotent-Replayed"] == "true"
    assert IdempotentRequest.objects.count() == 1
