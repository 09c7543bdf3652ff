"""duan8's PostgreSQL backend (duan8/core/postgresql): timestamps are read by psycopg's compiled
loader, and read back as Django's own loader gives them (aware, in UTC, to the microsecond)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from psycopg.pq import Format

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
