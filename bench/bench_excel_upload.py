"""Time an Excel upload of 10,000 members of community groups: read, validate, save.

    .venv/bin/python bench/bench_excel_upload.py                          # SQLite, temporary file
    DB=postgres DB_NAME=duan8_bench .venv/bin/python bench/bench_excel_upload.py
    .venv/bin/python bench/bench_excel_upload.py --rows 20000 --villages 30 --groups 3

One commune with 30 villages and 3 groups per village (90 groups); the members template is
written by the application (as downloaded), filled with openpyxl like a user's file, then
uploaded through the same functions the pages use: ``rows_read`` (read), ``Importer.check``
(validate every row, nothing written) and ``Importer.save`` (one transaction, bulk writes, one
audit event). The confirmation path (``excel_import_save``: read + validate again + save) is
timed too, on a second commune. On PostgreSQL the run creates and afterwards drops
``test_<DB_NAME>``, so ``DB_NAME`` itself is never written to.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

from common import bench_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIRST = ["Đinh", "Phạm", "Hồ", "Nguyễn", "Trần", "Lê", "Võ", "Huỳnh"]
MIDDLE = ["Thị", "Văn", "Thị Thanh", "Văn Minh", "Thị Kim"]
LAST = ["Lan", "Tư", "Hoa", "Nga", "Bùi", "Rin", "Mai", "Hùng", "Sơn", "Hà", "Dung", "Khâm"]


def _world(villages: int, groups: int, code: str):
    import datetime

    from duan8.accounts.models import Membership, Role, User
    from duan8.activities.models import CommunityGroup
    from duan8.orgunits.models import OrgUnit
    from duan8.orgunits.services import org_unit_save_with_path

    def unit(**fields):
        return org_unit_save_with_path(OrgUnit(code_scheme=OrgUnit.CodeScheme.QD124_2004, **fields))

    province = OrgUnit.objects.filter(code="51", level=OrgUnit.Level.PROVINCE).first() or unit(
        code="51", name="Quảng Ngãi", level=OrgUnit.Level.PROVINCE, kind="Tỉnh"
    )
    commune = unit(
        code=code, name=f"Bench {code}", level=OrgUnit.Level.COMMUNE, kind="Xã", parent=province
    )
    made = []
    for number in range(1, villages + 1):
        village = org_unit_save_with_path(
            OrgUnit(
                code_scheme=OrgUnit.CodeScheme.LOCAL,
                code=f"{code}-{number:02d}",
                name=f"Thôn {number:02d}",
                level=OrgUnit.Level.VILLAGE,
                kind="Thôn",
                parent=commune,
            )
        )
        for team in range(1, groups + 1):
            made.append(
                CommunityGroup.objects.create(
                    kind="communication_team",
                    name=f"Tổ {team} thôn {number:02d}",
                    org_unit=village,
                    founded_on=datetime.date(2023, 3, 1),
                )
            )
    officer = User.objects.create_user(username=f"bench.{code}", password="bench-not-secret")
    Membership.objects.create(
        user=officer, org_unit=commune, role=Role.objects.get(code="commune_wu_officer")
    )
    return commune, officer, made


def _filled(template: bytes, groups, rows: int) -> bytes:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    codes = ["19 - Hrê", "30 - Co", "01 - Kinh", "14 - Xơ-đăng"]
    for i in range(rows):
        name = f"{FIRST[i % 8]} {MIDDLE[(i // 8) % 5]} {LAST[(i // 40) % 12]} {i:05d}"
        sheet.append(
            [
                groups[i % len(groups)].name,
                name,
                "Nữ" if i % 4 else "Nam",
                codes[i % 4],
                1960 + i % 45,
                "member" if i % 10 else "core",
                f"{1 + i % 28:02d}/{4 + i % 8:02d}/2023",
                None,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--villages", type=int, default=30)
    parser.add_argument("--groups", type=int, default=3)
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="duan8-bench-")  # the workbooks and MEDIA_ROOT
    os.environ["MEDIA_ROOT"] = str(Path(tmp.name) / "media")
    with tmp, bench_database() as database:
        from django.utils import translation

        from duan8.activities.excel.importers import excel_import_save, importer_for
        from duan8.activities.excel.kinds import MEMBERS
        from duan8.activities.excel.lists import lists_build
        from duan8.activities.excel.scope import excel_scope
        from duan8.activities.excel.workbook import rows_read, workbook_write
        from duan8.activities.models import CommunityGroupMember

        translation.activate("vi")
        results = {}
        for run, code in (("upload", "99001"), ("confirm", "99002")):
            commune, officer, groups = _world(args.villages, args.groups, code)
            scope = excel_scope(actor=officer, unit_id=commune.pk)
            lists = lists_build(scope, [c.choices for c in MEMBERS.columns])
            start = time.perf_counter()
            template = workbook_write(
                kind=MEMBERS, scope=scope, lists=lists, columns=MEMBERS.upload_columns
            )
            template_seconds = time.perf_counter() - start
            start = time.perf_counter()
            content = _filled(template, groups, args.rows)
            fill_seconds = time.perf_counter() - start
            path = Path(tmp.name) / f"{run}.xlsx"
            path.write_bytes(content)
            if run == "upload":
                start = time.perf_counter()
                rows = rows_read(str(path), kind=MEMBERS, name=path.name)
                read_seconds = time.perf_counter() - start
                start = time.perf_counter()
                importer = importer_for(MEMBERS, actor=officer, scope=scope)
                check = importer.check(rows)
                validate_seconds = time.perf_counter() - start
                assert check.ok, [str(e) for e in check.errors[:5]]
                start = time.perf_counter()
                counts = importer.save(check, file_name=path.name)
                save_seconds = time.perf_counter() - start
                results["upload"] = (read_seconds, validate_seconds, save_seconds, counts)
            else:
                start = time.perf_counter()
                _importer, check, counts = excel_import_save(
                    actor=officer, scope=scope, kind=MEMBERS, source=str(path), name=path.name
                )
                results["confirm"] = (time.perf_counter() - start, counts)
            saved = CommunityGroupMember.objects.filter(
                group__org_unit__path__startswith=commune.path
            ).count()
            assert saved == args.rows, saved

    read_seconds, validate_seconds, save_seconds, counts = results["upload"]
    print(f"Database: {database}")
    print(
        f"{args.rows} member rows, {args.villages} villages × {args.groups} groups; "
        f"file {len(content) / 1024 / 1024:.1f} MB"
    )
    print(f"Write the template: {template_seconds:.2f} s; fill it (openpyxl): {fill_seconds:.2f} s")
    print(
        f"Read {read_seconds:.2f} s + validate {validate_seconds:.2f} s + save {save_seconds:.2f} s"
        f" = {read_seconds + validate_seconds + save_seconds:.2f} s (created {counts['created']})"
    )
    confirm_seconds = results["confirm"][0]
    print(f"Confirmation path (read + validate + save, one transaction): {confirm_seconds:.2f} s")


if __name__ == "__main__":
    main()
