"""Writing the generator's rows fast, without model instances.

A row is a tuple of the columns given (by attribute name: ``plan_id``); every other column takes
its field's default, as ``bulk_create`` would give it (``created_at``/``updated_at``: now). The
rows that others point at get their primary keys ahead from the table's own sequence
(``ids_take``), so a plan, its events and their participant counts are written without reading
anything back. PostgreSQL takes the rows through ``COPY`` (psycopg 3's ``cursor.copy()``), other
databases (SQLite) through ``executemany``.
"""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import DateField, DateTimeField, DecimalField, Field, Model
from django.utils import timezone

CHUNK = 10_000  # rows per ``executemany``


def ids_take(model: type[Model], count: int) -> list[int]:
    """``count`` new primary keys of ``model``, increasing, that no other row will take."""
    if count <= 0:
        return []
    ops = connection.ops
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [ops.quote_name(table), column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite: one writer at a time (this transaction); an AUTOINCREMENT key never reuses a
        # number, so start after both the highest row and the highest number ever given.
        cursor.execute(f"SELECT MAX({ops.quote_name(column)}) FROM {ops.quote_name(table)}")  # noqa: S608
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        given = cursor.fetchone()
        start = max(highest, given[0] if given else 0) + 1
    return list(range(start, start + count))


def rows_write(model: type[Model], columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Write ``rows`` (tuples holding ``columns`` in order) to ``model``'s table; the number of
    rows written. A column not given takes its field's default."""
    meta = model._meta
    fields: list[Field] = [meta.get_field(column) for column in columns]  # type: ignore[misc]
    now = timezone.now()
    rest: list[Field] = []
    for field in meta.concrete_fields:
        if field.attname not in columns and not field.primary_key:
            rest.append(field)
    extra = tuple(
        now
        if isinstance(field, DateTimeField) and (field.auto_now or field.auto_now_add)
        else field.get_db_prep_save(field.get_default(), connection)
        for field in rest
    )
    ops = connection.ops
    names = ", ".join(ops.quote_name(f.column) for f in [*fields, *rest])
    table = ops.quote_name(meta.db_table)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Binary: the server parses no text (a timestamp's text costs it most), and psycopg
            # dumps each value by its column's type.
            types = _column_types(cursor, meta.db_table, [f.column for f in [*fields, *rest]])
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(types)
                for row in rows:
                    copy.write_row(row + extra)
                    written += 1
            return written
        adapt = [(i, a) for i, a in enumerate(_adapters(fields)) if a is not None]
        extra = tuple(a(v) if a else v for a, v in zip(_adapters(rest), extra, strict=True))
        marks = ", ".join(["%s"] * (len(fields) + len(rest)))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        batch: list[tuple] = []
        for row in rows:
            values = list(row)
            for index, adapter in adapt:
                values[index] = adapter(values[index])
            batch.append((*values, *extra))
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                written, batch = written + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def _column_types(cursor: Any, table: str, columns: list[str]) -> list[int]:
    """The type (oid) of each of ``columns`` of ``table``, as PostgreSQL holds them."""
    cursor.execute(
        "SELECT attname, atttypid FROM pg_attribute"
        " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        [connection.ops.quote_name(table)],
    )
    types = dict(cursor.fetchall())
    return [int(types[column]) for column in columns]


def _adapters(fields: list[Field]) -> list:
    """For each column, what turns a Python value into what the database driver takes (dates,
    times and decimals as the backend stores them), or None when it takes the value as is."""
    ops = connection.ops

    def datetime_(value: object) -> object:
        if isinstance(value, datetime.datetime):
            return ops.adapt_datetimefield_value(value)
        return value

    def date_(value: object) -> object:
        if isinstance(value, datetime.date):
            return ops.adapt_datefield_value(value)
        return value

    def decimal_(field: DecimalField):  # type: ignore[no-untyped-def]
        def adapt(value: object) -> object:
            if isinstance(value, Decimal):
                return ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
            return value

        return adapt

    adapters: list = []
    for field in fields:
        if isinstance(field, DateTimeField):
            adapters.append(datetime_)
        elif isinstance(field, DateField):
            adapters.append(date_)
        elif isinstance(field, DecimalField):
            adapters.append(decimal_(field))
        else:
            adapters.append(None)
    return adapters
