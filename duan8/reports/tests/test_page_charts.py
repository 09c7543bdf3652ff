"""The dashboard's inline charts (``reports.page_charts``): valid SVG with the rows' labels and
numbers, each bar's number as its title, names drawn as typed, small."""

import gzip

import pytest
from lxml import etree

from duan8.reports import page_charts
from duan8.reports.charts import CompletenessRow, ParticipantRow, ProgressRow
from duan8.reports.series_chart import SeriesRow

pytestmark = pytest.mark.usefixtures("english")

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> etree._Element:
    root = etree.fromstring(svg.encode())
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    return root


def _texts(root: etree._Element) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]


def _titles(root: etree._Element) -> list[str]:
    return [e.text or "" for e in root.iter(f"{SVG}title")]


def test_the_progress_chart_prints_each_rows_result_against_its_target():
    rows = [
        ProgressRow("1.1.1 Thành lập mới tổ truyền thông cộng đồng (tổ)", 1, 3),
        ProgressRow("1.2.2 Hỗ trợ Tổ truyền thông", 14, 10),
        ProgressRow("3.1.2 Đối thoại chính sách", 2),
    ]

    root = _parse(page_charts.progress_svg(rows, "Chart"))

    texts = _texts(root)
    assert "1.1.1 Thành lập mới tổ truyền thông cộng đồng (tổ)" in texts
    assert {"1 / 3 (33%)", "14 / 10 (140%)", "2 (no target)"} <= set(texts)
    assert "14 / 10 (140%)" in _titles(root) and "Target: 10" in _titles(root)
    assert root.get("aria-label") == "Chart"


def test_the_units_chart_draws_every_unit_on_one_scale():
    rows = [ProgressRow("Thôn Bùi Hui", 3, 4), ProgressRow("Thôn Nước Đang", 6, 3)]

    root = _parse(page_charts.units_svg(rows, "Chart"))

    widths = {
        rect.findtext(f"{SVG}title"): float(rect.get("width"))
        for rect in root.iter(f"{SVG}rect")
        if rect.findtext(f"{SVG}title")
    }
    assert widths["6 / 3 (200%)"] == 2 * widths["3 / 4 (75%)"]
    assert {"Thôn Bùi Hui", "Thôn Nước Đang"} <= set(_texts(root))


def test_the_participants_and_completeness_charts_give_each_share_its_count():
    people = _parse(
        page_charts.participants_svg([ParticipantRow("1.2.2 Truyền thông", 25, 8, 30, 3)], "C")
    )
    reports = _parse(
        page_charts.completeness_svg([CompletenessRow("15/09/2023 · Báo cáo", 1, 1, 1, 0)], "C")
    )

    assert "1.2.2 Truyền thông: 33 participants" in _texts(people)
    assert {"Women: 25", "Men: 8", "Ethnic minority: 30", "Not a minority: 3"} <= set(
        _titles(people)
    )
    assert {"Children (under 16): 3", "Adults: 30"} <= set(_titles(people))
    assert "15/09/2023 · Báo cáo" in _texts(reports)
    assert {"On time: 1", "Late: 1", "Not reported: 1"} <= set(_titles(reports))


def test_the_series_chart_marks_unverified_years_and_the_program_change():
    rows = [
        SeriesRow(2024, 2, 3, False, "A"),
        SeriesRow(2025, 2, None, False, "A"),
        SeriesRow(2026, 3, None, True, "B"),
    ]

    texts = _texts(_parse(page_charts.series_svg(rows, "C")))
    verified = _texts(_parse(page_charts.series_svg(rows[:2], "C")))

    assert {"2024", "2025", "2026", "2/3"} <= set(texts)
    assert "Unverified structure" in texts and "New program" in texts
    assert "Unverified structure" not in verified and "New program" not in verified


@pytest.mark.parametrize(
    "draw",
    [
        page_charts.progress_svg,
        page_charts.units_svg,
        page_charts.participants_svg,
        page_charts.completeness_svg,
        page_charts.series_svg,
    ],
)
def test_an_empty_chart_says_there_is_no_data(draw):
    assert "No data" in _texts(_parse(draw([], "C")))


@pytest.mark.parametrize("name", ["Thôn $\\frac{1}{$", "Thôn <script>alert(1)</script> & co"])
def test_names_are_drawn_as_typed_and_never_as_markup(name):
    root = _parse(page_charts.units_svg([ProgressRow(name, 3, 4)], f"Xã {name}"))

    assert name in _texts(root) and root.get("aria-label") == f"Xã {name}"
    assert not list(root.iter("{*}script", "script"))


def test_a_hundred_units_make_a_light_chart():
    rows = [ProgressRow(f"Xã Thử nghiệm số {i}", i, 100) for i in range(100)]

    svg = page_charts.units_svg(rows, "C").encode()

    assert len(svg) < 60_000 and len(gzip.compress(svg)) < 10_000
