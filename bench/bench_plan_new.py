"""Time creating next year's plan from the previous one for a commune with 30 villages; target
under 1 s.

    .venv/bin/python bench/bench_plan_new.py                          # SQLite, temporary file
    DB=postgres DB_NAME=duan8_bench .venv/bin/python bench/bench_plan_new.py

The previous plan is Kế hoạch 87/KH-UBND (the demo plan, every text and target) with its
allocation table widened to 30 villages (as ``bench_plan_docx``). Each run creates the 2024 draft
with the targets carried over (``duan8.programs.plan_new.plan_new``, the heavier of the two
choices), then deletes it. On PostgreSQL the run creates and afterwards drops ``test_<DB_NAME>``.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_plan_docx import VILLAGES, thirty_village_world  # noqa: E402

RUNS = 7


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
    from django.test.utils import CaptureQueriesContext

    from duan8.programs.plan_new import PREVIOUS, plan_new

    old_name = connection.settings_dict["NAME"]
    if postgres:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    else:
        call_command("migrate", verbosity=0)
    try:
        previous, _data, _demo = thirty_village_world()
        commune = previous.issuing_unit
        database = f"{connection.vendor} ({connection.settings_dict['NAME']})"

        totals = []
        for _ in range(RUNS):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                result = plan_new(
                    actor=None, unit=commune, year=2024, source=PREVIOUS, carry_targets=True
                )
            totals.append(time.perf_counter() - start)
            rows, targets = result.rows, result.targets
            result.plan.delete()
        query_count = len(queries.captured_queries)
    finally:
        if postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        if tmp is not None:
            connection.close()
            tmp.cleanup()

    print(f"Database: {database}")
    print(
        f"From {previous.reference} ({previous.year}): {VILLAGES} villages, {targets} targets,"
        f" {rows} allocation rows carried to 2024"
    )
    print(
        f"plan_new, {RUNS} runs: median {statistics.median(totals):.3f} s,"
        f" min {min(totals):.3f} s, max {max(totals):.3f} s ({query_count} queries)"
    )


if __name__ == "__main__":
    main()
