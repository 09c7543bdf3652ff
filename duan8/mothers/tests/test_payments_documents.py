"""The payment list as .xlsx, .docx and PDF, read back; the ``duan8 payment_list`` command."""

import io
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from duan8.core.models import AuditEvent
from duan8.documents.pdf import soffice_path
from duan8.mothers.documents_payments import payment_list_export
from duan8.mothers.tests.payments_setup import *  # noqa: F403

pytestmark = pytest.mark.usefixtures("english")  # asserts on the English msgids

NAMES = {"Đinh Thị Hoa", "Phạm Thị Lan", "Hồ Thị Mai"}
WORDS = "Số tiền bằng chữ: Sáu triệu sáu trăm nghìn đồng."


def _xlsx_values(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _docx_text(content: bytes) -> tuple[str, list[list[str]]]:
    document = Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += [p.text for p in cell.paragraphs]
    table = document.tables[-2]  # the list; the last one is the signature block
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    return "\n".join(paragraphs), rows


def test_the_xlsx_has_the_official_layout_numbers_as_numbers_and_no_ethnicity(
    pay_approved_list, pay_accountant
):
    exported = payment_list_export(
        actor=pay_accountant, payment_list=pay_approved_list, file_format="xlsx"
    )
    rows = _xlsx_values(exported.content)
    flat = [value for row in rows for value in row if value is not None]

    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "Độc lập - Tự do - Hạnh phúc" in flat
    assert "ỦY BAN NHÂN DÂN" in flat and "XÃ BA TRANG" in flat
    assert "Số: 12/DS-UBND" in flat
    assert "DANH SÁCH" in flat
    header = next(row for row in rows if row[0] == "STT")
    assert header[1:4] == ["Họ và tên mẹ", "Năm sinh", "Thôn"]
    assert "Ký nhận" in header and "Ghi chú" in header
    people = [row for row in rows if row[1] in NAMES]
    assert {row[1] for row in people} == NAMES
    lan = next(row for row in people if row[1] == "Phạm Thị Lan")
    assert lan[0] == 1  # ordered by village: Bùi Hui first
    assert lan[2] == 2001 and lan[3] == "Bùi Hui"
    assert lan[4:9] == [200_000, 500_000, 300_000, 1_200_000, 2_200_000]
    total = next(row for row in rows if row[0] == "Tổng cộng")
    assert total[4:9] == [600_000, 1_500_000, 900_000, 3_600_000, 6_600_000]
    assert WORDS in flat
    assert {"NGƯỜI LẬP", "KẾ TOÁN", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"} <= set(flat)
    assert "Phạm Văn Thích" in flat  # the chairman who approved it
    assert not any(isinstance(v, str) and "Hrê" in v for v in flat)
    text_cells = [v for v in flat if not isinstance(v, int)]
    assert all(isinstance(v, str) for v in text_cells)
    assert exported.filename.startswith("danh-sach-chi-tra-ba-trang-2023-")


def test_the_docx_has_the_nd30_header_the_table_the_words_and_the_signatures(
    pay_approved_list, pay_accountant
):
    exported = payment_list_export(
        actor=pay_accountant, payment_list=pay_approved_list, file_format="docx"
    )
    text, rows = _docx_text(exported.content)

    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "XÃ BA TRANG",
        "Số: 12/DS-UBND",
        "DANH SÁCH",
        "Chi trả hỗ trợ phụ nữ dân tộc thiểu số sinh đẻ an toàn năm 2023",
        WORDS,
        "NGƯỜI LẬP",
        "KẾ TOÁN",
        "TM. ỦY BAN NHÂN DÂN",
        "Phạm Văn Thích",
    ):
        assert expected in text
    assert "Ba Trang, ngày" in text
    assert rows[0][:4] == ["STT", "Họ và tên mẹ", "Năm sinh", "Thôn"]
    assert "Ký nhận" in rows[0] and "Ghi chú" in rows[0]
    body = rows[2:]
    assert {row[1] for row in body[:-1]} == NAMES
    assert body[-1][0] == "Tổng cộng"
    assert "6.600.000" in body[-1]
    assert "2.200.000" in body[0]
    assert "Hrê" not in text


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice is not installed")
def test_the_pdf_reads_back_with_names_total_and_words(pay_approved_list, pay_accountant, tmp_path):
    exported = payment_list_export(
        actor=pay_accountant, payment_list=pay_approved_list, file_format="pdf"
    )
    pdf = tmp_path / "list.pdf"
    pdf.write_bytes(exported.content)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(pdf), "-"],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    ).stdout

    assert exported.content.startswith(b"%PDF")
    assert "DANH SÁCH" in text
    assert "Phạm Thị Lan" in text
    assert "6.600.000" in text
    assert "Sáu triệu sáu trăm nghìn đồng" in " ".join(text.split())


def test_every_download_is_audited_without_names(pay_approved_list, pay_accountant):
    payment_list_export(actor=pay_accountant, payment_list=pay_approved_list, file_format="xlsx")

    event = AuditEvent.objects.get(action="mothers.payment_list.exported")
    assert event.after["format"] == "xlsx"
    assert event.after["entries"] == 3
    assert "Hoa" not in str(event.after)


def test_the_command_writes_the_list(pay_approved_list, tmp_path):
    for file_format in ("xlsx", "docx"):
        output = tmp_path / f"ds.{file_format}"
        out = io.StringIO()
        call_command(
            "payment_list",
            "--unit",
            "21520",
            "--year",
            "2023",
            "--format",
            file_format,
            "-o",
            str(output),
            stdout=out,
        )
        assert output.stat().st_size > 1000
        assert str(output) in out.getvalue()
    assert "Phạm Thị Lan" in str(_xlsx_values(Path(tmp_path / "ds.xlsx").read_bytes()))
    event = AuditEvent.objects.filter(action="mothers.payment_list.exported").first()
    assert event.actor is None and "command line" in event.actor_name


def test_the_command_refuses_an_unknown_unit_and_a_year_without_a_list(pay_approved_list, tmp_path):
    with pytest.raises(CommandError, match="99999"):
        call_command(
            "payment_list", "--unit", "99999", "--year", "2023", "-o", str(tmp_path / "x.xlsx")
        )
    with pytest.raises(CommandError, match="no payment list for 2021"):
        call_command(
            "payment_list", "--unit", "21520", "--year", "2021", "-o", str(tmp_path / "x.xlsx")
        )
    assert not (tmp_path / "x.xlsx").exists()
