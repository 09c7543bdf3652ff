"""The set-up the benchmarks share: Django on a database of the run's own, dropped afterwards.

    from common import bench_database

    with bench_database(keep=args.keep) as database:  # "postgresql (test_duan8_bench)"
        run(args.runs)

On PostgreSQL (``DB=postgres``) the run creates and afterwards drops ``test_<DB_NAME>``, as the
test runner does; on SQLite it migrates a file in a temporary folder and removes the folder.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def bench_database(
    *, keep: bool = False, reuse: str = "", debug: bool | None = None
) -> Iterator[str]:
    """Set Django up on a fresh database, yield its label (``vendor (name)``), drop it at the end.

    ``keep`` keeps the database and prints its name (drop it by hand); ``reuse`` names a
    PostgreSQL database kept by an earlier run: nothing is created, migrated or dropped.
    ``debug=False`` runs as in production (no query log kept in memory); ``None`` leaves it.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duan8.settings")
    postgres = os.environ.get("DB") == "postgres"
    folder = None if postgres else tempfile.mkdtemp(prefix="duan8-bench-")
    if folder is not None:
        os.environ["SQLITE_PATH"] = str(Path(folder) / "bench.sqlite3")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if debug is not None:
        settings.DEBUG = debug
    old_name = connection.settings_dict["NAME"]
    if reuse:
        connection.close()
        connection.settings_dict["NAME"] = reuse
    elif postgres:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    else:
        call_command("migrate", verbosity=0)
    try:
        yield f"{connection.vendor} ({connection.settings_dict['NAME']})"
    finally:
        if keep or reuse:
            print(f"Database kept: {connection.settings_dict['NAME']}")
        elif postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        if folder is not None and not keep:
            connection.close()
            shutil.rmtree(folder, ignore_errors=True)
