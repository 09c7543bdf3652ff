"""Every request made with an API token is in the audit trail with the token's prefix, and only
once: the events its work committed, or else one ``api.token.used`` (method, path, status).

The database is committed for real (``transaction=True``): inside a test's own transaction
Django holds back ``on_commit``, which is what decides here."""

import pytest

from duan8.api.tests.test_events import LIST, new_body, post
from duan8.core.models import AuditEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_roles_again"),  # another transactional test may have run first
]


def _trail(client) -> list[tuple[str, str]]:
    entries = AuditEvent.objects.filter(via_token=client.token.prefix).order_by("id")
    return [(e.action, e.message.rsplit(" ", 1)[-1]) for e in entries]


def test_a_write_is_in_the_trail_by_its_own_event_not_twice(
    api, ba_trang_plan, villages, commune_officer
):
    client = api(commune_officer)

    response = post(client, new_body(ba_trang_plan, villages["Bùi Hui"]))

    assert response.status_code == 201
    assert _trail(client) == [("activities.event.created", "")]


def test_a_refused_write_and_a_plain_read_each_leave_the_token_use(
    api, ba_trang_plan, villages, commune_officer
):
    client = api(commune_officer)

    refused = post(client, new_body(ba_trang_plan, villages["Bùi Hui"], held_on="2023-13-40"))
    listed = client.get(LIST)

    assert (refused.status_code, listed.status_code) == (400, 200)
    assert _trail(client) == [("api.token.used", "400"), ("api.token.used", "200")]
