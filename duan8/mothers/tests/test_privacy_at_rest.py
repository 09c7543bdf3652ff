"""Encryption at rest (issue 13, acceptance): the registry's tables, read directly with SQL on
SQLite or PostgreSQL, hold no ID number, facility name or kind of delivery in clear."""

from django.db import connection

from duan8.mothers import crypto
from duan8.mothers.tests.privacy_cases import FACILITY, ID_NUMBER, case_make

SECRETS = (ID_NUMBER, FACILITY, "caesarean", "Bệnh viện huyện Ba Tơ")


def _all_cells() -> dict[str, list[str]]:
    """Every value of every row of the mothers' tables, as text, by table."""
    cells: dict[str, list[str]] = {}
    tables = [t for t in connection.introspection.table_names() if t.startswith("mothers_")]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            cells[table] = [str(value) for row in cursor.fetchall() for value in row]
    return cells


def test_no_id_number_facility_or_delivery_mode_in_clear(mothers_world, proposed_case):
    case_make(
        village=mothers_world.villages["Bùi Hui"],
        ethnic_group=mothers_world.ethnic_groups["30"],
        name="Hồ Thị Mai",
        id_number="051 199 004 321",
        facility="Bệnh viện huyện Ba Tơ",
    )

    cells = _all_cells()

    assert proposed_case.mother.id_number == ID_NUMBER  # the demo-like case, through the service
    assert len(cells["mothers_mother"]) > 0 and len(cells["mothers_pregnancy"]) > 0
    found = [
        (table, secret)
        for table, values in cells.items()
        for secret in (*SECRETS, "051199004321")
        for value in values
        if secret in value
    ]
    assert found == []
    assert sum(value.startswith(crypto.PREFIX) for value in cells["mothers_mother"]) == 2
    assert sum(value.startswith(crypto.PREFIX) for value in cells["mothers_antenatalvisit"]) >= 4
