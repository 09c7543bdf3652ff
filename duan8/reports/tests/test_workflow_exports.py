"""A report as Excel, Word (Nghị định 30) and PDF, read back with real readers."""

import datetime
import io
import os
import shutil
import subprocess

import docx
import openpyxl
import pytest
from django.urls import reverse

from duan8.core.models import AuditEvent
from duan8.jobs.tests.helpers import download_through_job
from duan8.reports.report_files import DOCX, PDF, XLSX, report_export
from duan8.reports.services import report_open, report_save, report_submit
from duan8.testing import report_session

D = datetime.date


@pytest.fixture
def submitted(
    report_schedules, ba_trang, ba_trang_plan, villages, commune_officer, indicator_rules
):
    report_session(ba_trang_plan, villages["Bùi Hui"], D(2023, 5, 20), commune_officer)
    report_session(ba_trang_plan, villages["Nước Đang"], D(2023, 7, 2), commune_officer, women=8)
    report = report_open(
        actor=commune_officer,
        schedule=report_schedules["hlhpn-ket-qua-15-9"],
        unit=ba_trang,
        due_on=D(2023, 9, 15),
    )
    report_save(
        actor=commune_officer,
        report=report,
        results="Tổ chức 02 buổi truyền thông phòng chống tảo hôn.\n\nCác thôn tham gia đầy đủ.",
        difficulties="Đường đến thôn Kon Riêng bị sạt lở.",
        proposals="Đề nghị Hội LHPN huyện hỗ trợ loa cầm tay.",
        expected_version=report.version,
    )
    return report_submit(actor=commune_officer, report=report, expected_version=report.version)


def test_excel_holds_the_narrative_and_the_figures_with_vietnamese_headers(
    submitted, district_reviewer
):
    exported = report_export(actor=district_reviewer, report=submitted, file_format=XLSX)

    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    assert book.sheetnames == ["Báo cáo", "Số liệu", "Theo đơn vị"]
    text = [c for row in book["Báo cáo"].iter_rows(values_only=True) for c in row if c]
    assert "Xã Ba Trang" in text and "Đã gửi" in text
    assert "Đường đến thôn Kon Riêng bị sạt lở." in text
    figures = list(book["Số liệu"].iter_rows(values_only=True))
    assert figures[0][:6] == (
        "TT",
        "Nội dung chỉ tiêu",
        "Đơn vị tính",
        "Chỉ tiêu năm",
        "Kết quả",
        "Tỷ lệ (%)",
    )
    sessions = next(row for row in figures if row[0] == "1.2.2")  # 1719.GD1.DA8.ND1.HD2.2
    assert sessions[4] == 2  # result
    assert sessions[7] == 20  # women: 12 + 8
    assert exported.filename == "bao-cao-hlhpn-ket-qua-15-9-ba-trang-2023-09-15.xlsx"
    exported_event = AuditEvent.objects.get(action="reports.report.exported")
    assert exported_event.after["format"] == "xlsx"
    assert exported_event.actor == district_reviewer


def test_word_follows_the_decree_30_layout_with_header_title_figures_recipients_signature(
    submitted, commune_officer
):
    exported = report_export(actor=commune_officer, report=submitted, file_format=DOCX)

    document = docx.Document(io.BytesIO(exported.content))
    header = document.tables[0]
    left = header.cell(0, 0).text
    right = header.cell(0, 1).text
    assert left.split("\n") == ["HỘI LHPN HUYỆN BA TƠ", "HỘI LHPN", "XÃ BA TRANG", ""]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "Độc lập - Tự do - Hạnh phúc" in right
    assert "/BC-HPN" in header.cell(1, 0).text
    assert header.cell(1, 1).text.startswith("Ba Trang, ngày ")
    paragraphs = [p.text for p in document.paragraphs]
    title = paragraphs.index("BÁO CÁO")
    assert (
        paragraphs[title + 1] == "Kết quả thực hiện Dự án 8 từ ngày 01/01/2023 đến ngày 15/9/2023"
    )
    for heading in (
        "I. KẾT QUẢ THỰC HIỆN",
        "II. KHÓ KHĂN, VƯỚNG MẮC",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
        "Các thôn tham gia đầy đủ.",
        "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU TỪ NGÀY 01/01/2023 ĐẾN NGÀY 15/9/2023",
    ):
        assert heading in paragraphs
    figures = document.tables[-1]
    rows = [[c.text for c in row.cells] for row in figures.rows]
    assert rows[0][:5] == ["TT", "Nội dung chỉ tiêu", "Chỉ tiêu năm", "Kết quả", "Tỷ lệ (%)"]
    sessions = next(r for r in rows if r[0] == "1.2.2")
    assert sessions[3] == "2" and sessions[6] == "20"
    closing = document.tables[1]
    assert "Nơi nhận:" in closing.cell(0, 0).text
    assert "- Hội LHPN huyện Ba Tơ;" in closing.cell(0, 0).text
    assert "TM. BAN CHẤP HÀNH" in closing.cell(0, 1).text
    assert "Đinh Thị Hoa" in closing.cell(0, 1).text
    assert document.sections[0].page_width.mm == pytest.approx(210, abs=0.5)
    assert document.sections[-1].page_width.mm == pytest.approx(297, abs=0.5)  # the appendix
    # The dashboard's charts of the same figures, as pictures under the appendix table.
    pictures = [rel for rel in document.part.rels.values() if "image" in rel.reltype]
    assert len(pictures) == 2
    assert all(rel.target_part.blob.startswith(b"\x89PNG") for rel in pictures)
    assert "Biểu đồ 2. Người tham gia theo giới tính, dân tộc và nhóm tuổi" in paragraphs


@pytest.mark.skipif(
    not shutil.which("soffice") and not os.environ.get("CI"),
    reason="LibreOffice is not installed (make system-deps); CI always runs it",
)
def test_the_pdf_download_is_checked_audited_and_readable(
    client, submitted, commune_officer, other_commune_officer, tmp_path
):
    url = reverse("reports:report_pdf", kwargs={"pk": submitted.pk})
    client.force_login(other_commune_officer)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    client.force_login(commune_officer)

    response = download_through_job(client, url)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "BÁO CÁO" in text
    assert "Kết quả thực hiện Dự án 8" in text
    assert "KHÓ KHĂN, VƯỚNG MẮC" in text
    assert AuditEvent.objects.filter(action="reports.report.exported", after__format=PDF).exists()


def test_a_draft_prints_todays_records(report_schedules, ba_trang, commune_officer):
    draft = report_open(
        actor=commune_officer,
        schedule=report_schedules["ubnd-bao-cao-15-9"],
        unit=ba_trang,
        due_on=D(2023, 9, 15),
    )

    document = docx.Document(
        io.BytesIO(report_export(actor=commune_officer, report=draft, file_format=DOCX).content)
    )

    text = [p.text for p in document.paragraphs]
    assert "ỦY BAN NHÂN DÂN" in document.tables[0].cell(0, 0).text
    assert "Chưa có số liệu trong kỳ báo cáo." in text
    assert "(Không có.)" in text
