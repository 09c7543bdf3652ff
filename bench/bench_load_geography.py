"""Time loading the whole country's geography into a fresh database.

    .venv/bin/python bench/bench_load_geography.py                          # SQLite, temporary file
    DB=postgres DB_NAME=duan8_bench .venv/bin/python bench/bench_load_geography.py

On PostgreSQL the run creates and afterwards drops ``test_<DB_NAME>`` (as the test runner does),
so ``DB_NAME`` itself is never written to.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duan8.settings")
    postgres = os.environ.get("DB") == "postgres"
    tmp = None if postgres else tempfile.TemporaryDirectory(prefix="duan8-bench-")
    if tmp is not None:
        os.environ["SQLITE_PATH"] = str(Path(tmp.name) / "bench.sqlite3")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from duan8.orgunits.geography import geography_load
    from duan8.orgunits.models import OrgUnit

    old_name = connection.settings_dict["NAME"]
    start = time.perf_counter()
    if postgres:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    else:
        call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - start
    try:
        database = f"{connection.vendor} ({connection.settings_dict['NAME']})"
        start = time.perf_counter()
        result = geography_load()
        load_seconds = time.perf_counter() - start

        start = time.perf_counter()
        rerun = geography_load()
        rerun_seconds = time.perf_counter() - start
    finally:
        if postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        if tmp is not None:
            connection.close()
            tmp.cleanup()

    print(f"Database: {database}; migrate {migrate_seconds:.1f} s")
    print(f"Load the whole country: {load_seconds:.2f} s")
    print(
        f"Load again (nothing to change): {rerun_seconds:.2f} s,"
        f" {rerun.units_created + rerun.units_updated} units and"
        f" {rerun.successions_created + rerun.successions_updated} successions written"
    )
    for scheme in OrgUnit.CodeScheme:
        counts = {level.label: result.count(scheme, level) for level in OrgUnit.Level}
        if any(counts.values()):
            print(f"  {scheme.value}: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v))
    print("  successions: " + ", ".join(f"{k} {v}" for k, v in result.successions.most_common()))
    print(f"  unmatched converter keys: {len(result.unmatched_keys)}")
    print(f"  type column contradicts the name: {len(result.kind_conflicts)}")


if __name__ == "__main__":
    main()
