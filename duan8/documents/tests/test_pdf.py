"""The PDF made by LibreOffice, read back with pdftotext, pdfinfo and pdffonts.

LibreOffice takes a few seconds to start, so the plan is converted once for the whole module.
Without LibreOffice or poppler-utils the tests are skipped on a developer's machine, never in CI
(``CI`` set): there a missing program fails them (``make system-deps`` installs both).
"""

import os
import shutil

import pytest
from django.db import transaction

from duan8.documents.pdf import ConversionError, docx_to_pdf, soffice_path
from duan8.documents.plan_document import plan_docx
from duan8.documents.tests.reading import (
    pdf_font_families,
    pdf_fonts,
    pdf_page_sizes,
    pdf_pages,
    squash,
)
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.tests.factories import make_unit
from duan8.programs.plan_data import BA_TRANG_2023, plan_data_read, plan_load
from duan8.programs.structure import program_structure_files, program_structure_load
from duan8.testing import _village

pytestmark = [
    pytest.mark.soffice,
    pytest.mark.django_db,  # so that the test database is set up for the module fixture
    pytest.mark.usefixtures("english"),
]

A4 = (595, 842)


def _demo_plan():
    level = OrgUnit.Level
    province = make_unit(code="51", name="Quảng Ngãi", level=level.PROVINCE, kind="Tỉnh")
    district = make_unit(
        code="535", name="Ba Tơ", level=level.DISTRICT, kind="Huyện", parent=province
    )
    commune = make_unit(
        code="21520", name="Ba Trang", level=level.COMMUNE, kind="Xã", parent=district
    )
    villages = {
        name: _village(commune, f"21520-{i:02d}", name)
        for i, name in enumerate(["Bùi Hui", "Kon Riêng", "Nước Đang"], start=1)
    }
    for path in program_structure_files():
        program_structure_load(path=path)
    return plan_load(data=plan_data_read(BA_TRANG_2023), issuing_unit=commune, villages=villages)


@pytest.fixture(scope="module")
def pdf(django_db_setup, django_db_blocker):
    missing = [
        name
        for name, found in (
            ("LibreOffice (soffice)", soffice_path()),
            ("poppler-utils (pdftotext, pdffonts)", shutil.which("pdffonts")),
        )
        if not found
    ]
    if missing:
        message = f"{', '.join(missing)} not installed (make system-deps)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PDF tests: {message}")
        pytest.skip(message)
    with django_db_blocker.unblock(), transaction.atomic():
        content = plan_docx(_demo_plan())
        transaction.set_rollback(True)
    return docx_to_pdf(content)


@pytest.fixture(scope="module")
def pages(pdf):
    return [squash(page) for page in pdf_pages(pdf)]


def page_of(pages, text):
    found = [number for number, page in enumerate(pages, start=1) if text in page]
    assert found, f"{text!r} is on no page"
    return found[0]


def test_libreoffice_makes_a_pdf(pdf):
    assert pdf.startswith(b"%PDF-")


def test_first_page_has_the_header_block_and_no_page_number(pages):
    first = pages[0]

    assert first.startswith("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    for text in (
        "XÃ BA TRANG",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 87/KH-UBND",
        "Ba Trang, ngày 25 tháng 9 năm 2023",
        "KẾ HOẠCH",
        "Căn cứ Kế hoạch số 195/KH-UBND ngày 29/12/2022",
    ):
        assert text in first


def test_later_pages_are_numbered_at_the_top_from_2(pages):
    assert len(pages) >= 5
    for number, page in enumerate(pages[1:], start=2):
        assert page.split(" ")[0] == str(number)


def test_body_sections_signature_and_appendices_come_in_order(pages):
    order = [
        page_of(pages, "I. MỤC ĐÍCH, YÊU CẦU"),
        page_of(pages, "II. CHỈ TIÊU CỤ THỂ"),
        page_of(pages, "V. TỔ CHỨC THỰC HIỆN"),
        page_of(pages, "TM. ỦY BAN NHÂN DÂN"),
        page_of(pages, "CÁC NỘI DUNG HOẠT ĐỘNG CỤ THỂ"),
        page_of(pages, "PHÂN BỐ CHỈ TIÊU CƠ BẢN"),
    ]

    assert order == sorted(order)
    signature = pages[order[3] - 1]
    assert "Nơi nhận:" in signature and "Phạm Văn Thích" in signature
    assert "- Lưu: VT, HLHPN xã." in signature
    assert order[4] == order[3] + 1  # the first appendix starts on a new page
    assert order[5] == len(pages)


def test_appendix_pages_carry_the_attached_line_and_the_tables(pages):
    first = pages[page_of(pages, "CÁC NỘI DUNG HOẠT ĐỘNG CỤ THỂ") - 1]
    last = pages[-1]

    assert "(Kèm theo Kế hoạch số 87/KH-UBND ngày 25/9/2023" in first
    assert "Chỉ tiêu năm 2023" in first
    assert "PHÂN BỐ CHỈ TIÊU CƠ BẢN THỰC HIỆN DỰ ÁN 8 NĂM 2023" in last
    for village in ("Thôn Bùi Hui", "Thôn Kon Riêng", "Thôn Nước Đang"):
        assert village in last
    assert "3 Thôn Nước Đang 01 01 0 0 0 0 0 0" in last


def test_body_pages_are_a4_portrait_and_the_allocation_page_landscape(pdf, pages):
    sizes = [(round(w), round(h)) for w, h in pdf_page_sizes(pdf)]

    assert len(sizes) == len(pages)
    assert set(sizes[:-1]) == {A4}
    assert sizes[-1] == (A4[1], A4[0])


def test_a_missing_libreoffice_is_a_clear_error(settings):
    settings.DOCUMENTS_SOFFICE = "/nonexistent/soffice"

    with pytest.raises(ConversionError, match="LibreOffice"):
        docx_to_pdf(b"PK")


def test_a_conversion_that_takes_too_long_is_stopped_with_a_clear_error(pdf):
    with pytest.raises(ConversionError, match="did not finish the PDF within 0.05 seconds"):
        docx_to_pdf(b"PK", timeout=0.05)


def test_every_vietnamese_letter_is_set_in_one_serif_family(pdf, pages):
    """fonts-liberation 1.07 lacks ơ, ư and the stacked marks, so LibreOffice took them from
    DejaVu: "huyện" and "Chương" were printed in two typefaces. Liberation Serif 2.x (the metric
    twin of Times New Roman, package fonts-liberation2) has them all."""
    text = " ".join(pages)
    for word in ("huyện", "Chương", "ươ", "ệ", "ổ", "ữ"):
        assert word in text

    assert pdf_font_families(pdf) == {"LiberationSerif"}, pdf_fonts(pdf)
