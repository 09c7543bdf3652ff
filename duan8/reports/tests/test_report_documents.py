"""The report as a document a commune signs and files: who signs it, its number, pictures that
fit their page, a signature block that never splits, units printed once; and the report page
that shows a return comment where the commune sees it first.

The Word file is read back with python-docx; the page with Django's test client.
"""

import copy
import datetime
import io
import os
import re
import shutil
import subprocess

import docx
import pytest
from django.urls import reverse
from docx.oxml.ns import qn
from docx.shared import Mm

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.documents.vietnamese import BLANK
from duan8.reports.models import Report
from duan8.reports.report_files import DOCX, PDF, report_export
from duan8.reports.services import (
    report_approve,
    report_open,
    report_return,
    report_save,
    report_submit,
    report_unlock,
)
from duan8.testing import report_session

D = datetime.date
UBND = "ubnd-bao-cao-15-9"  # issued by the People's Committee: "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"
WU = "hlhpn-ket-qua-15-9"  # issued by the commune's Women's Union: "TM. BAN CHẤP HÀNH / CHỦ TỊCH"
WU_UPDATE = "hlhpn-cap-nhat-31-01"
DUE = D(2023, 9, 15)


@pytest.fixture
def sessions(ba_trang_plan, villages, commune_officer, indicator_rules):
    return [
        report_session(ba_trang_plan, villages["Bùi Hui"], D(2023, 5, 20), commune_officer),
        report_session(
            ba_trang_plan, villages["Nước Đang"], D(2023, 7, 2), commune_officer, women=8
        ),
    ]


def _submit(schedules, code, unit, actor, due_on=DUE) -> Report:
    report = report_open(actor=actor, schedule=schedules[code], unit=unit, due_on=due_on)
    report_save(
        actor=actor,
        report=report,
        results="Tổ chức 02 buổi truyền thông phòng chống tảo hôn.",
        difficulties="Đường đến thôn Kon Riêng bị sạt lở.",
        proposals="Đề nghị hỗ trợ loa cầm tay.",
        expected_version=report.version,
    )
    return report_submit(actor=actor, report=report, expected_version=report.version)


def _word(report: Report, actor) -> docx.document.Document:
    exported = report_export(actor=actor, report=report, file_format=DOCX)
    return docx.Document(io.BytesIO(exported.content))


def _signature(document) -> list[str]:
    closing = document.tables[1]
    return [p.text for p in closing.cell(0, 1).paragraphs]


# --- who signs ----------------------------------------------------------------------------------


def test_a_peoples_committee_report_is_signed_by_the_commune_chairman_not_the_submitter(
    report_schedules, ba_trang, commune_officer, commune_leader, sessions
):
    report = _submit(report_schedules, UBND, ba_trang, commune_officer)

    signature = _signature(_word(report, commune_officer))

    assert signature[:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert signature[-1] == "Phạm Văn Thích"
    assert "Đinh Thị Hoa" not in " ".join(signature)


def test_without_a_known_chairman_the_name_is_left_blank_for_a_hand_signature(
    report_schedules, ba_trang, commune_officer, sessions
):
    report = _submit(report_schedules, UBND, ba_trang, commune_officer)

    signature = _signature(_word(report, commune_officer))

    assert signature[:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert signature[-1] == ""
    assert "Đinh Thị Hoa" not in " ".join(signature)


def test_the_chairman_is_the_one_holding_the_role_on_the_reports_date(
    report_schedules, ba_trang, commune_officer, commune_leader, sessions
):
    # The former chairman's term ended before the report was submitted (today).
    commune_leader.memberships.update(valid_to=D(2023, 6, 30))
    successor = UserFactory(username="ct2.batrang", full_name="Đinh Văn Mới")
    membership(successor, ba_trang, "commune_leader")
    report = _submit(report_schedules, UBND, ba_trang, commune_officer)

    signature = _signature(_word(report, commune_officer))

    assert signature[-1] == "Đinh Văn Mới"


def test_with_a_chairman_and_a_deputy_in_the_role_no_name_is_guessed(
    report_schedules, ba_trang, commune_officer, commune_leader, sessions
):
    deputy = UserFactory(username="pct.batrang", full_name="Hồ Văn Phó")
    membership(deputy, ba_trang, "commune_leader")
    report = _submit(report_schedules, UBND, ba_trang, commune_officer)

    signature = _signature(_word(report, commune_officer))

    assert signature[-1] == ""


def test_a_womens_union_report_is_signed_by_the_unions_officer_of_the_commune(
    report_schedules, ba_trang, commune_officer, commune_leader, sessions
):
    report = _submit(report_schedules, WU, ba_trang, commune_officer)

    signature = _signature(_word(report, commune_leader))

    assert signature[:2] == ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH"]
    assert signature[-1] == "Đinh Thị Hoa"
    assert "Phạm Văn Thích" not in " ".join(signature)


# --- the number ---------------------------------------------------------------------------------


def _number_line(document) -> str:
    return document.tables[0].cell(1, 0).text.strip()


def test_an_approved_report_has_a_number_counted_per_issuing_body_and_year(
    report_schedules, ba_trang, commune_officer, district_reviewer, sessions
):
    first = _submit(report_schedules, WU, ba_trang, commune_officer)
    assert _number_line(_word(first, commune_officer)) == f"Số: {BLANK}/BC-HPN"

    report_approve(actor=district_reviewer, report=first, expected_version=first.version)
    second = _submit(report_schedules, WU_UPDATE, ba_trang, commune_officer, D(2024, 1, 31))
    report_approve(actor=district_reviewer, report=second, expected_version=second.version)
    other_body = _submit(report_schedules, UBND, ba_trang, commune_officer)
    report_approve(actor=district_reviewer, report=other_body, expected_version=other_body.version)

    assert _number_line(_word(first, commune_officer)) == "Số: 1/BC-HPN"
    assert _number_line(_word(second, commune_officer)) == "Số: 2/BC-HPN"
    assert _number_line(_word(other_body, commune_officer)) == "Số: 1/BC-UBND"
    first.refresh_from_db()
    assert (first.number, first.number_year) == (1, first.document_date.year)


def test_a_report_approved_again_after_an_unlock_keeps_its_number(
    report_schedules, ba_trang, commune_officer, district_reviewer, sessions
):
    report = _submit(report_schedules, WU, ba_trang, commune_officer)
    report_approve(actor=district_reviewer, report=report, expected_version=report.version)
    report_unlock(
        actor=district_reviewer,
        report=report,
        reason="Sửa số liệu thôn Bùi Hui.",
        expected_version=report.version,
    )
    report_submit(actor=commune_officer, report=report, expected_version=report.version)

    report_approve(actor=district_reviewer, report=report, expected_version=report.version)

    report.refresh_from_db()
    assert report.document_number == "1/BC-HPN"
    assert Report.objects.filter(number__isnull=False).count() == 1


def test_the_report_page_shows_the_number_of_an_approved_report(
    client, report_schedules, ba_trang, commune_officer, district_reviewer, sessions
):
    report = _submit(report_schedules, WU, ba_trang, commune_officer)
    report_approve(actor=district_reviewer, report=report, expected_version=report.version)
    client.force_login(commune_officer)

    page = client.get(reverse("reports:report_detail", kwargs={"pk": report.pk}))

    assert '<dd class="report-number">1/BC-HPN</dd>' in page.content.decode()


# --- the layout ---------------------------------------------------------------------------------


def _many_lines(figures: dict, count: int) -> dict:
    """The figures with ``count`` lines, each with participants (a tall participants chart), and
    an indicator whose official title already ends with its unit."""
    figures = copy.deepcopy(figures)
    model = next(line for line in figures["lines"] if line["participants"])
    lines = []
    for index in range(count):
        line = copy.deepcopy(model)
        line["code"] = f"{model['code']}.{index}"
        line["number"] = f"9.{index}"
        line["title"] = f"Mở lớp xóa mù chữ cho phụ nữ dân tộc thiểu số, đợt {index} (lớp)"
        line["measure_unit"] = "lớp"
        line["target"] = 4
        lines.append(line)
    figures["lines"] = lines
    return figures


@pytest.fixture
def long_report(report_schedules, ba_trang, commune_officer, commune_leader, sessions):
    report = _submit(report_schedules, UBND, ba_trang, commune_officer)
    report.figures = _many_lines(report.figures, 12)
    report.save(update_fields=["figures"])
    return report


def _extent_mm(inline) -> tuple[float, float]:
    extent = inline.find(qn("wp:extent"))
    return int(extent.get("cx")) / Mm(1), int(extent.get("cy")) / Mm(1)


def test_every_picture_fits_the_text_area_of_its_page(long_report, commune_officer):
    document = _word(long_report, commune_officer)

    section = document.sections[-1]  # the landscape appendix, where the charts are
    width = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
    height = (section.page_height - section.top_margin - section.bottom_margin) / Mm(1)
    pictures = [_extent_mm(inline) for inline in document.inline_shapes._inline_lst]
    charts = [size for size in pictures if size[1] > 5]  # not the drawn rules
    assert len(charts) == 2
    for w, h in charts:
        assert w <= width + 0.01 and h <= height - 10  # room left for the caption
    tall = max(charts, key=lambda size: size[1])
    assert tall[1] > 100  # made smaller, not tiny


def test_a_picture_wider_than_a_portrait_page_is_made_as_wide_as_the_text(english):
    from duan8.documents.docx_builder import DocxBuilder, Layout
    from duan8.reports import charts

    builder = DocxBuilder(Layout())
    image = charts.figure_png(charts.chart_unit_progress([charts.ProgressRow("Thôn A", 1, 2)]))

    builder.picture(image, width_mm=200, caption="Biểu đồ")

    document = docx.Document(io.BytesIO(builder.to_bytes()))
    w, _h = _extent_mm(document.inline_shapes._inline_lst[-1])
    assert w == pytest.approx(210 - 30 - 15, abs=0.1)


def test_the_signature_block_is_one_row_that_cannot_split_across_pages(
    long_report, commune_officer
):
    document = _word(long_report, commune_officer)

    closing = document.tables[1]
    assert "Nơi nhận:" in closing.cell(0, 0).text
    assert "TM. ỦY BAN NHÂN DÂN" in closing.cell(0, 1).text
    assert len(closing.rows) == 1
    properties = closing.rows[0]._tr.trPr
    assert properties is not None and properties.find(qn("w:cantSplit")) is not None


def test_a_unit_already_in_the_title_is_not_printed_twice(long_report, commune_officer):
    document = _word(long_report, commune_officer)

    cells = [cell.text for row in document.tables[-1].rows for cell in row.cells]
    titles = [text for text in cells if text.startswith("Mở lớp xóa mù chữ")]
    assert len(titles) >= 12
    assert all(text.endswith("(lớp)") and "(lớp) (lớp)" not in text for text in titles)
    assert not any("(lớp) (lớp)" in p.text for p in document.paragraphs)


def test_a_unit_missing_from_the_title_is_added_once(report_schedules, ba_trang, commune_officer):
    from duan8.reports.figures import FigureLine

    line = FigureLine("X", "1", "Số buổi truyền thông", "buổi", 4, 2)

    assert line.title_with_unit == "Số buổi truyền thông (buổi)"
    assert FigureLine("X", "1", "Số lớp (Lớp)", "lớp", 1, 1).title_with_unit == "Số lớp (Lớp)"


# --- the return comment on the report page -------------------------------------------------------


def test_the_latest_return_comment_is_at_the_top_of_the_report_page(
    client, report_schedules, ba_trang, commune_officer, district_reviewer, sessions
):
    report = _submit(report_schedules, WU, ba_trang, commune_officer)
    report_return(
        actor=district_reviewer,
        report=report,
        comment="Bổ sung số liệu thôn Kon Riêng.",
        expected_version=report.version,
    )
    client.force_login(commune_officer)

    html = client.get(reverse("reports:report_detail", kwargs={"pk": report.pk})).content.decode()

    notice = html.index('class="report-returned')
    assert html.index("Bổ sung số liệu thôn Kon Riêng.") < html.index("<table")
    assert notice < html.index('class="report-text"')
    top = html[notice : html.index("</section>", notice)]
    assert "Trần Thị Tơ" in top and "Bổ sung số liệu thôn Kon Riêng." in top
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", top)


def test_a_report_submitted_again_no_longer_shows_the_old_comment_on_top(
    client, report_schedules, ba_trang, commune_officer, district_reviewer, sessions
):
    report = _submit(report_schedules, WU, ba_trang, commune_officer)
    report_return(
        actor=district_reviewer,
        report=report,
        comment="Bổ sung số liệu thôn Kon Riêng.",
        expected_version=report.version,
    )
    report_submit(actor=commune_officer, report=report, expected_version=report.version)
    client.force_login(district_reviewer)

    html = client.get(reverse("reports:report_detail", kwargs={"pk": report.pk})).content.decode()

    assert 'class="report-returned' not in html
    assert "Bổ sung số liệu thôn Kon Riêng." in html  # still in the history below


# --- the PDF: one serif family ------------------------------------------------------------------


@pytest.mark.skipif(
    not shutil.which("soffice") and not os.environ.get("CI"),
    reason="LibreOffice is not installed (make system-deps); CI always runs it",
)
def test_the_report_pdf_uses_one_serif_family_for_every_vietnamese_letter(
    long_report, commune_officer, tmp_path
):
    from duan8.documents.tests.reading import pdf_font_families

    long_report.results = "Chương trình ở huyện: ươ, ệ ổ ữ ặ ẫ ỡ ự; người dân tộc Hrê tham gia."
    long_report.save(update_fields=["results"])
    exported = report_export(actor=commune_officer, report=long_report, file_format=PDF)

    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(exported.content)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", str(path), "-"],  # noqa: S607
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert "Chương trình ở huyện: ươ, ệ ổ ữ ặ ẫ ỡ ự" in text
    assert pdf_font_families(exported.content) == {"LiberationSerif"}


def test_a_schedule_can_name_its_issuer_and_signers_role(
    report_schedules, ba_trang, commune_officer, commune_leader, sessions
):
    schedule = report_schedules[WU]
    schedule.document = {**schedule.document, "issuer": "people_committee"}
    schedule.save(update_fields=["document"])
    report = _submit(report_schedules, WU, ba_trang, commune_officer)
    assert _signature(_word(report, commune_officer))[-1] == "Phạm Văn Thích"

    schedule.document = {**schedule.document, "signer_role": "commune_wu_officer"}
    schedule.save(update_fields=["document"])

    assert _signature(_word(report, commune_officer))[-1] == "Đinh Thị Hoa"


def test_a_schedule_file_with_an_unknown_issuer_or_role_is_refused(tmp_path, db):
    from django.core.exceptions import ValidationError

    from duan8.reports.schedules import schedules_load
    from duan8.reports.tests.test_schedules import GOOD, _file

    bad = [
        {**GOOD, "code": "a", "document": {"issuer": "district"}},
        {**GOOD, "code": "b", "document": {"signer_role": "chairman"}},
    ]

    with pytest.raises(ValidationError) as refused:
        schedules_load(paths=[_file(tmp_path, bad)])

    messages = refused.value.messages
    assert len(messages) == 2
    assert "“district”" in messages[0] and "“chairman”" in messages[1]
