"""Time a report's Word (.docx, with its two charts) and Excel (.xlsx) files for a commune, a
district, a province and the country (issue 18, point 3: which of them may stay in the request).

    set -a && . bench/load/load.env && set +a && .venv/bin/python bench/bench_report_files.py

Reads the load database (``bench/load/setup_db.py``: ``generate_demo --scale province``, province
51 with 100 old communes × 30 villages, 2021–2025; Việt Nam above it, so "the country" is that one
province's records under the national unit). Inside one transaction that is rolled back at the
end it makes a superuser and one report per unit (the schedule "ubnd-bao-cao-15-9", period
1/1–15/9/2023, on the 2023 map), then times, median of ``--runs``:

- **figures**: ``figures_compute`` (the roll-up a draft's files print: today's records);
- **xlsx** / **docx**: the file alone from those figures (a submitted report's snapshot);
- **draft xlsx** / **draft docx**: ``report_export`` as the download view calls it (figures,
  file, audit event); then its **CPU** time in this process (Python, without PostgreSQL's).

Options: ``--runs N`` (default 5), ``--units commune,district,province,country``.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DUE = datetime.date(2023, 9, 15)
SCHEDULE = "ubnd-bao-cao-15-9"


class Rollback(Exception):
    pass


def _median(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _cpu(fn, runs: int) -> float:
    """Median CPU seconds of this process (Python's work; PostgreSQL's is not counted): less
    moved by the machine's load than the wall clock."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def _units() -> dict:
    """The commune with the most villages, the district with the most communes, province 51 and
    Việt Nam, on the 2023 map."""
    from django.db.models import Count

    from duan8.orgunits.models import OrgUnit

    old = OrgUnit.objects.filter(code_scheme=OrgUnit.CodeScheme.QD124_2004)
    busiest = old.annotate(n=Count("children")).order_by("-n", "path")
    province = old.get(level=OrgUnit.Level.PROVINCE, code="51")
    return {
        "commune": busiest.filter(level=OrgUnit.Level.COMMUNE, path__startswith=province.path)[0],
        "district": busiest.filter(level=OrgUnit.Level.DISTRICT, path__startswith=province.path)[0],
        "province": province,
        "country": OrgUnit.objects.get(level=OrgUnit.Level.NATIONAL),
    }


def _report(schedule, unit, recipient):
    from duan8.reports.models import Report

    return Report.objects.create(
        schedule=schedule,
        org_unit=unit,
        recipient_unit=recipient,
        period_start=datetime.date(DUE.year, 1, 1),
        period_end=DUE,
        due_on=DUE,
        results="Tổ chức các buổi truyền thông phòng chống tảo hôn.",
        difficulties="Đường đến một số thôn bị sạt lở.",
        proposals="Đề nghị hỗ trợ loa cầm tay.",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--units", default="commune,district,province,country")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duan8.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from duan8.accounts.models import User
    from duan8.reports.figures import figure_table, figures_compute
    from duan8.reports.models import Report, ReportSchedule
    from duan8.reports.report_files import DOCX, XLSX, report_docx, report_export, report_xlsx

    print(f"database {connection.settings_dict['NAME']}, load average {os.getloadavg()}")
    columns = ["Report of", "units", "lines", "figures", "xlsx", "docx", "draft xlsx", "draft docx"]
    print("| " + " | ".join([*columns, "CPU xlsx / docx", "sizes"]) + " |")
    print("| --- " * 10 + "|")
    try:
        with transaction.atomic():
            actor = User.objects.create_superuser("bench-report-files", password=None)
            schedule = ReportSchedule.objects.get(code=SCHEDULE)
            units = _units()
            for name in args.units.split(","):
                unit = units[name]
                recipient = unit.parent or unit
                report = _report(schedule, unit, recipient)
                t_fig, figures = _median(
                    lambda r=report: figures_compute(actor=actor, report=r), args.runs
                )
                table = figure_table(figures)
                t_xlsx, xlsx = _median(lambda r=report, t=table: report_xlsx(r, t), args.runs)
                t_docx, docx = _median(lambda r=report, t=table: report_docx(r, t), args.runs)
                t_dx, _ = _median(
                    lambda r=report: report_export(actor=actor, report=r, file_format=XLSX),
                    args.runs,
                )
                t_dd, _ = _median(
                    lambda r=report: report_export(actor=actor, report=r, file_format=DOCX),
                    args.runs,
                )
                c_dx = _cpu(
                    lambda r=report: report_export(actor=actor, report=r, file_format=XLSX),
                    args.runs,
                )
                c_dd = _cpu(
                    lambda r=report: report_export(actor=actor, report=r, file_format=DOCX),
                    args.runs,
                )
                assert report.status == Report.Status.DRAFT  # noqa: S101
                print(
                    f"| {unit.get_level_display()} {unit.name} | {len(figures['units'])} "
                    f"| {len(figures['lines'])} | {t_fig:.2f} s | {t_xlsx:.2f} s | {t_docx:.2f} s "
                    f"| {t_dx:.2f} s | {t_dd:.2f} s | {c_dx:.2f} s / {c_dd:.2f} s "
                    f"| {len(xlsx) // 1024} KB / {len(docx) // 1024} KB |",
                    flush=True,
                )
            raise Rollback
    except Rollback:
        pass
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
