"""The dashboard's series chart has its numbers in a table under it (issue 12, point 6): each
year, the units whose records count, the program element in force, the result and the target."""

import datetime

import lxml.html
import pytest
from django.urls import reverse
from django.utils import translation

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.tests.test_series import TEAMS, TEAMS_2026, team
from duan8.programs.models import ProgramElement
from duan8.reports.series_chart import series_lines


@pytest.fixture
def dtt(indicator_rules, ba_trang_merger, villages, ba_kham_village):
    team(villages["Bùi Hui"], datetime.date(2022, 3, 1))
    team(ba_kham_village, datetime.date(2024, 5, 1))
    team(ba_trang_merger, datetime.date(2026, 4, 1))
    return ba_trang_merger


@pytest.fixture
def dtt_officer(dtt):
    user = UserFactory.create(username="hlhpn.dangthuytram", full_name="Hồ Thị Trâm")
    membership(user, dtt, "commune_wu_officer")
    return user


def _rows(client, unit) -> list[list[str]]:
    url = reverse("reports:dashboard", args=[unit.pk])
    page = client.get(f"{url}?year=2026&as_of=2026-06-30&indicator={TEAMS}")
    assert page.status_code == 200
    table = lxml.html.fromstring(page.content).get_element_by_id("dashboard-series-table")
    return [
        [" ".join(cell.text_content().split()) for cell in row] for row in table.xpath("./tbody/tr")
    ]


def test_series_lines_name_the_units_and_the_element_of_each_year(dtt, dtt_officer):
    element = ProgramElement.objects.get(code=TEAMS)

    lines = series_lines(actor=dtt_officer, unit=dtt, element=element, years=[2023, 2025, 2027])

    assert [line.value for line in lines] == [1, 2, 3]
    assert [[u.name for u in line.units] for line in lines] == [
        ["Ba Khâm", "Ba Trang"],  # before the merger: the two communes that became xã ĐTT
        ["Ba Khâm", "Ba Trang", "Đặng Thùy Trâm"],  # 2025: January-June, then the new commune
        ["Đặng Thùy Trâm"],
    ]
    assert [line.element.code for line in lines] == [TEAMS, TEAMS, TEAMS_2026]
    assert [line.provisional for line in lines] == [False, False, True]


def test_the_dashboard_shows_the_numbers_of_the_series_in_a_table(client, dtt, dtt_officer):
    client.force_login(dtt_officer)

    with translation.override("en"):
        client.cookies["django_language"] = "en"
        rows = _rows(client, dtt)

    by_year = {row[0]: row for row in rows}
    assert list(by_year)[0] == "2021" and "2027" in by_year
    assert [by_year[str(y)][3] for y in range(2021, 2028)] == ["0", "1", "1", "2", "2", "3", "3"]
    assert "Xã Ba Trang" in by_year["2023"][1] and "(01/07/2025)" in by_year["2023"][1]
    assert TEAMS in by_year["2025"][2] and "unverified" not in by_year["2025"][2]
    assert TEAMS_2026 in by_year["2027"][2] and "unverified" in by_year["2027"][2]
    assert by_year["2027"][1].startswith("Xã Đặng Thùy Trâm")


def test_another_communes_officer_sees_no_series_table(client, dtt, other_commune_officer):
    client.force_login(other_commune_officer)
    url = reverse("reports:dashboard", args=[dtt.pk])

    response = client.get(f"{url}?year=2026&as_of=2026-06-30&indicator={TEAMS}")

    assert response.status_code == 404
    assert b"dashboard-series-table" not in response.content
