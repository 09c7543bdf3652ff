"""The charts themselves: valid SVG with the labels and numbers, PNG that Word documents take,
Vietnamese letters drawn from the bundled font (no missing glyph), no network."""

import datetime
import io
import re
import warnings
from concurrent.futures import ThreadPoolExecutor

import docx
import pytest
from django.utils import translation
from docx.shared import Inches
from lxml import etree

from duan8.reports import charts
from duan8.reports.figures import figure_table

pytestmark = pytest.mark.usefixtures("english")

SVG = "{http://www.w3.org/2000/svg}svg"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

PROGRESS = [
    charts.ProgressRow("1.1.1 Thành lập mới và duy trì tổ truyền thông cộng đồng (tổ)", 1, 3),
    charts.ProgressRow("1.2.2 Hỗ trợ Tổ truyền thông tổ chức hoạt động truyền thông", 14, 10),
    charts.ProgressRow("3.1.2 Tổ chức các cuộc đối thoại chính sách ở cấp xã và thôn", 0, 2),
]
UNITS = [
    charts.ProgressRow("Thôn Bùi Hui", 3, 4),
    charts.ProgressRow("Thôn Kon Riêng", 0, None),
    charts.ProgressRow("Thôn Nước Đang", 5, 3),
]
PARTICIPANTS = [charts.ParticipantRow("1.2.2 Truyền thông xóa bỏ tảo hôn", 25, 8, 30, 3)]
COMPLETENESS = [
    charts.CompletenessRow("15/09/2023 · Báo cáo kết quả thực hiện Dự án 8", 1, 1, 1, 0),
    charts.CompletenessRow("31/01/2024 · Cập nhật số liệu năm", 0, 0, 0, 3),
]


def _all_charts() -> list:
    return [
        charts.chart_progress(PROGRESS, title="Tiến độ thực hiện năm 2023"),
        charts.chart_unit_progress(UNITS, title="Xã Ba Trang, huyện Ba Tơ"),
        charts.chart_participants(PARTICIPANTS, title="Người tham gia: dân tộc Hrê"),
        charts.chart_completeness(COMPLETENESS, title="Tình hình nộp báo cáo"),
    ]


def svg_texts(svg: bytes) -> str:
    """The texts of an SVG chart: it is parsed as XML (so it is valid), and matplotlib writes
    each text drawn as glyph paths in a comment beside it."""
    root = etree.fromstring(svg)
    assert root.tag == SVG
    return " ".join(c.text for c in root.iter(etree.Comment))


def test_an_svg_chart_is_valid_xml_with_its_labels_and_numbers():
    texts = svg_texts(charts.figure_svg(charts.chart_progress(PROGRESS)))

    assert "1.1.1 Thành lập mới và duy trì tổ truyền thông cộng đồng (tổ)" in texts
    assert "1 / 3 (33%)" in texts
    assert "14 / 10 (140%)" in texts
    assert "0 / 2 (0%)" in texts


def test_the_unit_chart_names_each_unit_with_its_result_and_target():
    texts = svg_texts(charts.figure_svg(charts.chart_unit_progress(UNITS)))

    assert "Thôn Nước Đang" in texts
    assert "5 / 3 (167%)" in texts
    assert "3 / 4 (75%)" in texts
    assert "0 (no target)" in texts


def test_the_participants_chart_prints_each_share():
    texts = svg_texts(charts.figure_svg(charts.chart_participants(PARTICIPANTS)))

    assert "1.2.2 Truyền thông xóa bỏ tảo hôn: 33 participants" in texts
    for label in ("Women", "Men", "Ethnic minority", "Not a minority", "Children (under 16)"):
        assert label in texts
    numbers = re.findall(r"\b\d+\b", texts)
    assert {"25", "8", "30", "3"} <= set(numbers)


def test_the_completeness_chart_shows_each_deadline():
    texts = svg_texts(charts.figure_svg(charts.chart_completeness(COMPLETENESS)))

    assert "15/09/2023 · Báo cáo kết quả thực hiện Dự án 8" in texts
    assert "On time" in texts and "Not reported" in texts


def test_vietnamese_labels_need_no_glyph_the_bundled_font_lacks():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for figure in _all_charts():
            charts.figure_svg(figure)
            charts.figure_png(figure, dpi=72)

    assert [str(w.message) for w in caught] == []


def test_a_missing_glyph_would_be_caught():
    """The test above can fail: a character outside DejaVu Sans does warn."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts.figure_svg(charts.chart_unit_progress([charts.ProgressRow("越南", 1, 2)]))

    assert any("missing from font" in str(w.message) for w in caught)


def test_png_bytes_go_into_a_word_document():
    png = charts.figure_png(charts.chart_progress(PROGRESS), dpi=150)
    document = docx.Document()

    document.add_picture(io.BytesIO(png), width=Inches(6))
    saved = io.BytesIO()
    document.save(saved)

    assert png.startswith(PNG_SIGNATURE)
    reopened = docx.Document(io.BytesIO(saved.getvalue()))
    (shape,) = reopened.inline_shapes
    assert shape.width == Inches(6)
    images = [p for p in reopened.part.package.parts if p.content_type == "image/png"]
    assert [p.blob for p in images] == [png]


def test_an_empty_chart_says_there_is_no_data():
    for draw in (
        charts.chart_progress,
        charts.chart_unit_progress,
        charts.chart_participants,
        charts.chart_completeness,
    ):
        assert "No data" in svg_texts(charts.figure_svg(draw([])))


def test_many_rows_make_a_taller_chart_not_a_crowded_one():
    few = charts.chart_progress(PROGRESS[:1])
    many = charts.chart_progress(PROGRESS * 10)

    assert many.get_figheight() > 10 * few.get_figheight() / 2
    assert many.get_figwidth() == few.get_figwidth() == charts.WIDTH_IN


def test_a_reports_figures_give_the_same_rows_for_its_documents():
    table = figure_table(
        {
            "units": [{"id": 1, "name": "Xã Ba Trang"}],
            "lines": [
                {
                    "code": "1719.GD1.DA8.ND1.HD2.2",
                    "number": "1.2.2",
                    "title": "Hỗ trợ Tổ truyền thông tổ chức hoạt động",
                    "target": 10,
                    "value": 4,
                    "participants": [
                        {"sex": "F", "minority": True, "age_group": "adult", "count": 20},
                        {"sex": "M", "minority": False, "age_group": "child", "count": 5},
                    ],
                },
                {"code": "1719.GD1.DA8.ND2.HD1.1", "number": "2.1.1", "title": "Sinh kế"},
            ],
        }
    )

    progress = charts.progress_rows_from_figures(table)
    people = charts.participant_rows_from_figures(table)

    assert progress == [charts.ProgressRow("1.2.2 Hỗ trợ Tổ truyền thông tổ chức hoạt động", 4, 10)]
    (row,) = people
    assert (row.women, row.men, row.minority, row.not_minority, row.children, row.adults) == (
        20,
        5,
        20,
        5,
        5,
        20,
    )


def test_charts_drawn_in_parallel_threads_are_the_same_as_drawn_one_by_one():
    """No pyplot, no shared state: a threaded server may draw several charts at once."""

    language = translation.get_language()  # per thread in Django: a request thread sets its own

    def draw(_: int) -> bytes:
        with translation.override(language):
            return charts.figure_png(charts.chart_participants(PARTICIPANTS), dpi=72)

    alone = draw(0)
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(draw, range(16)))

    assert together == [alone] * 16


@pytest.mark.parametrize("name", ["Thôn $\\frac{1}{$", "Thôn $x^2$ và $5", "Thôn \\$ ^_"])
def test_dollar_signs_in_a_name_are_drawn_as_typed_not_as_mathtext(name):
    rows = [charts.ProgressRow(name, 3, 4), charts.ProgressRow("Thôn Bùi Hui", 1, 2)]

    svg = charts.figure_svg(charts.chart_unit_progress(rows, title=f"Xã {name}"))
    png = charts.figure_png(charts.chart_participants([charts.ParticipantRow(name, 2, 1, 1, 0)]))

    texts = svg_texts(svg)
    assert name in texts and f"Xã {name}" in texts
    assert png.startswith(PNG_SIGNATURE)


def test_the_units_chart_of_a_commune_with_such_a_village_still_draws_for_every_viewer(
    client, ba_trang, villages, ba_trang_plan, commune_officer, indicator_rules
):
    from django.urls import reverse

    from duan8.testing import report_session

    village = villages["Bùi Hui"]
    village.name = "Bùi Hui $\\frac{1}{$"
    village.save(update_fields=["name"])
    report_session(ba_trang_plan, village, datetime.date(2023, 5, 20), commune_officer)
    client.force_login(commune_officer)

    from duan8.reports.tests.test_dashboards import chart_texts, page_charts_of

    url = reverse("reports:dashboard_chart", args=[ba_trang.pk, "units"])
    response = client.get(f"{url}?year=2023")
    page = client.get(reverse("reports:dashboard", args=[ba_trang.pk]) + "?year=2023")

    assert response.status_code == 200
    assert "Bùi Hui $\\frac{1}{$" in chart_texts(etree.fromstring(response.content))
    assert "Bùi Hui $\\frac{1}{$" in chart_texts(page_charts_of(page.content.decode())["units"])
