"""The lines of the dashboard's tables (``reports/templatetags/dashboard_tables.py``): the cells
the template wrote, names escaped, numbers unlocalized, a missing target as a dash."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils.html import format_html

from duan8.reports.charts import ParticipantRow
from duan8.reports.templatetags import dashboard_tables as tags

pytestmark = pytest.mark.usefixtures("english")


def _line(**fields: object) -> SimpleNamespace:
    return SimpleNamespace(**fields)


def test_an_indicator_line_shows_result_target_and_percent_and_what_it_counts():
    lines = [
        _line(
            label="1.1.1 Tổ <b>", unit_note="(tổ)", actual=14, target=Decimal("12.5"), percent=112
        ),
        _line(label="3.1.2 Đối thoại", unit_note="", actual=2, target=None, percent=None),
    ]

    html = tags.indicator_rows(lines)

    first, second = html.split("\n")
    assert first == (
        '<tr><th scope="row">1.1.1 Tổ &lt;b&gt; <span class="muted">(tổ)</span></th>'
        '<td class="number">14</td><td class="number">12.5</td><td class="number">112%</td></tr>'
    )
    assert second == (
        '<tr><th scope="row">3.1.2 Đối thoại</th><td class="number">2</td>'
        '<td class="number">–</td><td class="number"></td></tr>'
    )


def test_a_unit_line_links_its_dashboard_and_names_the_units_merged_into_it():
    unit = SimpleNamespace(full_name="Thôn A & B")
    includes = format_html("(including {})", format_html('<a href="/x">{}</a>', "Thôn C"))
    lines = [
        _line(
            unit=unit,
            url="/d/?year=2026&as_of=2026-12-31",
            includes=includes,
            actual=3,
            target=4,
            percent=75,
        )
    ]

    html = tags.unit_rows(lines)

    assert html.startswith(
        '<tr><th scope="row"><a href="/d/?year=2026&amp;as_of=2026-12-31">Thôn A &amp; B</a>'
        ' <span class="includes">(including <a href="/x">Thôn C</a>)</span></th>'
    )


def test_a_series_line_without_an_element_says_so_and_one_unverified_is_marked():
    units = [SimpleNamespace(full_name="Xã Ba Trang"), SimpleNamespace(full_name="Xã Ba Khâm")]
    element = SimpleNamespace(unit="tổ", code="DA8.1")
    lines = [
        _line(
            year=2025,
            units=units,
            as_of=datetime.date(2025, 6, 30),
            element=element,
            element_label="1.1 Tổ",
            provisional=True,
            value=3,
            target=None,
        ),
        _line(
            year=2031,
            units=[],
            as_of=datetime.date(2031, 12, 31),
            element=None,
            element_label="",
            provisional=False,
            value=None,
            target=None,
        ),
    ]

    first, second = tags.series_rows(lines).split("\n")

    assert '<td>Xã Ba Trang, Xã Ba Khâm <span class="muted">(30/06/2025)</span></td>' in first
    assert '1.1 Tổ <span class="muted">(tổ)</span> <code>DA8.1</code>' in first
    assert '<strong class="unverified">unverified</strong>' in first
    assert "<td>– <span" in second and "No element of the program covers this year." in second
    assert second.endswith('<td class="number">–</td><td class="number">–</td></tr>')


def test_participants_and_completeness_lines_print_every_count():
    people = [ParticipantRow("1.1.3 Tập huấn", women=7, men=5, minority=9, children=2)]
    deadline = _line(
        due_on=datetime.date(2026, 3, 31), report="Quý I", on_time=3, late=1, missing=0, waiting=2
    )

    participants = tags.participant_rows(people)
    completeness = tags.completeness_rows([deadline])

    assert participants.count('<td class="number">') == 7
    assert ">7<" in participants and ">3<" in participants and ">12<" in participants
    assert completeness.startswith('<tr><td class="nowrap">31/03/2026</td><td>Quý I</td>')


def test_the_chosen_indicator_is_selected_among_the_options():
    html = tags.indicator_options([("A.1", "Một"), ("A.2", "Hai <2>")], "A.2")

    assert (
        html
        == '<option value="A.1">Một</option><option value="A.2" selected>Hai &lt;2&gt;</option>'
    )
