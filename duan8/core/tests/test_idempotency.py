"""One-time keys of create forms (issue 10, point 8): the service-level rules of create_once."""

import threading
import time

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.shortcuts import redirect
from django.test import RequestFactory

from duan8.accounts.tests.factories import UserFactory
from duan8.core import audit
from duan8.core.idempotency import IdempotencyKey, create_once, new_key
from duan8.core.models import AuditEvent


def post(user, key):
    request = RequestFactory().post("/x/", {"once": key})
    request.user = user
    request._messages = CookieStorage(request)
    return request


def creator(user, *, pause=0.0):
    def create():
        event = audit.record(actor=user, action="core.test.created")
        time.sleep(pause)
        return redirect(f"/ban-ghi/{event.pk}/")

    return create


@pytest.mark.django_db
def test_a_repeated_key_leads_to_the_first_result_and_creates_nothing():
    user, key = UserFactory(), new_key()

    first = create_once(post(user, key), creator(user))
    second = create_once(post(user, key), creator(user))

    assert first.url == second.url
    assert AuditEvent.objects.filter(action="core.test.created").count() == 1


@pytest.mark.django_db
def test_a_failed_attempt_claims_nothing_and_other_users_keys_are_theirs():
    user, other, key = UserFactory(), UserFactory(), new_key()

    failed = create_once(post(user, key), lambda: None)
    mine = create_once(post(user, key), creator(user))
    theirs = create_once(post(other, key), creator(other))

    assert failed is None and mine.url != theirs.url
    assert IdempotencyKey.objects.count() == 2


@pytest.mark.django_db
def test_without_a_usable_key_the_form_simply_saves():
    user = UserFactory()

    for key in ("", "short", "x" * 65, "bad key with spaces!"):
        create_once(post(user, key), creator(user))

    assert AuditEvent.objects.filter(action="core.test.created").count() == 4
    assert not IdempotencyKey.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_posts_at_the_same_moment_create_one_record():
    user, key = UserFactory(), new_key()
    answers = []

    def send(pause):
        try:
            answers.append(create_once(post(user, key), creator(user, pause=pause)).url)
        finally:
            connection.close()

    first = threading.Thread(target=send, args=(1.0,))
    first.start()
    time.sleep(0.3)  # the first holds its claim while it saves
    second = threading.Thread(target=send, args=(0.0,))
    second.start()
    first.join()
    second.join()

    assert len(answers) == 2 and answers[0] == answers[1]
    assert AuditEvent.objects.filter(action="core.test.created").count() == 1


@pytest.mark.django_db
def test_old_keys_are_removed_by_a_later_post_once_in_ten_minutes(monkeypatch):
    import datetime

    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from duan8.core import idempotency

    user = UserFactory()
    old, young = new_key(), new_key()
    for key in (old, young):
        create_once(post(user, key), creator(user))
    IdempotencyKey.objects.filter(key=old).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    IdempotencyKey.objects.filter(key=young).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    monkeypatch.setattr(idempotency._purge, "next_at", None)

    with CaptureQueriesContext(connection) as queries:
        for _ in range(2):
            create_once(post(user, new_key()), creator(user))

    kept = set(IdempotencyKey.objects.values_list("key", flat=True))
    assert old not in kept and young in kept
    assert len([q for q in queries.captured_queries if q["sql"].startswith("DELETE")]) == 1
