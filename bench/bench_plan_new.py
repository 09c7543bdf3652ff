"""Time creating next year's plan from the previous one for a commune with 30 villages; target
under 1 s.

    .venv/bin/python bench/bench_plan_new.py                          # SQLite, temporary file
    DB=postgres DB_NAME=duan8_bench .venv/bin/python bench/bench_plan_new.py

The previous plan is Kế hoạch 87/KH-UBND (the demo plan, every text and target) with its
allocation table widened to 30 villages (as ``bench_plan_docx``). Each run creates the 2024 draft
with the targets carried over (``duan8.programs.plan_new.plan_new``, the heavier of the two
choices), then deletes it. On PostgreSQL the run creates and afterwards drops ``test_<DB_NAME>``.

Then a province of the new map (from 1/7/2025) with 100 communes starts its empty 2027 plan, which
gets an allocation row for each commune (issue 12, point 3); seven runs, each deleted.
"""

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import bench_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_plan_docx import VILLAGES, thirty_village_world  # noqa: E402

RUNS = 7
COMMUNES = 100


def _province_with_communes() -> Any:
    """A province of the new map with ``COMMUNES`` communes under it, from 1/7/2025."""
    import datetime

    from duan8.orgunits.models import OrgUnit
    from duan8.orgunits.services import org_unit_save_with_path

    reform = datetime.date(2025, 7, 1)

    def unit(code: str, name: str, level: int, kind: str, parent: OrgUnit | None) -> OrgUnit:
        return org_unit_save_with_path(
            OrgUnit(
                code_scheme=OrgUnit.CodeScheme.QD19_2025,
                code=code,
                name=name,
                level=level,
                kind=kind,
                parent=parent,
                valid_from=reform,
            )
        )

    province = unit("99", "Tỉnh thử", OrgUnit.Level.PROVINCE, "Tỉnh", None)
    for n in range(COMMUNES):
        unit(f"9{n:04d}", f"Xã {n:03d}", OrgUnit.Level.COMMUNE, "Xã", province)
    return province


def _time(make: Callable[[], Any], runs: int = RUNS) -> tuple[list[float], Any, int]:
    """Median, min and max seconds of ``make()`` (its plan deleted after each run), the last
    run's result and query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    totals = []
    for _ in range(runs):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            result = make()
        totals.append(time.perf_counter() - start)
        result.plan.delete()
    return totals, result, len(queries.captured_queries)


def main() -> None:
    with bench_database() as database:
        from duan8.programs.plan_new import EMPTY, PREVIOUS, plan_new

        previous, _data, _demo = thirty_village_world()
        commune = previous.issuing_unit

        totals, result, query_count = _time(
            lambda: plan_new(
                actor=None, unit=commune, year=2024, source=PREVIOUS, carry_targets=True
            )
        )
        rows, targets = result.rows, result.targets
        province = _province_with_communes()
        p_totals, p_result, p_queries = _time(
            lambda: plan_new(actor=None, unit=province, year=2027, source=EMPTY)
        )

    print(f"Database: {database}")
    print(
        f"From {previous.reference} ({previous.year}): {VILLAGES} villages, {targets} targets,"
        f" {rows} allocation rows carried to 2024"
    )
    print(
        f"plan_new, {RUNS} runs: median {statistics.median(totals):.3f} s,"
        f" min {min(totals):.3f} s, max {max(totals):.3f} s ({query_count} queries)"
    )
    print(
        f"Province with {COMMUNES} communes, empty 2027 plan ({p_result.rows} allocation rows),"
        f" {RUNS} runs: median {statistics.median(p_totals):.3f} s, min {min(p_totals):.3f} s,"
        f" max {max(p_totals):.3f} s ({p_queries} queries)"
    )


if __name__ == "__main__":
    main()
