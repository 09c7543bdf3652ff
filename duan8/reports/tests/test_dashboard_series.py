"""The dashboard's series chart (issue 12, point 6): an indicator's result 2021–2027 in xã Đặng
Thùy Trâm, across the 2025 merger and the change to the provisional 2026–2030 structure."""

import datetime

import lxml.html
import pytest
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.tests.test_series import TEAMS, team
from duan8.reports.tests.test_dashboards import chart_texts, page_charts_of


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


def _chart(unit, indicator: str = TEAMS) -> str:
    url = reverse("reports:dashboard_chart", args=[unit.pk, "series"])
    return f"{url}?year=2026&as_of=2026-06-30&indicator={indicator}"


def test_dashboard_shows_the_series_chart_with_the_unverified_mark(client, dtt, dtt_officer):
    client.force_login(dtt_officer)
    page = client.get(reverse("reports:dashboard", args=[dtt.pk]) + "?year=2026&as_of=2026-06-30")
    section = lxml.html.fromstring(page.content).xpath('//*[@id="dashboard-series"]')[0]
    assert section.xpath(".//strong[@class='unverified']")

    chart = page_charts_of(page.content.decode())["series"]
    texts = chart_texts(chart)

    assert "2021" in texts and "2027" in texts
    hatched = [r for r in chart.iter("{*}rect") if r.get("fill") == "url(#series-hatch)"]
    assert hatched  # 2026 on: the provisional structure's years, hatched
    years = [
        " ".join(row.xpath("./th")[0].text_content().split())
        for row in section.xpath(".//tbody/tr")
    ]
    assert all(year in texts for year in years)  # the chart draws every year the table lists


def test_another_communes_officer_cannot_see_the_series(client, dtt, other_commune_officer):
    client.force_login(other_commune_officer)

    assert client.get(_chart(dtt)).status_code == 404
