"""The map's state (issue 18): one row whose ``token`` the database itself changes on every write
to the units or their successions, so a roll-up map kept in memory is checked in one indexed
read instead of counting the country's units.

Triggers, not signals: the map is also written by ``bulk_create``, ``QuerySet.update``, COPY
(``generate_demo``) and migrations, which send no signal. The token is random, not a counter:
a transaction that changed the map and rolled back leaves the old token, and the new one it had
(under which it may have kept its own view of the map) is never given again. The table is not
a model, so Django's ``flush`` leaves it; truncating the units changes the token as any other
write does.
"""

from django.db import migrations

TABLES = ("orgunits_orgunit", "orgunits_orgunitsuccession")

POSTGRES = [
    "CREATE TABLE orgunits_map_state (id integer PRIMARY KEY, token bigint NOT NULL)",
    "INSERT INTO orgunits_map_state VALUES (1, floor(random() * 9007199254740991)::bigint)",
    """CREATE FUNCTION orgunits_map_state_change() RETURNS trigger AS $$
    BEGIN
        UPDATE orgunits_map_state SET token = floor(random() * 9007199254740991)::bigint;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql""",
    *(
        f"CREATE TRIGGER {table}_map_state AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
        f" ON {table} FOR EACH STATEMENT EXECUTE FUNCTION orgunits_map_state_change()"
        for table in TABLES
    ),
]
POSTGRES_BACK = [
    *(f"DROP TRIGGER {table}_map_state ON {table}" for table in TABLES),
    "DROP FUNCTION orgunits_map_state_change()",
    "DROP TABLE orgunits_map_state",
]

SQLITE = [
    "CREATE TABLE orgunits_map_state (id integer PRIMARY KEY, token bigint NOT NULL)",
    "INSERT INTO orgunits_map_state VALUES (1, random())",
    *(
        f"CREATE TRIGGER {table}_map_state_{event.lower()} AFTER {event} ON {table}"
        " BEGIN UPDATE orgunits_map_state SET token = random(); END"
        for table in TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
]
SQLITE_BACK = [
    *(
        f"DROP TRIGGER {table}_map_state_{event.lower()}"
        for table in TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
    "DROP TABLE orgunits_map_state",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements[schema_editor.connection.vendor]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("orgunits", "0002_national_root")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_BACK, "sqlite": SQLITE_BACK}),
        )
    ]
