"""Issue 18, point 7: a dropped database connection during a burst recovers without manual action,
and no submission is half-saved (PostgreSQL only).

The server is Django's live server thread made single-threaded: one process handling one request
after another on one database connection it keeps between requests, as a sync gunicorn worker
does with ``CONN_MAX_AGE`` > 0. (pytest-django's ``live_server`` answers each request in a new
thread that closes its connection at the end, so no connection would outlive a request and
``CONN_HEALTH_CHECKS``, Django's mechanism for a connection dropped between requests, would never
be exercised.) Three clients send event forms (GET, then POST) in a burst; meanwhile the test
kills the server's connections with ``pg_terminate_backend`` from its own connection, again and
again, hitting requests in flight and connections waiting between requests. Afterwards:

- every later request succeeds, with nothing restarted;
- every submission was saved once (answered with the event) or answered with an error; an event
  is never saved without its participant counts, nor twice; a submission answered with an error
  and sent again with the same one-time key (what a user does) leads to at most one event.
"""

import datetime
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import settings
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test import Client
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from django.urls import reverse

from duan8.activities.models import Event
from duan8.programs.models import ProgramElement

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="pg_terminate_backend: PostgreSQL only",
    ),
    pytest.mark.usefixtures("default_roles_again", "ethnic_groups"),
]

SESSIONS = "1719.GD1.DA8.ND1.HD2.2"
SUBMISSIONS = 45


class OneWorkerServer(WSGIServer):
    """One request at a time, in the server's thread: its connection outlives the request."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


class OneWorkerThread(LiveServerThread):
    server_class = OneWorkerServer


@pytest.fixture
def one_worker(transactional_db, settings):
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 60
    settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.settings_dict["CONN_HEALTH_CHECKS"] = True
    thread = OneWorkerThread("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()  # closes the thread's connection, so that the database can be flushed


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def server_backends_killed(spared: int) -> int:
    """Terminate the server's connections: every client connection to the test database but
    this thread's and the test's own (``spared``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND backend_type = 'client backend'"
            " AND pid <> pg_backend_pid() AND pid <> %s",
            [spared],
        )
        return cursor.fetchone()[0]


def signed_in(base: str, user) -> requests.Session:
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )
    return session


def form_fields(html: str) -> dict[str, str]:
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("csrfmiddlewaretoken", "once")
    }


def test_a_burst_survives_dropped_connections_and_saves_each_event_once_or_answers_an_error(
    one_worker, village_head, villages, ba_trang_plan
):
    nuoc_dang = villages["Nước Đang"]
    url = one_worker + reverse("activities:event_create", kwargs={"pk": nuoc_dang.pk})
    activity = ProgramElement.objects.get(code=SESSIONS).pk
    sessions = [signed_in(one_worker, village_head) for _ in range(3)]
    outcomes: dict[int, dict] = {}

    def submit(i: int) -> None:
        session = sessions[i % len(sessions)]
        data = {
            "plan": ba_trang_plan.pk,
            "held_on": str(datetime.date(2023, 3, 1) + datetime.timedelta(days=i)),
            "org_unit": nuoc_dang.pk,
            "activity": activity,
            "kind": "communication",
            "title": f"Sự kiện trong loạt gửi số {i}",
            "n-F-minority-adult": str(10 + i),
        }
        page = session.get(url, timeout=30)
        if page.status_code != 200:
            outcomes[i] = {"form": page.status_code}
            return
        data.update(form_fields(page.text))
        posted = session.post(
            url, data, headers={"Referer": url}, allow_redirects=False, timeout=30
        )
        outcomes[i] = {"form": 200, "post": posted.status_code, "data": data, "session": session}

    done = threading.Event()
    kills: list[int] = []
    test_pid = backend_pid()

    def killer() -> None:
        # From the 10th submission on, drop the server's connection every 40 ms for about
        # twenty submissions: some land in the middle of a request, some between two.
        while len(outcomes) < 10 and not done.is_set():
            time.sleep(0.01)
        try:
            while len(outcomes) < 30 and not done.is_set():
                kills.append(server_backends_killed(test_pid))
                time.sleep(0.04)
        finally:
            connection.close()  # this thread's own
            done.set()

    watcher = threading.Thread(target=killer)
    watcher.start()
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(submit, range(SUBMISSIONS)))
    done.set()
    watcher.join()
    assert sum(kills) >= 1, "no connection of the server was dropped"

    # The server's connection dropped while it waits: the next request still succeeds.
    assert sessions[0].get(url, timeout=30).status_code == 200
    assert server_backends_killed(test_pid) == 1
    after = [sessions[0].get(url, timeout=30).status_code for _ in range(5)]
    assert after == [200] * 5

    # Every submission: saved once, or answered with an error; never half-saved.
    failed = []
    for i, outcome in sorted(outcomes.items()):
        events = list(Event.objects.filter(title=f"Sự kiện trong loạt gửi số {i}"))
        assert len(events) <= 1, f"submission {i} saved twice"
        for event in events:
            assert event.counts.filter(count=10 + i).count() == 1, f"submission {i} half-saved"
        if outcome.get("post") == 302:
            assert len(events) == 1, f"submission {i} answered as saved but not saved"
        else:
            # 500, or 400 when the drop hit the session's save (Django's SessionInterrupted)
            assert outcome.get("post", outcome["form"]) >= 400, outcome
            failed.append(i)
    # The last submissions, after the drops, all succeeded.
    assert all(outcomes[i].get("post") == 302 for i in range(SUBMISSIONS - 5, SUBMISSIONS))

    # A submission answered with an error, sent again with the same one-time key (a user
    # pressing the button again), leads to one event.
    for i in failed:
        outcome = outcomes[i]
        if "data" not in outcome:
            continue
        again = outcome["session"].post(
            url, outcome["data"], headers={"Referer": url}, allow_redirects=False, timeout=30
        )
        assert again.status_code == 302, (i, again.status_code)
        assert Event.objects.filter(title=f"Sự kiện trong loạt gửi số {i}").count() == 1
