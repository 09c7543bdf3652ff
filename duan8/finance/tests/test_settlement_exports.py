"""Disbursement and settlement files (.xlsx, .docx) read back, and ``duan8 finance_report``."""

import datetime
import io
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from duan8.accounts.models import User
from duan8.core.audit import AuditEvent, NotVisible
from duan8.finance.exports import finance_report_export
from duan8.finance.services.settlement import settlement_draft
from duan8.finance.tests.frep_records import accountant, allocate, pay
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def money(ba_trang: OrgUnit, ba_trang_plan: Plan) -> User:
    allocate(ba_trang, 100_000_000)
    pay(ba_trang, ba_trang_plan, 1_200_000, D(2023, 5, 1))
    return accountant(ba_trang)


def _cells(content: bytes) -> list:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_disbursement_xlsx_and_docx(ba_trang: OrgUnit, money: User) -> None:
    sheet = finance_report_export(
        actor=money, unit=ba_trang, year=2023, kind="disbursement", file_format="xlsx"
    )
    cells = _cells(sheet.content)
    assert "BÁO CÁO TÌNH HÌNH GIẢI NGÂN KINH PHÍ DỰ ÁN 8" in cells
    assert 100_000_000 in cells and 1_200_000 in cells  # numbers stay numbers
    assert "1%" in cells
    assert any("chưa được kiểm chứng" in str(c) for c in cells)
    assert sheet.filename == "giai-ngan-ba-trang-2023.xlsx"

    word = finance_report_export(
        actor=money, unit=ba_trang, year=2023, kind="disbursement", file_format="docx"
    )
    text = _text(word.content)
    assert "XÃ BA TRANG" in text and "1.200.000" in text and "100.000.000" in text
    assert AuditEvent.objects.filter(action="finance.report.exported").count() == 2


def test_settlement_xlsx_and_docx(ba_trang: OrgUnit, money: User) -> None:
    settlement_draft(actor=money, holder=ba_trang, year=2023)
    cells = _cells(
        finance_report_export(
            actor=money, unit=ba_trang, year=2023, kind="settlement", file_format="xlsx"
        ).content
    )
    assert "BÁO CÁO QUYẾT TOÁN KINH PHÍ DỰ ÁN 8" in cells
    assert 98_800_000 in cells  # carried over
    text = _text(
        finance_report_export(
            actor=money, unit=ba_trang, year=2023, kind="settlement", file_format="docx"
        ).content
    )
    assert "98.800.000" in text and "Dự thảo" in text and "CHỦ TỊCH" in text


def test_a_formula_typed_as_a_name_stays_text(ba_trang: OrgUnit, money: User) -> None:
    ba_trang.name = "=HYPERLINK(1)"
    ba_trang.save(update_fields=["name"])
    cells = _cells(
        finance_report_export(
            actor=money, unit=ba_trang, year=2023, kind="disbursement", file_format="xlsx"
        ).content
    )
    assert not any(str(c).startswith("=") for c in cells)


def test_another_communes_officer_gets_no_file(
    ba_trang: OrgUnit, money: User, other_commune_officer: User
) -> None:
    for kind in ("disbursement", "settlement"):
        with pytest.raises(NotVisible):
            finance_report_export(
                actor=other_commune_officer,
                unit=ba_trang,
                year=2023,
                kind=kind,
                file_format="xlsx",
            )


def test_the_command_writes_both_kinds(
    ba_trang: OrgUnit, money: User, tmp_path: Path, english: None
) -> None:
    out = tmp_path / "g.xlsx"
    call_command(
        "finance_report",
        unit="21520",
        year=2023,
        kind="disbursement",
        format="xlsx",
        output=str(out),
    )
    assert 1_200_000 in _cells(out.read_bytes())
    with pytest.raises(CommandError, match="no settlement"):
        call_command(
            "finance_report",
            unit="21520",
            year=2023,
            kind="settlement",
            format="docx",
            output=str(out),
        )
    settlement_draft(actor=money, holder=ba_trang, year=2023)
    doc = tmp_path / "q.docx"
    call_command(
        "finance_report", unit="21520", year=2023, kind="settlement", format="docx", output=str(doc)
    )
    assert "98.800.000" in _text(doc.read_bytes())


def test_the_command_explains_bad_input(ba_trang: OrgUnit, tmp_path: Path, english: None) -> None:
    out = str(tmp_path / "x.xlsx")
    with pytest.raises(CommandError, match="99999"):
        call_command(
            "finance_report",
            unit="99999",
            year=2023,
            kind="disbursement",
            format="xlsx",
            output=out,
        )
    with pytest.raises(CommandError, match="not a date"):
        call_command(
            "finance_report",
            unit="21520",
            year=2023,
            kind="disbursement",
            format="xlsx",
            output=out,
            as_of="31.12",
        )
    with pytest.raises(CommandError, match="no longer existed"):
        call_command(
            "finance_report",
            unit="VN-QD124-21520",
            year=2023,
            kind="disbursement",
            format="xlsx",
            output=out,
            as_of="2027-01-01",
        )
