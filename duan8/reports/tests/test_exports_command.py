import datetime
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from lxml import etree
from openpyxl import load_workbook

from duan8.core.models import AuditEvent
from duan8.reports.tests.records import SESSIONS, plan_for, session

D = datetime.date
SCHEMA_FILE = Path(__file__).resolve().parents[1] / "data" / "adx" / "adx_loose.xsd"


@pytest.fixture
def merged(indicator_rules, ba_trang_merger, ba_trang, ba_kham, villages, ba_kham_village):
    session(plan_for(ba_trang, 2023), villages["Bùi Hui"], D(2023, 10, 5), women=28, men=8)
    session(plan_for(ba_kham, 2023), ba_kham_village, D(2023, 9, 9), women=7)
    return ba_trang_merger


def _export(tmp_path, *args: str, name: str = "out") -> Path:
    target = tmp_path / name
    call_command("data_export", *args, "-o", str(target), stdout=StringIO())
    return target


def test_21520_as_of_2026_is_dang_thuy_tram_and_its_adx_validates(merged, tmp_path):
    out = _export(
        tmp_path, "--format", "adx", "--unit", "21520", "--period", "2023", "--as-of", "2026-01-01"
    )

    document = etree.parse(str(out))
    schema = etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))
    assert schema.validate(document), [e.message for e in schema.error_log]
    group = document.getroot()[0]
    assert group.get("orgUnit") == "VN-QD19-21520"
    sessions = [v for v in group if v.get("dataElement") == SESSIONS]
    assert sessions[0].get("value") == "2"


def test_without_as_of_the_code_is_read_on_the_periods_last_day(merged, tmp_path):
    out = _export(tmp_path, "--format", "dhis2", "--unit", "21520", "--period", "2023")

    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["orgUnit"] == "VN-QD124-21520"
    event = AuditEvent.objects.get(action="reports.data.exported")
    assert event.actor is None and event.actor_name


def test_a_range_of_days_and_the_xlsx_format(merged, tmp_path):
    out = _export(
        tmp_path,
        "--format",
        "xlsx",
        "--unit",
        "VN-QD124-535",
        "--period",
        "2023-10-01..2023-10-31",
        "--no-children",
        name="out.xlsx",
    )

    summary = load_workbook(out).worksheets[0]
    row = next(r for r in summary.iter_rows(min_row=4, values_only=True) if r[0] == "1.2.2")
    assert row[3:] == (1,)


def test_as_a_user_who_may_not_see_the_unit_it_is_refused_and_audited(
    merged, tmp_path, other_commune_officer
):
    with pytest.raises(CommandError) as exc:
        _export(
            tmp_path,
            "--format",
            "adx",
            "--unit",
            "21520",
            "--period",
            "2023",
            "--user",
            other_commune_officer.username,
        )

    assert "Ba Trang" in str(exc.value)
    assert not (tmp_path / "out").exists()
    denied = AuditEvent.objects.get(action="access.denied")
    assert denied.actor == other_commune_officer
    assert not AuditEvent.objects.filter(action="reports.data.exported").exists()


def test_as_the_commune_officer_it_works(merged, tmp_path, commune_officer):
    out = _export(
        tmp_path,
        "--format",
        "adx",
        "--unit",
        "21520",
        "--period",
        "2023",
        "--user",
        "hlhpn.batrang",
    )

    assert out.exists()
    assert AuditEvent.objects.get(action="reports.data.exported").actor == commune_officer


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--unit", "99999", "--period", "2023"], "99999"),
        (["--unit", "21520", "--period", "20x3"], "20x3"),
        (["--unit", "21520", "--period", "2023", "--as-of", "2019-05-01"], "01/01/2023"),
        (["--unit", "21520", "--period", "2023", "--user", "nobody"], "nobody"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(merged, tmp_path, args, says):
    with pytest.raises(CommandError) as exc:
        _export(tmp_path, "--format", "adx", *args)

    assert says in str(exc.value)
    assert not (tmp_path / "out").exists()


def test_the_command_line_exits_non_zero_on_refusal(tmp_path):
    """From a shell: a refusal prints the reason and the exit status is not 0."""
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "duan8",
            "data_export",
            "--format",
            "csv",
            "--unit",
            "21520",
            "--period",
            "2023",
            "-o",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )

    assert result.returncode != 0
    assert "csv" in result.stderr
