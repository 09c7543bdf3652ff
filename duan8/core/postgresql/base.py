"""Django's PostgreSQL backend, with two changes for the reads every page makes.

**Timestamps through psycopg's compiled loader.** Django registers its own loader for
``timestamptz`` (``psycopg_any.BaseTzLoader``): a subclass of psycopg's pure-Python loader that
parses each value's text in Python, then sets its time zone. Every model here has ``created_at``
and ``updated_at``, so a page reads a few hundred such values: 4.2 µs each against 0.57 µs with
psycopg's compiled loader, about 1 ms of a page's CPU (7 % of a gunicorn worker's time under the
page mix; bench/README.md, "Session 15"). The compiled loader gives the same value when the
session's time zone is UTC, which is what Django sets on every connection when ``USE_TZ`` is on
and the database has no ``TIME_ZONE`` of its own: an aware datetime in ``datetime.timezone.utc``.
So such a connection takes it once, when it is set up, and its cursors with it (not each cursor:
registering a loader copies the cursor's map of loaders, 8 µs a cursor and 20 cursors a page);
any other configuration keeps Django's, and a cursor made after the settings changed the time zone
(a test) takes Django's loader for the new one.

**Prepared statements for the reads that ask for them** (``prepared_cursor``, used by
``core.compiled.Compiled(..., prepared=True)``). PostgreSQL parses, analyses and plans every
statement it receives; for the short reads of a page (a unit, a plan and its joins, the session)
that is most of their cost: the pages' reads cost PostgreSQL about a fifth less prepared
(bench/README.md, "Session 16"). Django turns prepared statements off (``prepare_threshold``
None), for connection poolers, and a statement prepared after a few runs gets PostgreSQL's generic
plan, which suits the average commune and not one with thousands of events (session 12 measured
that harm). So here nothing is prepared unless its read asks: a psycopg cursor with server-side
binding whose every statement is prepared (psycopg keeps the names, ``OPTIONS["prepared_reads"]``
of them a connection, the least recently used deallocated first); the connection's other cursors
stay Django's, client-side binding, never prepared. ``prepared_reads`` 0 turns it off (a pooler
that cannot keep prepared statements: PgBouncer before 1.21, or without
``max_prepared_statements``). psycopg deallocates them all when a transaction rolls back (and
after a DROP or ALTER), so a connection prepares them again after an error; a test, whose
transaction is rolled back, sees only its own.
"""

import datetime
import sys
from typing import Any

from django.db.backends.postgresql import base, operations
from django.db.backends.postgresql.psycopg_any import register_tzloader  # type: ignore[import-untyped]
from psycopg import errors
from psycopg.types.datetime import TimestamptzLoader  # psycopg uses its compiled version

# What ``create_cursor`` is asked for by ``prepared_cursor`` (a name would be a server-side cursor)
_PREPARED: Any = object()


class PreparingCursor(base.ServerBindingCursor):  # type: ignore[name-defined]
    """Django's server-side binding cursor, preparing every statement it runs."""

    def execute(
        self, query: Any, params: Any = None, *, prepare: bool | None = True, binary: Any = None
    ) -> Any:
        return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor: Any, sql: str, params: Any) -> str | None:  # type: ignore[override]
        """A prepared statement's SQL with its values, as Django's client-side cursors show
        theirs (the queries logged, counted and read by tests): psycopg keeps no text of it.
        None when there is none, as Django's (its stubs say str)."""
        if isinstance(cursor, PreparingCursor):
            try:
                return str(self.compose_sql(sql, params))
            except errors.DataError:
                return None
        found: str | None = super().last_executed_query(cursor, sql, params)
        return found


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    prepared_reads = 0  # statements kept prepared a connection (OPTIONS["prepared_reads"])
    compiled_timestamps = False  # the connection reads timestamptz with psycopg's compiled loader

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        self.prepared_reads = int(params.pop("prepared_reads", 0) or 0)
        return params

    def get_new_connection(self, conn_params: Any) -> Any:
        connection = super().get_new_connection(conn_params)
        if self.prepared_reads and connection.prepare_threshold is None:
            # Never prepared by count (the client-side cursors never prepare anything): only the
            # statements of a PreparingCursor, which asks each time.
            connection.prepare_threshold = sys.maxsize
            connection.prepared_max = self.prepared_reads
        return connection

    def init_connection_state(self) -> None:
        super().init_connection_state()  # the session's time zone set
        self.compiled_timestamps = (
            self.timezone is datetime.UTC
            and self.connection.info.parameter_status("TimeZone") == "UTC"
            and self.settings_dict["OPTIONS"].get("server_side_binding") is not True
        )
        if self.compiled_timestamps:  # once a connection: its cursors take its loaders
            self.connection.adapters.register_loader("timestamptz", TimestamptzLoader)

    def create_cursor(self, name: Any = None) -> Any:
        prepared = name is _PREPARED
        if not self.compiled_timestamps:  # another set-up: Django's cursors, nothing prepared
            return super().create_cursor(None if prepared else name)
        # Django's cursors, without its check of the connection's loader (``timezone``, which
        # psycopg's compiled loader has not)
        if prepared and self.connection.prepare_threshold is not None:
            cursor = PreparingCursor(self.connection)
        elif name and not prepared:  # a server-side cursor (``iterator()``), as Django makes it
            cursor = base.ServerSideCursor(  # type: ignore[attr-defined]
                self.connection, name=name, scrollable=False, withhold=self.connection.autocommit
            )
        else:
            cursor = self.connection.cursor()
        if self.timezone is not datetime.UTC:  # the settings changed since it connected (a test)
            register_tzloader(self.timezone, cursor)
        return cursor

    def prepared_cursor(self) -> Any:
        """A cursor whose statements are prepared (Django's wrapper: queries are counted and
        logged as any other), or the usual one when ``prepared_reads`` is 0."""
        return self._cursor(_PREPARED)  # type: ignore[attr-defined]  # not in Django's stubs
