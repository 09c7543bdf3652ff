"""Memory, time and size of a 1,000,000-value export in each format (issue 18, point 4).

    .venv/bin/python bench/bench_export_stream.py                      # 1,000,000 values, all
    .venv/bin/python bench/bench_export_stream.py --values 200000 --formats adx dhis2
    .venv/bin/python bench/bench_export_stream.py --no-tracemalloc --no-read --keep /tmp/out

The values are synthetic (no database is read or written): a province and N communes, 50
indicators, and for each unit and indicator a result, a target and the 8 participant cells
(sex × minority × age), 10 values each: 2,001 units make 1,000,500 values. They go through the
writers' own entry points (``adx.chunks``, ``dhis2.chunks``, ``xlsx.write``), each file written
to disk, in two ways:

- ``stream``: the values made one at a time by a generator, as the writers take them;
- ``engine``: first the result ``indicator_values`` returns for such a unit (an
  ``IndicatorValues`` holding the million values in its ``ValueStore``, a list per unit and
  indicator, filled through its mapping as the engine fills it), then the export reads it as
  ``data_export`` does
  (``rows.data_rows``, one row at a time). This is the whole path of a download;
- ``whole`` (not run by default; ``--ways whole --values 100000``): as before it streamed, the
  engine's rows as one list and the whole document in memory, for comparison.

Each (format, way) runs in a child process of its own: its peak resident memory (``ru_maxrss``,
everything: Python, Django, lxml's and zlib's buffers) before and after writing, and, in a second
child, the peak of Python's own allocations while writing (``tracemalloc``, at ``--trace-values``,
100,000 by default: tracing makes openpyxl five times slower; lxml's C buffers are not counted
there, ``ru_maxrss`` counts them). Then a real reader checks each file: lxml parses
the ADX (``iterparse``), ``json.load`` reads the DHIS2 set, openpyxl reads the workbook back
(read-only), each counting the values. The target: under 200 MB for each format.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ELEMENTS = 50
PER_PAIR = 10  # a result, a target and 8 participant cells
FORMATS = ("adx", "dhis2", "xlsx")
EXTENSIONS = {"adx": "adx.xml", "dhis2": "dhis2.json", "xlsx": "xlsx"}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duan8.settings")
    import django

    django.setup()


def _header(values: int):
    """An ``IndicatorValues`` of a province and its communes, 50 indicators, no values yet."""
    import datetime

    from duan8.activities.rule_filters import Period
    from duan8.activities.values import IndicatorValues
    from duan8.orgunits.models import OrgUnit
    from duan8.programs.models import ProgramElement

    communes = max(1, -(-values // (ELEMENTS * PER_PAIR)) - 1)
    province = OrgUnit(
        pk=1,
        code="51",
        code_scheme=OrgUnit.CodeScheme.QD19_2025,
        name="Quảng Ngãi",
        kind="Tỉnh",
        level=OrgUnit.Level.PROVINCE,
    )
    children = [
        OrgUnit(
            pk=100 + number,
            code=f"{20000 + number:05d}",
            code_scheme=OrgUnit.CodeScheme.QD19_2025,
            name=f"Xã Thử Nghiệm {number}",
            kind="Xã",
            level=OrgUnit.Level.COMMUNE,
        )
        for number in range(communes)
    ]
    elements = [
        ProgramElement(
            pk=10_000 + number,
            code=f"1719.GD1.DA8.ND{number // 10 + 1}.HD{number % 10 + 1}.1",
            title=f"Chỉ tiêu thử nghiệm số {number + 1}: tổ chức hoạt động truyền thông",
            unit="lượt",
        )
        for number in range(ELEMENTS)
    ]
    return IndicatorValues(
        unit=province,
        as_of=datetime.date(2026, 1, 1),
        period=Period.year(2025),
        children=children,
        elements=elements,
    )


def _synthetic_rows(data):
    """Every value made one at a time, unit by unit in ``data.units`` order."""
    from duan8.activities.values import CELLS, DataValue, Measure

    for unit in data.units:
        for index, element in enumerate(data.elements):
            base = unit.pk * 7 + index
            yield DataValue(unit, element, Measure.VALUE, base % 97)
            yield DataValue(unit, element, Measure.TARGET, 100)
            for number, cell in enumerate(CELLS):
                yield DataValue(unit, element, Measure.PARTICIPANTS, base % 13 + number + 1, cell)


def _engine_values(data) -> None:
    """Fill ``data.values`` (the result's ``ValueStore``) as ``indicator_values`` does: a key
    per value, the disaggregation's one shared Cell in each."""
    from duan8.activities.values import CELLS, Measure

    values = data.values
    for unit in data.units:
        for index, element in enumerate(data.elements):
            base = unit.pk * 7 + index
            values[(unit.pk, element.pk, Measure.VALUE, None)] = base % 97
            values[(unit.pk, element.pk, Measure.TARGET, None)] = 100
            for number, cell in enumerate(CELLS):  # shared, as the engine's are
                values[(unit.pk, element.pk, Measure.PARTICIPANTS, cell)] = base % 13 + number + 1


def _write(fmt: str, data, rows, path: Path) -> int:
    from duan8.reports.exports import adx, dhis2, xlsx

    with path.open("wb") as stream:
        if fmt == "xlsx":
            xlsx.write(stream, data, rows)
        else:
            for piece in (adx.chunks if fmt == "adx" else dhis2.chunks)(data, (), rows):
                stream.write(piece)
    return path.stat().st_size


def _write_whole(fmt: str, data, path: Path) -> int:
    """The way it was before it streamed (for comparison, ``--ways whole``): the engine's rows
    as one list (``data.rows``), the whole document in memory, then its bytes."""
    from lxml import etree

    from duan8.core import xlsx as core
    from duan8.reports.exports import codes
    from duan8.reports.exports.dhis2 import number_text
    from duan8.reports.exports.periods import adx_period, dhis2_period

    rows = data.rows
    if fmt == "adx":
        ns = "{urn:ihe:qrph:adx:2015}"
        root = etree.Element(f"{ns}adx", nsmap={None: ns[1:-1]}, exported="2026-01-01T00:00:00")
        groups = {}
        for unit in data.units:
            groups[unit.pk] = etree.SubElement(
                root,
                f"{ns}group",
                orgUnit=codes.org_unit_code(unit),
                period=adx_period(data.period),
            )
        for row in rows:
            etree.SubElement(
                groups[row.unit.pk],
                f"{ns}dataValue",
                dataElement=codes.data_element_code(row.element, row.measure),
                **codes.dimensions(row.cell),
                value=number_text(row.value),
            )
        content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    elif fmt == "dhis2":
        period = dhis2_period(data.period)
        content = json.dumps(
            {
                "dataValues": [
                    {
                        "dataElement": codes.data_element_code(r.element, r.measure),
                        "period": period,
                        "orgUnit": codes.org_unit_code(r.unit),
                        "categoryOptionCombo": codes.category_option_combo(r.cell),
                        "value": number_text(r.value),
                    }
                    for r in rows
                ]
            },
            ensure_ascii=False,
            indent=1,
        ).encode("utf-8")
    else:
        book = core.workbook_new()
        table = book.active
        for r in rows:  # sheet.append: core.row_append reads max_row per row, O(n²)
            table.append(
                [
                    core.cell_value(v)
                    for v in (
                        codes.org_unit_code(r.unit),
                        r.unit.full_name,
                        codes.data_element_code(r.element, r.measure),
                        r.element.title,
                        r.measure,
                        r.cell.sex if r.cell else "",
                        "",
                        "",
                        r.value,
                    )
                ]
            )
        content = core.workbook_bytes(book)
    path.write_bytes(content)
    return len(content)


def child(fmt: str, way: str, values: int, path: Path, trace: bool) -> dict:
    _setup()
    import tracemalloc

    data = _header(values)
    if way in ("engine", "whole"):
        _engine_values(data)
    from duan8.reports.exports.rows import data_rows, row_count

    count = row_count(data) if way != "stream" else len(data.units) * ELEMENTS * PER_PAIR
    before = _rss_mb()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    if way == "whole":
        size = _write_whole(fmt, data, path)
    else:
        rows = data_rows(data) if way == "engine" else _synthetic_rows(data)
        size = _write(fmt, data, rows, path)
    seconds = time.perf_counter() - start
    result = {
        "format": fmt,
        "way": way,
        "values": count,
        "units": len(data.units),
        "bytes": size,
        "seconds": round(seconds, 1),
        "rss_before_mb": round(before, 1),
        "rss_peak_mb": round(_rss_mb(), 1),
    }
    if trace:
        result["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    return result


def read_back(fmt: str, path: Path) -> dict:
    """A real reader counts the values of the file."""
    start = time.perf_counter()
    if fmt == "adx":
        from lxml import etree

        count = 0
        for count, (_event, element) in enumerate(  # noqa: B007
            etree.iterparse(str(path), tag="{urn:ihe:qrph:adx:2015}dataValue"), start=1
        ):
            element.clear()
    elif fmt == "dhis2":
        with path.open("rb") as stream:
            count = len(json.load(stream)["dataValues"])
    else:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        tables = book.worksheets[1:-1]  # between the summary and "About"
        count = sum(1 for sheet in tables for _row in sheet.iter_rows(min_row=2, values_only=True))
        book.close()
    return {
        "format": fmt,
        "read_values": count,
        "read_seconds": round(time.perf_counter() - start, 1),
        "reader_rss_mb": round(_rss_mb(), 1),
    }


def _run_child(*args: str) -> dict:
    out = subprocess.run(  # noqa: S603
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=1_000_000)
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--ways", nargs="+", default=["stream", "engine"])
    parser.add_argument("--no-tracemalloc", action="store_true")
    parser.add_argument(
        "--trace-values",
        type=int,
        default=100_000,
        help="Values of the tracemalloc runs (tracing makes openpyxl 5× slower).",
    )
    parser.add_argument("--no-read", action="store_true")
    parser.add_argument("--keep", help="Write the files here (kept) instead of a temporary dir.")
    parser.add_argument(
        "--child", nargs=3, metavar=("FORMAT", "WAY", "PATH"), help=argparse.SUPPRESS
    )
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--read", nargs=2, metavar=("FORMAT", "PATH"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        fmt, way, path = options.child
        print(json.dumps(child(fmt, way, options.values, Path(path), options.trace)))  # noqa: T201
        return
    if options.read:
        print(json.dumps(read_back(options.read[0], Path(options.read[1]))))  # noqa: T201
        return

    print(f"load average at start: {os.getloadavg()}", flush=True)  # noqa: T201
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(options.keep or temporary)
        folder.mkdir(parents=True, exist_ok=True)
        for way in options.ways:
            for fmt in options.formats:
                path = folder / f"export_{way}.{EXTENSIONS[fmt]}"
                args = ["--values", str(options.values), "--child", fmt, way, str(path)]
                result = _run_child(*args)
                if not options.no_tracemalloc:
                    traced_path = folder / f"traced_{way}.{EXTENSIONS[fmt]}"
                    traced = _run_child(
                        "--values",
                        str(options.trace_values),
                        "--child",
                        fmt,
                        way,
                        str(traced_path),
                        "--trace",
                    )
                    traced_path.unlink(missing_ok=True)
                    result["tracemalloc_values"] = traced["values"]
                    result["tracemalloc_peak_mb"] = traced["tracemalloc_peak_mb"]
                if not options.no_read and way == "stream":
                    result.update(_run_child("--read", fmt, str(path)))
                result["load_average"] = [round(n, 2) for n in os.getloadavg()]
                print(json.dumps(result), flush=True)  # noqa: T201


if __name__ == "__main__":
    main()
