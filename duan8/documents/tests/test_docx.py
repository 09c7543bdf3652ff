"""The Kế hoạch as .docx, read back with python-docx: page, header block, body, appendices."""

import datetime
from decimal import Decimal

import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt

from duan8.documents.docx_builder import Layout, text_width_pt
from duan8.documents.models import DocumentTemplate
from duan8.documents.plan_document import plan_docx
from duan8.documents.tests.reading import drawn_lines, has_page_field, lines, read_docx, rows
from duan8.documents.vietnamese import date_long, date_numeric, place_date_line
from duan8.programs.models import Target
from duan8.programs.selectors import allocation_table, plan_appendix
from duan8.programs.services import target_set
from duan8.programs.tests import builders
from duan8.programs.views import allocation_rows, appendix_rows

pytestmark = pytest.mark.usefixtures("english")

FONT = "Times New Roman"


@pytest.fixture
def document(ba_trang_plan):
    return read_docx(plan_docx(ba_trang_plan))


def body_texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def section_ii(document) -> list[str]:
    texts = body_texts(document)
    start = texts.index("II. CHỈ TIÊU CỤ THỂ")
    end = texts.index("III. NỘI DUNG TRỌNG TÂM NĂM 2023")
    return texts[start + 1 : end]


# Dates and numbers


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2023, 9, 25), "ngày 25 tháng 9 năm 2023"),
        (datetime.date(2023, 3, 5), "ngày 05 tháng 3 năm 2023"),
        (datetime.date(2024, 1, 5), "ngày 05 tháng 01 năm 2024"),
        (datetime.date(2024, 2, 29), "ngày 29 tháng 02 năm 2024"),
        (datetime.date(2024, 12, 10), "ngày 10 tháng 12 năm 2024"),
    ],
)
def test_dates_take_a_leading_zero_below_day_10_and_in_january_and_february(day, expected):
    assert date_long(day) == expected


def test_short_dates_follow_the_same_rule():
    assert date_numeric(datetime.date(2022, 3, 4)) == "04/3/2022"
    assert date_numeric(datetime.date(2024, 1, 31)) == "31/01/2024"


def test_a_date_not_yet_given_leaves_blanks_and_keeps_the_year():
    line = place_date_line("Ba Trang", None, year=2023)

    assert line.startswith("Ba Trang, ngày")
    assert line.endswith("năm 2023")
    assert "tháng" in line


# Page


def test_pages_are_a4_with_the_decree_margins_and_times_new_roman(document):
    first = document.sections[0]

    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert [round(m.mm) for m in (first.top_margin, first.bottom_margin)] == [20, 20]
    assert [round(m.mm) for m in (first.left_margin, first.right_margin)] == [30, 15]
    fonts = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "cs", "eastAsia")} == {FONT}
    assert document.styles["Normal"].font.name == FONT
    assert document.styles["Normal"].font.size == Pt(14)


def test_no_text_is_set_in_another_font(document):
    runs = [run for p in document.paragraphs for run in p.runs]
    runs += [
        run
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
        for run in p.runs
    ]

    assert len(runs) > 200
    assert {run.font.name for run in runs} <= {None, FONT}


def test_page_numbers_sit_in_the_top_margin_except_on_the_first_page(document):
    first = document.sections[0]

    assert first.different_first_page_header_footer
    assert has_page_field(first.header)
    assert first.header.paragraphs[0].alignment == 1  # centred
    assert not has_page_field(first.first_page_header)
    assert first.first_page_header.paragraphs[0].text == ""
    for later in document.sections[1:]:
        assert not later.different_first_page_header_footer
        assert later.header.is_linked_to_previous


def test_the_allocation_appendix_is_a_landscape_section(document):
    sections = document.sections

    assert len(sections) == 3
    assert sections[1].orientation == WD_ORIENT.PORTRAIT
    assert sections[2].orientation == WD_ORIENT.LANDSCAPE
    assert (round(sections[2].page_width.mm), round(sections[2].page_height.mm)) == (297, 210)


# Header block


def test_header_block_has_agency_number_national_name_motto_and_place_date(document):
    header = document.tables[0]

    assert lines(header.cell(0, 0)) == ["ỦY BAN NHÂN DÂN", "XÃ BA TRANG"]
    assert lines(header.cell(0, 1)) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert lines(header.cell(1, 0)) == ["Số: 87/KH-UBND"]
    assert lines(header.cell(1, 1)) == ["Ba Trang, ngày 25 tháng 9 năm 2023"]


def test_header_sizes_and_styles_follow_the_template(document):
    header = document.tables[0]
    agency = header.cell(0, 0).paragraphs[0].runs[0]
    national, motto = (p.runs[0] for p in header.cell(0, 1).paragraphs if p.text)
    place_date = header.cell(1, 1).paragraphs[0].runs[0]

    assert (agency.bold, agency.font.size) == (True, Pt(13))
    assert (national.bold, national.font.size) == (True, Pt(13))
    assert (motto.bold, motto.font.size) == (True, Pt(14))
    assert (place_date.italic, place_date.font.size) == (True, Pt(14))
    assert not any(run.underline for p in document.paragraphs for run in p.runs)


def test_motto_agency_and_summary_have_lines_drawn_as_shapes(document):
    header = document.tables[0]
    under_motto = [drawn_lines(p) for p in header.cell(0, 1).paragraphs]
    under_agency = [drawn_lines(p) for p in header.cell(0, 0).paragraphs]
    under_summary = [drawn_lines(p) for p in document.paragraphs[:4]]

    motto = next(length for found in under_motto for length in found)
    motto_width = text_width_pt("Độc lập - Tự do - Hạnh phúc", 14, bold=True) * 12700
    assert abs(motto - motto_width) < 0.01 * motto_width
    agency = next(length for found in under_agency for length in found)
    agency_width = text_width_pt("ỦY BAN NHÂN DÂN", 13, bold=True) * 12700
    assert abs(agency - 0.4 * agency_width) < 0.01 * agency_width
    assert sum(len(found) for found in under_summary) == 1


def test_title_and_summary_follow_the_header(document):
    texts = body_texts(document)

    assert texts[0] == "KẾ HOẠCH"
    assert texts[1].startswith("Triển khai Dự án 8 “Thực hiện bình đẳng giới")
    assert document.paragraphs[0].runs[0].bold


# Body


def test_legal_bases_are_italic_citations_from_the_register(document, ba_trang_plan):
    bases = [p for p in document.paragraphs if p.text.startswith("Căn cứ ")]

    assert [p.text.split(" ngày ")[0] for p in bases] == [
        "Căn cứ Kế hoạch số 195/KH-UBND",
        "Căn cứ Kế hoạch số 93/KH-UBND",
        "Căn cứ Quyết định số 73/QĐ-UBND",
        "Căn cứ Kế hoạch số 141/KH-UBND",
    ]
    assert "ngày 05/5/2023 của Ủy ban nhân dân huyện Ba Tơ" in bases[1].text
    assert all(p.runs[0].italic and p.text.endswith(";") for p in bases)


def test_sections_i_to_v_in_order_with_the_plan_texts(document, ba_trang_plan):
    texts = body_texts(document)
    headings = [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. CHỈ TIÊU CỤ THỂ",
        "III. NỘI DUNG TRỌNG TÂM NĂM 2023",
        "IV. KINH PHÍ THỰC HIỆN",
        "V. TỔ CHỨC THỰC HIỆN",
    ]

    positions = [texts.index(h) for h in headings]
    assert positions == sorted(positions)
    assert ba_trang_plan.lines("requirements")[2] in texts
    assert ba_trang_plan.budget_text in texts
    assert "4. Ủy ban nhân dân các xã thực hiện Dự án" in texts
    assert texts[texts.index(ba_trang_plan.closing) - 1].startswith("- Kiểm tra, giám sát")


def test_section_ii_is_written_from_the_targets_and_the_allocation_total(document):
    items = section_ii(document)

    assert items[0].startswith("1. Thành lập mới và duy trì tổ truyền thông cộng đồng (tổ)")
    assert items[0].endswith(": cấp thôn 01 tổ;")
    assert "cấp xã 01" in items[2]
    assert items[-2].startswith("4. Phân bổ chỉ tiêu cơ bản năm 2023 (Phụ lục II):")
    assert "Thành lập mới và duy trì tổ truyền thông cộng đồng (tổ): 01." in items[-2]
    assert "02 tổ" not in " ".join(items)  # the seed's contradictory second target
    assert items[-1].startswith("(Chỉ tiêu cụ thể")


def test_changing_a_target_changes_section_ii_and_appendix_alike(ba_trang_plan, commune_officer):
    element = ba_trang_plan.targets.get(element__code="1719.GD1.DA8.ND1.HD1.1", scope="village")
    target_set(
        plan=ba_trang_plan,
        element=element.element,
        scope=Target.Scope.VILLAGE,
        kind=Target.Kind.NUMBER,
        value="2",
        actor=commune_officer,
        expected_version=ba_trang_plan.version,
    )

    document = read_docx(plan_docx(ba_trang_plan))

    assert section_ii(document)[0].endswith(": cấp thôn 02 tổ;")
    activities = rows(document.tables[2], skip=2)
    row = next(r for r in activities if r[1].startswith("Thành lập mới và duy trì tổ"))
    assert row[3] == "02"


def test_closing_block_has_recipients_and_the_collective_signature(document, ba_trang_plan):
    closing = document.tables[1]
    recipients, signature = closing.cell(0, 0), closing.cell(0, 1)

    assert lines(recipients) == ["Nơi nhận:", *ba_trang_plan.lines("recipients")]
    heading = recipients.paragraphs[0].runs[0]
    assert (heading.bold, heading.italic, heading.font.size) == (True, True, Pt(12))
    assert recipients.paragraphs[1].runs[0].font.size == Pt(11)
    assert lines(signature) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Văn Thích"]
    assert all(p.runs[0].bold for p in signature.paragraphs if p.text)


def test_a_plan_without_recipients_or_signer_gets_the_template_defaults(ba_trang, villages):
    plan = builders.plan(ba_trang, list(villages.values()))

    document = read_docx(plan_docx(plan))

    closing = document.tables[1]
    assert lines(closing.cell(0, 0))[-1] == "- Lưu: VT, HLHPN xã."
    assert lines(closing.cell(0, 1)) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert lines(document.tables[0].cell(0, 0)) == ["ỦY BAN NHÂN DÂN", "XÃ BA TRANG"]


# Appendices


def test_appendices_carry_the_attached_line_with_the_header_number_and_date(document):
    texts = body_texts(document)
    attached = "(Kèm theo Kế hoạch số 87/KH-UBND ngày 25/9/2023 của Ủy ban nhân dân xã Ba Trang)"

    first, second = texts.index("Phụ lục I"), texts.index("Phụ lục II")
    assert texts[first + 1 : first + 3] == ["CÁC NỘI DUNG HOẠT ĐỘNG CỤ THỂ", attached]
    assert texts[second + 1 : second + 3] == [
        "PHÂN BỐ CHỈ TIÊU CƠ BẢN THỰC HIỆN DỰ ÁN 8 NĂM 2023",
        attached,
    ]
    italic = document.paragraphs[first + 2].runs[0]
    assert italic.italic


def test_activity_appendix_cells_are_the_plan_page_cells(document, ba_trang_plan):
    expected = []
    for row in appendix_rows(plan_appendix(plan=ba_trang_plan)):
        element = row.line.element
        if element.kind == "content" and not row.has_targets:
            expected.append([row.heading] * 4)
        elif row.spanning_note:
            expected.append([element.number, element.title, row.spanning_note, row.spanning_note])
        else:
            commune, village = row.line.commune, row.line.village
            expected.append(
                [
                    element.number,
                    element.title,
                    commune.display if commune else "",
                    village.display if village else "",
                ]
            )
    table = document.tables[2]

    assert rows(table)[:2] == [
        ["TT", "Nội dung hoạt động", "Chỉ tiêu năm 2023", "Chỉ tiêu năm 2023"],
        ["TT", "Nội dung hoạt động", "Xã", "Thôn"],
    ]
    assert rows(table, skip=2) == expected
    assert len(expected) > 30


def test_allocation_appendix_cells_are_the_plan_page_cells(document, ba_trang_plan):
    table = allocation_table(plan=ba_trang_plan)
    expected = [
        [view.row.number, view.row.label, view.difficult_villages, *(c.display for c in view.cells)]
        for view in allocation_rows(table)
    ]
    printed = document.tables[3]

    assert [c.heading for c in table.columns] == rows(printed)[2][3:]
    assert rows(printed)[1][3:] == [
        "Nội dung 1",
        "Nội dung 2",
        "Nội dung 3",
        "Nội dung 3",
        "Nội dung 4",
        "Nội dung 4",
        "Nội dung 4",
    ]
    assert rows(printed, skip=3) == expected
    assert expected[-1][:4] == ["3", "Thôn Nước Đang", "01", "01"]


def test_header_rows_of_the_appendix_tables_repeat_on_every_page(document):
    table = document.tables[2]

    flags = [
        row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
        for row in table.rows
    ]
    assert flags[:3] == [True, True, False]


# Templates are data


def test_an_administrator_changes_margins_texts_and_recipients_in_the_template(ba_trang, villages):
    template = DocumentTemplate.objects.get(key="plan.commune")
    template.layout = {**template.layout, "margins_mm": {"left": 35, "right": 20}}
    template.texts = {**template.texts, "section_budget": "IV. KINH PHÍ"}
    template.recipients = "- Như trên;\n- Lưu: VT."
    template.full_clean()
    template.save()
    plan = builders.plan(ba_trang, list(villages.values()))

    document = read_docx(plan_docx(plan))

    assert round(document.sections[0].left_margin.mm) == 35
    assert round(document.sections[0].right_margin.mm) == 20
    assert "IV. KINH PHÍ" in body_texts(document)
    assert lines(document.tables[1].cell(0, 0)) == ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]


def test_a_template_layout_with_a_wrong_value_is_refused(db):
    template = DocumentTemplate.objects.get(key="plan.commune")
    template.layout = {**template.layout, "sizes": {"body": "large"}, "paper": "A3"}

    with pytest.raises(Exception) as caught:
        template.full_clean()

    messages = " ".join(caught.value.messages)
    assert "paper" in messages and "sizes" in messages


def test_the_migration_loaded_the_shipped_template_with_its_layout(db):
    template = DocumentTemplate.objects.get(key="plan.commune")
    layout = Layout.from_data(template.layout)

    assert template.document_type == "KH"
    assert layout.margins_mm == {"top": 20, "bottom": 20, "left": 30, "right": 15}
    assert template.recipient_lines()[-1].startswith("- Lưu: VT")


def test_leading_zero_in_dates_reaches_the_document(ba_trang_plan):
    ba_trang_plan.issued_on = datetime.date(2023, 2, 5)
    ba_trang_plan.save(update_fields=["issued_on"])

    document = read_docx(plan_docx(ba_trang_plan))

    assert lines(document.tables[0].cell(1, 1)) == ["Ba Trang, ngày 05 tháng 02 năm 2023"]
    assert "ngày 05/02/2023" in body_texts(document)[body_texts(document).index("Phụ lục I") + 2]


def test_a_number_below_ten_takes_a_leading_zero(ba_trang_plan):
    ba_trang_plan.number = 7
    ba_trang_plan.save(update_fields=["number"])

    document = read_docx(plan_docx(ba_trang_plan))

    assert lines(document.tables[0].cell(1, 0)) == ["Số: 07/KH-UBND"]


def test_values_are_printed_as_the_page_prints_them(ba_trang_plan):
    cell = (
        ba_trang_plan.allocation_rows.get(label="Thôn Nước Đang")
        .cells.order_by("column__order")
        .first()
    )
    cell.value = Decimal("12")
    cell.save()

    document = read_docx(plan_docx(ba_trang_plan))

    assert rows(document.tables[3])[-1][3] == "12"
