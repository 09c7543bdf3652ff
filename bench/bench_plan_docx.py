"""Time generating the Kế hoạch (.docx) of a commune with 30 villages; target under 1 s.

    .venv/bin/python bench/bench_plan_docx.py                          # SQLite, temporary file
    DB=postgres DB_NAME=duan8_bench .venv/bin/python bench/bench_plan_docx.py
    .venv/bin/python bench/bench_plan_docx.py --pdf                    # also one PDF conversion

The plan is Kế hoạch 87/KH-UBND (the demo plan, every text and target) with its allocation table
widened to 30 villages. On PostgreSQL the run creates and afterwards drops ``test_<DB_NAME>``.
"""

import copy
import statistics
import sys
import time
from pathlib import Path

from common import bench_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VILLAGES = 30
RUNS = 7


def thirty_village_plan(data: dict, columns: int) -> dict:
    """The demo plan's JSON with 30 village rows under UBND xã; every total adds up."""
    data = copy.deepcopy(data)
    total = data["allocation"]["rows"][0]
    union, committee = total["children"]
    rows = []
    for n in range(1, VILLAGES + 1):
        values = ["0"] * columns
        values[0] = "01" if n <= 5 else "0"
        values[2] = "02" if n % 3 == 0 else "0"
        rows.append(
            {
                "kind": "village",
                "number": str(n),
                "label": f"Thôn {n:02d}",
                "village": f"Thôn {n:02d}",
                "difficult_villages": "01",
                "values": values,
            }
        )
    sums = [str(sum(int(r["values"][c]) for r in rows)) for c in range(columns)]
    committee["children"] = rows
    committee["values"] = sums
    committee["difficult_villages"] = str(VILLAGES)
    total["values"] = [str(int(a) + int(b)) for a, b in zip(sums, union["values"], strict=True)]
    return data


def thirty_village_world():
    """Xã Ba Trang with 30 villages, the program structure, and Kế hoạch 87/KH-UBND loaded with
    its allocation widened to them: returns the plan, its JSON and the demo's JSON."""
    from duan8.orgunits.models import OrgUnit
    from duan8.orgunits.services import org_unit_save_with_path
    from duan8.programs.plan_data import BA_TRANG_2023, plan_data_read, plan_load
    from duan8.programs.structure import program_structure_files, program_structure_load

    level = OrgUnit.Level

    def unit(code: str, name: str, lvl: int, kind: str, parent: OrgUnit | None) -> OrgUnit:
        return org_unit_save_with_path(
            OrgUnit(
                code_scheme=OrgUnit.CodeScheme.QD124_2004,
                code=code,
                name=name,
                level=lvl,
                kind=kind,
                parent=parent,
            )
        )

    province = unit("51", "Quảng Ngãi", level.PROVINCE, "Tỉnh", None)
    district = unit("535", "Ba Tơ", level.DISTRICT, "Huyện", province)
    commune = unit("21520", "Ba Trang", level.COMMUNE, "Xã", district)
    villages = {
        f"Thôn {n:02d}": org_unit_save_with_path(
            OrgUnit(
                code_scheme=OrgUnit.CodeScheme.LOCAL,
                code=f"21520-{n:02d}",
                name=f"Thôn {n:02d}",
                level=level.VILLAGE,
                kind="Thôn",
                parent=commune,
            )
        )
        for n in range(1, VILLAGES + 1)
    }
    for path in program_structure_files():
        program_structure_load(path=path)
    demo = plan_data_read(BA_TRANG_2023)
    data = thirty_village_plan(demo, len(demo["allocation"]["columns"]))
    plan = plan_load(data=data, issuing_unit=commune, villages=villages)
    return plan, data, demo


def main() -> None:
    with bench_database() as database:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from duan8.documents.pdf import docx_to_pdf, soffice_path
        from duan8.documents.plan_document import plan_docx, plan_text, plan_text_render

        plan, data, demo = thirty_village_world()

        plan_docx(plan)  # warm up: imports, font metrics
        totals, texts, renders = [], [], []
        for _ in range(RUNS):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                text = plan_text(plan)
            middle = time.perf_counter()
            content = plan_text_render(text)
            end = time.perf_counter()
            texts.append(middle - start)
            renders.append(end - middle)
            totals.append(end - start)
        query_count = len(queries.captured_queries)
        pdf_seconds = None
        if "--pdf" in sys.argv and soffice_path():
            start = time.perf_counter()
            pdf = docx_to_pdf(content)
            pdf_seconds = time.perf_counter() - start

    print(f"Database: {database}")
    print(
        f"Plan {plan.reference}: {VILLAGES} villages, {len(data['targets'])} target lines,"
        f" {len(demo['allocation']['columns'])} allocation columns"
    )
    print(
        f"Generate .docx ({len(content) / 1024:.0f} KiB), {RUNS} runs: median"
        f" {statistics.median(totals):.3f} s, min {min(totals):.3f} s, max {max(totals):.3f} s"
    )
    print(
        f"  of which reading and laying out the plan: median {statistics.median(texts):.3f} s"
        f" ({query_count} queries); writing Word: median {statistics.median(renders):.3f} s"
    )
    if pdf_seconds is not None:
        print(f"PDF by LibreOffice (one run): {pdf_seconds:.2f} s, {len(pdf) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
