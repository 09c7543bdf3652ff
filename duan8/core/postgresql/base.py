"""Django's PostgreSQL backend, reading ``timestamptz`` values with psycopg's compiled loader.

Django registers its own loader for ``timestamptz`` (``psycopg_any.BaseTzLoader``): a subclass of
psycopg's pure-Python loader that parses each value's text in Python, then sets its time zone.
Every model here has ``created_at`` and ``updated_at``, so a page reads a few hundred such values:
4.2 µs each against 0.57 µs with psycopg's compiled loader, about 1 ms of a page's CPU (7 % of a
gunicorn worker's time under the page mix; bench/README.md, "Session 15").

The compiled loader gives the same value when the session's time zone is UTC, which is what Django
sets on every connection when ``USE_TZ`` is on and the database has no ``TIME_ZONE`` of its own:
an aware datetime in ``datetime.timezone.utc``. So each cursor of such a connection takes it
(registered on the cursor: the connection's map keeps Django's loader, which Django's
``create_cursor`` reads); any other configuration keeps Django's loader.
"""

import datetime
from typing import Any

from django.db.backends.postgresql import base
from psycopg.types.datetime import TimestamptzLoader  # psycopg uses its compiled version


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name: Any = None) -> Any:
        cursor = super().create_cursor(name)
        if (
            self.timezone is datetime.UTC
            and self.connection.info.parameter_status("TimeZone") == "UTC"
        ):
            cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        return cursor
