"""Time the province's table of its communes against the targets it assigned (issue 12, point 3),
for 100 communes; target under 500 ms, a fixed number of queries.

    .venv/bin/python bench/bench_assignment_table.py                          # SQLite, temporary
    DB=postgres DB_NAME=duan8_bench .venv/bin/python bench/bench_assignment_table.py

The province (QĐ 19/2025 map) assigns 2027 targets for every indicator of Dự án 8 to 100
communes; 90 of them have a 2027 plan with a commune-level target per indicator. Each run renders
the page "Chỉ tiêu giao cho các xã" through the test client as a superuser.
"""

import statistics
import sys
import time
from pathlib import Path
from typing import Any

from common import bench_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMUNES = 100
RUNS = 7


def _world() -> tuple[Any, int]:
    from duan8.orgunits.models import OrgUnit
    from duan8.orgunits.tests.factories import make_unit
    from duan8.programs.models import Plan, Target
    from duan8.programs.tests.test_assignments import assignment_plan, indicators
    from duan8.testing import program_structure_ensure

    program_structure_ensure()
    new = OrgUnit.CodeScheme.QD19_2025
    province = make_unit(
        code="51", name="Quảng Ngãi", level=1, kind="Tỉnh", scheme=new, valid_to=None
    )
    communes = [
        make_unit(
            code=f"{30000 + n}",
            name=f"Xã thử {n}",
            level=3,
            kind="Xã",
            parent=province,
            scheme=new,
            valid_to=None,
        )
        for n in range(COMMUNES)
    ]
    elements = indicators(100)
    project = assignment_plan(
        province, 2027, {c: [2] * len(elements) for c in communes}, elements
    ).project
    for n, commune in enumerate(communes[:90]):
        plan = Plan.objects.create(
            project=project,
            issuing_unit=commune,
            year=2027,
            issuing_body=f"UBND {commune.full_name}",
            title="Kế hoạch năm 2027",
        )
        Target.objects.bulk_create(
            Target(plan=plan, element=e, scope="commune", kind="number", value=n % 4)
            for e in elements
        )
    return province, len(elements)


def main() -> None:
    with bench_database() as database:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from duan8.accounts.tests.factories import UserFactory

        province, columns = _world()
        client = Client()
        client.force_login(UserFactory(username="bench.admin", is_superuser=True))
        url = reverse("programs:assignment_table", kwargs={"pk": province.pk})
        totals = []
        for _ in range(RUNS):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {"year": 2027}, HTTP_HOST="localhost")
            totals.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        query_count = len(queries.captured_queries)

    print(f"Database: {database}")
    print(f"{COMMUNES} communes × {columns} assigned indicators (90 with a 2027 plan)")
    print(
        f"assignment table page, {RUNS} runs: median {statistics.median(totals):.3f} s,"
        f" min {min(totals):.3f} s, max {max(totals):.3f} s ({query_count} queries)"
    )


if __name__ == "__main__":
    main()
