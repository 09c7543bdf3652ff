"""Hot reads whose SQL Django builds once a process instead of once a call.

Django builds a query's SQL anew each time it runs: cloning the queryset, resolving the lookups,
then the compiler. A unit read by its id with its parent cost 0.84 ms of CPU through the ORM and
0.14 ms compiled once (bench/README.md, "Session 13"), and an API submission makes six such
reads. ``Compiled(build)`` calls ``build`` once for each shape of its arguments (a list's length
is part of the shape) with stand-in values, keeps the SQL and the place of each argument among
its parameters, and from then on runs that SQL with the real values. The rows become model
instances as the queryset would make them (``select_related`` and annotations included),
through Django's own cursor, so that query counts and logs see the read like any other.

``build`` must pass each argument to a comparison (``pk=x``, ``year__lte=x``, ``path__in=xs``)
as it is, or a string to ``startswith`` (``path__startswith=x``: the parameter is ``x%``, escaped
for LIKE as Django escapes it). An argument another lookup changes (``contains``, a model
instance) cannot be found among the parameters, and ``Compiled`` refuses it when it compiles
rather than run a wrong query. Arguments are ints, strings, dates (passed as a date field passes
them), or lists or tuples of them; an int outside 64 bits matches no row. A read answers model
instances, or tuples (``values_list``; with ``flat=True``, the values).

``prepared=True``: on PostgreSQL the read is a prepared statement (``core.postgresql``), parsed
and, after a few runs, planned once a connection. Only for a read whose best plan does not depend
on its arguments: equality on a key (a row by its id, a plan's targets, a user's memberships) or
a small table. Not for a read over the events, nor one by a path prefix or a range over a large
table: PostgreSQL would come to keep one plan for all its arguments (a generic plan), which suits
the average commune and not the one with thousands of events.
"""

from __future__ import annotations

import datetime
import itertools
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models.query import (  # type: ignore[attr-defined]  # not in django-stubs
    FlatValuesListIterable,
    ModelIterable,
    QuerySet,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.sql.compiler import SQLCompiler

R = TypeVar("R")  # what a row becomes: a model instance, a tuple, a value

Scalar = int | str | datetime.date
Argument = Scalar | Sequence[Scalar]

# Stand-ins inside every integer field's range (Django finds no row for a value outside it,
# without SQL): a small positive field's included.
_INT_BASE = 29_000
_INT64 = (-(2**63), 2**63 - 1)
# Shapes kept for one read: past them, and for a list longer than MAX_LIST (the plans of a
# province, the units of a country), the read goes through the ORM as written: a shape seldom
# seen again is not worth two traces, nor kept without end.
MAX_SHAPES = 64
MAX_LIST = 64
_MISSING: Any = object()
_DATE_BASE = datetime.date(1001, 1, 1)
_SCALARS = (int, str, datetime.date)


@dataclass(frozen=True)
class _Plan:
    model: type[models.Model]
    alias: str
    sql: str
    # For each parameter: the index of the (flattened) argument it takes, or None for a constant;
    # and whether it is the argument as a LIKE prefix (``startswith``).
    slots: tuple[int | None, ...]
    prefixes: tuple[bool, ...]
    constants: tuple[Any, ...]
    compiler: SQLCompiler
    converters: dict[int, Any]
    # Model instances: the fields' names and columns, related rows, annotations. Tuples
    # (``values_list``): the columns in the order asked for (``flat``: one value a row).
    init_list: list[str]
    fields: slice
    populators: list[Any]
    annotations: dict[str, int]
    values: tuple[int, ...] | None = None
    flat: bool = False


def prepared_cursor(connection: Any) -> Any:
    """A cursor whose statements are prepared on PostgreSQL (``core.postgresql``), for a
    statement whose best plan does not depend on its values (see the module's docstring); on
    another database, its usual cursor."""
    prepared = getattr(connection, "prepared_cursor", None)
    return prepared() if prepared is not None else connection.cursor()


def _stand_in(kind: type, number: int) -> Scalar:
    if kind is int:
        return _INT_BASE + number
    if kind is str:
        return f"\x1fduan8-argument-{number}\x1f"
    if kind is datetime.date:
        return _DATE_BASE + datetime.timedelta(days=number)
    raise TypeError(f"Compiled reads take ints, strings and dates, not {kind.__name__}")


def _kind(value: Any) -> tuple[str, Any]:
    """What a parameter is, to find an argument's stand-in among them: Django passes a small
    integer field's value to psycopg as ``Int2`` (an int), the argument was a plain int."""
    if isinstance(value, bool):
        return ("other", None)
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, str):
        return ("str", str(value))
    if type(value) is datetime.date:
        return ("date", value)
    return ("other", None)


def _prefix(value: Any) -> tuple[str, Any]:
    """The kind of the argument a ``startswith`` parameter (``x%``) was made from."""
    if isinstance(value, str) and value.endswith("%"):
        return ("str", value[:-1])
    return ("other", None)


def _flat(args: tuple[Argument, ...]) -> list[Scalar]:
    values: list[Scalar] = []
    for arg in args:
        if isinstance(arg, int | str | datetime.date):
            values.append(arg)
        else:
            values.extend(arg)
    return values


def _shape(args: tuple[Argument, ...]) -> tuple[Any, ...]:
    return tuple(
        (len(arg), *(type(v) for v in arg)) if isinstance(arg, list | tuple) else type(arg)
        for arg in args
    )


_ITERABLES = (ModelIterable, ValuesListIterable, FlatValuesListIterable)


def _columns(queryset: QuerySet[Any]) -> tuple[int, ...]:
    """Where each value a ``values_list`` row answers is among the columns, as Django's
    ``ValuesListIterable`` orders them (the names asked for, then other annotations)."""
    query = queryset.query
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    asked = getattr(queryset, "_fields", None) or names
    wanted = [*asked, *(a for a in query.annotation_select if a not in asked)]
    return tuple(names.index(name) for name in wanted)


class Compiled(Generic[R]):
    """A read built by ``build(*args)`` (a queryset), compiled once a shape."""

    def __init__(self, build: Callable[..., QuerySet[Any, R]], *, prepared: bool = False) -> None:
        self.build = build
        self.prepared = prepared
        self._plans: dict[tuple[Any, ...], _Plan | None] = {}
        self._lock = threading.Lock()

    def __call__(self, *args: Argument) -> list[R]:
        values = _flat(args)
        for value in values:
            if type(value) not in _SCALARS:
                raise TypeError(f"Compiled reads take ints, strings and dates, not {value!r}")
            if type(value) is int and not _INT64[0] <= value <= _INT64[1]:
                return []  # no column holds it (an id from a request's body, say)
        key = _shape(args)
        plan = self._plans.get(key, _MISSING)
        if plan is _MISSING:
            if len(self._plans) >= MAX_SHAPES or any(
                isinstance(arg, list | tuple) and len(arg) > MAX_LIST for arg in args
            ):
                return list(self.build(*args))
            plan = self._compile(args)
            with self._lock:
                self._plans[key] = plan
        if plan is None:
            return []
        connection = connections[plan.alias]
        ops = connection.ops
        adapted: list[Any] = [  # a date as a DateField passes it (SQLite's backend: its text)
            ops.adapt_datefield_value(v) if type(v) is datetime.date else v for v in values
        ]
        params = [
            constant
            if slot is None
            else f"{ops.prep_for_like_query(adapted[slot])}%"
            if prefix
            else adapted[slot]
            for slot, prefix, constant in zip(
                plan.slots, plan.prefixes, plan.constants, strict=True
            )
        ]
        with prepared_cursor(connection) if self.prepared else connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        if plan.values is not None:
            return self._tuples(plan, rows)
        return self._instances(plan, rows)

    def first(self, *args: Argument) -> R | None:
        """The first instance, or None (``build`` should limit itself to one row: ``[:1]``)."""
        found = self(*args)
        return found[0] if found else None

    def _trace(
        self, args: tuple[Argument, ...], base: int
    ) -> tuple[
        QuerySet[Any, R],
        SQLCompiler,
        str,
        tuple[int | None, ...],
        tuple[bool, ...],
        tuple[Any, ...],
    ]:
        """Build and compile the read with stand-ins numbered from ``base``: the queryset, its
        compiler, the SQL, and for each parameter the argument it is (or None), whether it is
        that argument as a prefix, and its value."""
        counter = itertools.count(base)
        stand_ins: list[Argument] = []
        for arg in args:
            if isinstance(arg, list | tuple):
                stand_ins.append([_stand_in(type(v), next(counter)) for v in arg])
            else:
                stand_ins.append(_stand_in(type(arg), next(counter)))
        queryset = self.build(*stand_ins)
        if queryset._iterable_class not in _ITERABLES:
            raise TypeError("Compiled reads return model instances or values_list (no values())")
        state: Any = queryset  # its private state, which django-stubs does not declare
        if state._prefetch_related_lookups or state._known_related_objects:
            raise TypeError("Compiled reads take no prefetch_related and no related managers")
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        where = {_kind(v): number for number, v in enumerate(_flat(tuple(stand_ins)))}
        for number, value in enumerate(_flat(tuple(stand_ins))):
            if type(value) is datetime.date:  # SQLite's backend passes a date as its text
                where[("str", value.isoformat())] = number
        exact = tuple(where.get(_kind(p)) for p in params)
        prefixes = tuple(
            slot is None and where.get(_prefix(p)) is not None
            for slot, p in zip(exact, params, strict=True)
        )
        slots = tuple(
            where.get(_prefix(p)) if prefix else slot
            for slot, prefix, p in zip(exact, prefixes, params, strict=True)
        )
        missing = set(where.values()) - {slot for slot in slots if slot is not None}
        if missing:
            raise ValueError(
                f"{self.build!r}: arguments {sorted(missing)} are changed by their lookups"
                " (contains, a model instance...), so they cannot be found in the SQL"
            )
        return queryset, compiler, sql, slots, prefixes, tuple(params)

    def _compile(self, args: tuple[Argument, ...]) -> _Plan | None:
        """The plan of this shape of arguments, or None when it can match no row (an empty
        list in ``__in``). Traced twice with different stand-ins: a constant of the query that
        happened to equal a stand-in would put a slot in one trace and not in the other."""
        try:
            queryset, compiler, sql, slots, prefixes, params = self._trace(args, 0)
            again = self._trace(args, 97)
        except EmptyResultSet:
            return None
        if (sql, slots, prefixes) != again[2:5]:
            raise ValueError(f"{self.build!r}: its SQL depends on the arguments' values")
        if self.prepared and any(prefixes):
            # A prefix (LIKE) cannot use the index in the plan PostgreSQL keeps for any argument
            raise ValueError(f"{self.build!r}: a read by a prefix (startswith) is not prepared")
        alias = queryset.db
        select, klass_info = compiler.select, compiler.klass_info
        converters = compiler.get_converters([s[0] for s in select[0 : compiler.col_count]])
        constants = tuple(None if s is not None else p for s, p in zip(slots, params, strict=True))
        base = _Plan(
            model=queryset.model,
            alias=alias,
            sql=sql,
            slots=slots,
            prefixes=prefixes,
            constants=constants,
            compiler=compiler,
            converters=converters,
            init_list=[],
            fields=slice(0),
            populators=[],
            annotations={},
        )
        if queryset._iterable_class is not ModelIterable:
            flat = queryset._iterable_class is FlatValuesListIterable
            return replace(base, values=_columns(queryset), flat=flat)
        assert klass_info is not None
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return replace(
            base,
            init_list=[f[0].target.attname for f in select[start:end]],
            fields=slice(start, end),
            populators=get_related_populators(klass_info, select, alias),
            annotations=dict(compiler.annotation_col_map or {}),
        )

    @staticmethod
    def _tuples(plan: _Plan, rows: list[Any]) -> list[Any]:
        if plan.converters:
            rows = list(plan.compiler.apply_converters(map(list, rows), plan.converters))
        assert plan.values is not None
        if plan.flat:
            return [row[0] for row in rows]
        order = plan.values
        if order == tuple(range(len(order))) and len(order) == plan.compiler.col_count:
            return [tuple(row) for row in rows]
        return [tuple(row[i] for i in order) for row in rows]

    @staticmethod
    def _instances(plan: _Plan, rows: list[Any]) -> list[Any]:
        if plan.converters:
            rows = list(plan.compiler.apply_converters(map(list, rows), plan.converters))
        found = []
        for row in rows:
            obj: Any = plan.model.from_db(plan.alias, plan.init_list, row[plan.fields])
            for populator in plan.populators:
                populator.populate(row, obj)
            for name, position in plan.annotations.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found
