"""On PostgreSQL each connection prepares the queries it runs again (``DB_PREPARED``, on by
default; bench/README.md, "Session 12"): parsed and planned once, then only executed. An event
sent through the API runs 17 statements, nearly all of them the same every time."""

import pytest
from django.db import connection

from duan8.orgunits.models import OrgUnit

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
    pytest.mark.django_db,
]


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return [row[0] for row in cursor.fetchall()]


def test_a_query_run_twice_is_prepared_and_runs_again_with_other_values(quang_ngai):
    def read(pk: int) -> list[str]:
        return list(OrgUnit.objects.filter(pk=pk).values_list("name", flat=True))

    assert not any("orgunits_orgunit" in sql for sql in _prepared())

    first, second, other = read(quang_ngai.pk), read(quang_ngai.pk), read(quang_ngai.pk + 999)

    assert first == second == ["Quảng Ngãi"] and other == []
    assert any('FROM "orgunits_orgunit"' in sql and "$1" in sql for sql in _prepared())
