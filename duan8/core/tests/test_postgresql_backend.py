"""duan8's PostgreSQL backend (duan8/core/postgresql): timestamps are read by psycopg's compiled
loader, and read back as Django's own loader gives them (aware, in UTC, to the microsecond); the
reads that ask for it are prepared statements, and only they."""

import datetime
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext, override_settings
from psycopg.pq import Format

from duan8.core.compiled import Compiled

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]

TIMESTAMPTZ = 1184


def test_cursors_read_timestamps_with_the_compiled_loader() -> None:
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)
    assert loader.__module__.startswith("psycopg_binary"), loader


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2025, 12, 31, 16, 30, 0, 123456, tzinfo=datetime.UTC),
        datetime.datetime(1969, 7, 20, 20, 17, 40, tzinfo=datetime.UTC),
        datetime.datetime(2026, 1, 1, 0, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=7))),
    ],
)
def test_a_timestamp_reads_back_as_written_aware_in_utc(moment: datetime.datetime) -> None:
    Session.objects.create(session_key="k" * 32, session_data="", expire_date=moment)

    read = Session.objects.get(session_key="k" * 32).expire_date
    with connection.cursor() as cursor:
        cursor.execute("SELECT expire_date FROM django_session WHERE session_key = %s", ["k" * 32])
        raw = cursor.fetchone()[0]

    for value in (read, raw):
        assert value == moment
        assert value.tzinfo is datetime.UTC
    assert read.isoformat() == moment.astimezone(datetime.UTC).isoformat()


# Prepared statements (``prepared_cursor``, ``Compiled(..., prepared=True)``)

_SESSION_PREPARED = Compiled(
    lambda key: Session.objects.filter(session_key=key).order_by()[:1], prepared=True
)
_SESSION_PLAIN = Compiled(lambda key: Session.objects.filter(session_key=key)[:1])


def _prepared_statements(on: Any = connection) -> list[str]:
    with on.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%django_session%"],
        )
        return [row[0] for row in cursor.fetchall()]


def _session(key: str) -> Session:
    moment = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    return Session.objects.create(session_key=key, session_data="data", expire_date=moment)


def test_a_read_that_asks_is_prepared_once_and_counted_as_any_query(django_assert_num_queries):
    made = _session("p" * 32)

    with django_assert_num_queries(3):
        found = [_SESSION_PREPARED.first("p" * 32) for _ in range(3)]

    assert [(s.session_key, s.session_data, s.expire_date) for s in found] == [
        (made.session_key, "data", made.expire_date)
    ] * 3
    assert found[0].expire_date.tzinfo is datetime.UTC  # the compiled loader on this cursor too
    statements = _prepared_statements()
    assert len(statements) == 1, statements  # one statement, its argument a parameter
    assert "$1" in statements[0] and "p" * 32 not in statements[0]


def test_a_read_that_does_not_ask_is_not_prepared():
    _session("q" * 32)

    for _ in range(10):
        assert _SESSION_PLAIN.first("q" * 32) is not None
    with connection.cursor() as cursor:  # nor the connection's other statements
        for _ in range(10):
            cursor.execute(
                "SELECT session_key FROM django_session WHERE session_key = %s", ["q" * 32]
            )

    assert _prepared_statements() == []


def test_prepared_reads_0_prepares_nothing():
    """``OPTIONS["prepared_reads"]`` 0 (a pooler that keeps no prepared statements): the
    cursor asked for is the usual one."""
    settings = {**connection.settings_dict, "OPTIONS": {"prepared_reads": 0}}
    other = type(connections["default"])(settings, alias="prepared_reads_0")
    try:
        with other.prepared_cursor() as cursor:
            cursor.execute("SELECT session_key FROM django_session WHERE session_key = %s", ["z"])
            assert type(cursor.cursor).__name__ == "Cursor"  # Django's, client-side binding
        assert _prepared_statements(other) == []
    finally:
        other.close()


def test_a_connection_keeps_at_most_prepared_reads_statements():
    settings = {**connection.settings_dict, "OPTIONS": {"prepared_reads": 3}}
    other = type(connections["default"])(settings, alias="prepared_reads_3")
    try:
        for n in range(6):  # six different statements
            with other.prepared_cursor() as cursor:
                cursor.execute(
                    f"SELECT session_key, {n} FROM django_session WHERE session_key = %s", ["z"]
                )
        with other.cursor() as cursor:  # the deallocations are sent with the next statement
            cursor.execute("SELECT 1")
        assert len(_prepared_statements(other)) == 3
    finally:
        other.close()


def test_a_prepared_read_is_logged_with_its_sql_and_values():
    _session("r" * 32)

    with CaptureQueriesContext(connection) as queries:
        _SESSION_PREPARED.first("r" * 32)

    (query,) = queries.captured_queries
    assert 'FROM "django_session"' in query["sql"] and f"'{'r' * 32}'" in query["sql"]


def test_a_connection_whose_time_zone_changed_reads_as_django_does():
    """The compiled loader is the connection's while it reads in UTC; when the settings change
    the time zone (a test, a script), each cursor takes Django's loader again."""
    moment = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    Session.objects.create(session_key="t" * 32, session_data="", expire_date=moment)

    with override_settings(USE_TZ=False, TIME_ZONE="Asia/Ho_Chi_Minh"):
        naive = Session.objects.get(session_key="t" * 32).expire_date
        kept = _SESSION_PREPARED.first("t" * 32)
    aware = Session.objects.get(session_key="t" * 32).expire_date

    assert naive == datetime.datetime(2026, 3, 2, 6, 30)  # naive, in Hà Nội's time
    assert kept is not None and kept.expire_date == naive
    assert aware == moment and aware.tzinfo is datetime.UTC
