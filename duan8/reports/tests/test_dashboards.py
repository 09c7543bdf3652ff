"""The dashboard page and its chart images, as their readers see them; and who sees nothing."""

import datetime
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.tests.progress_data import add_villages
from duan8.orgunits.rollup import org_unit_rollup_forget
from duan8.reports.models import Report
from duan8.reports.tests.records import DIALOGUES, SESSIONS, plan_for, session, team

D = datetime.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
WU = "hlhpn-ket-qua-15-9"


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids, whatever the Vietnamese catalogue says."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def world(indicator_rules, ba_trang_merger, ba_trang, ba_kham, villages, ba_kham_village):
    """Ba Trang 2023 (target 10 sessions): sessions in Bùi Hui and Nước Đang, a team, a
    dialogue; Ba Khâm 2023 (target 4): one session; xã Đặng Thùy Trâm: one session in 2026."""
    ba_trang_2023 = plan_for(ba_trang, 2023, **{SESSIONS.replace(".", "_"): 10})
    ba_kham_2023 = plan_for(ba_kham, 2023, **{SESSIONS.replace(".", "_"): 4})
    session(ba_trang_2023, villages["Bùi Hui"], D(2023, 10, 5), women=20, men=8)
    session(ba_trang_2023, villages["Nước Đang"], D(2023, 11, 5), women=5, girls=3)
    session(ba_trang_2023, ba_trang, D(2023, 11, 20), women=9, kind="dialogue", activity=DIALOGUES)
    team(villages["Bùi Hui"], D(2023, 10, 2))
    session(ba_kham_2023, ba_kham_village, D(2023, 9, 9), women=7, men=2, kinh_women=1)
    session(plan_for(ba_trang_merger, 2026), ba_trang_merger, D(2026, 3, 1), women=4)
    return {"plan": ba_trang_2023, "ĐTT": ba_trang_merger}


@pytest.fixture
def province_reviewer(new_quang_ngai):
    user = UserFactory(username="hlhpn.quangngai")
    membership(user, new_quang_ngai, "province_reviewer")
    return user


def _url(unit, **query) -> str:
    url = reverse("reports:dashboard", args=[unit.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _chart_url(unit, chart, **query) -> str:
    url = reverse("reports:dashboard_chart", args=[unit.pk, chart])
    return url + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def _rows(html: str, section: str) -> dict[str, list[str]]:
    """The table of a dashboard section: first cell → the other cells."""
    tree = lxml.html.fromstring(html)
    rows = tree.xpath(f'//section[@id="dashboard-{section}"]//tbody/tr')
    table = {}
    for row in rows:
        cells = [" ".join(c.text_content().split()) for c in row.xpath("./th|./td")]
        table[cells[0]] = cells[1:]
    return table


def _row(table: dict[str, list[str]], starts: str) -> list[str]:
    (key,) = [k for k in table if k.startswith(starts)]
    return table[key]


# --- the map as it changed -----------------------------------------------------------------------


def test_ba_trangs_2023_figures_appear_under_huyen_ba_to_as_of_2023(
    client, world, ba_to, district_reviewer
):
    client.force_login(district_reviewer)

    response = client.get(_url(ba_to, year=2023, as_of="2023-12-31"))

    assert response.status_code == 200
    html = response.content.decode()
    # sessions: 2 in Ba Trang + 1 in Ba Khâm; targets 10 + 4 (the communes' plans)
    assert _row(_rows(html, "progress"), "1.2.2 ") == ["3", "14", "21%"]
    units = _rows(html, "units")
    assert list(units) == ["Xã Ba Khâm", "Xã Ba Trang"]
    assert units["Xã Ba Trang"] == ["2", "10", "20%"]
    assert units["Xã Ba Khâm"] == ["1", "4", "25%"]
    women = _row(_rows(html, "participants"), "1.2.2 ")
    assert women[:2] == ["36", "10"]  # women (20 + 5 + 3 girls + 7 + 1), men (8 + 2)


def test_in_a_2026_view_they_appear_under_xa_dang_thuy_tram(
    client, world, new_quang_ngai, province_reviewer
):
    client.force_login(province_reviewer)

    province = client.get(_url(new_quang_ngai, year=2023, as_of="2026-01-01")).content.decode()
    commune = client.get(_url(world["ĐTT"], year=2023, as_of="2026-01-01")).content.decode()

    assert _rows(province, "units") == {
        "Xã Đặng Thùy Trâm (including Xã Ba Khâm, Xã Ba Trang)": ["3", "14", "21%"]
    }
    assert _row(_rows(commune, "progress"), "1.2.2 ") == ["3", "14", "21%"]
    assert _row(_rows(commune, "progress"), "1.1.1 ") == ["1", "–", ""]  # the team, no target


def test_the_as_of_date_defaults_to_today_or_the_last_day_of_an_ended_unit(
    client, world, ba_to, district_reviewer
):
    client.force_login(district_reviewer)

    response = client.get(_url(ba_to, year=2023))

    assert response.context["as_of"] == D(2025, 6, 30)  # huyện Ba Tơ ended then
    assert list(_rows(response.content.decode(), "units")) == ["Xã Ba Khâm", "Xã Ba Trang"]


def test_a_unit_that_no_longer_existed_on_the_date_names_its_successor(
    client, world, ba_trang, commune_officer
):
    client.force_login(commune_officer)

    response = client.get(_url(ba_trang, year=2023, as_of="2026-01-01"))

    assert response.status_code == 200
    assert "Đặng Thùy Trâm" in response.context["form"].non_field_errors()[0]
    assert "dashboard-progress" not in response.content.decode()
    chart = client.get(_chart_url(ba_trang, "progress", year=2023, as_of="2026-01-01"))
    assert chart.status_code == 400


def test_an_as_of_date_before_any_record_is_refused_with_the_first_day(
    client, world, ba_trang, commune_officer
):
    client.force_login(commune_officer)

    response = client.get(_url(ba_trang, year=2023, as_of="2019-05-01"))

    assert "01/01/2023" in response.context["form"].non_field_errors()[0]


# --- the commune's own page ---------------------------------------------------------------------


def test_the_commune_officer_sees_her_villages_and_the_indicator_she_picks(
    client, world, ba_trang, commune_officer
):
    client.force_login(commune_officer)

    sessions = client.get(_url(ba_trang, year=2023, indicator=SESSIONS)).content.decode()
    first = client.get(_url(ba_trang, year=2023)).content.decode()

    assert _rows(sessions, "units") == {
        "Thôn Bùi Hui": ["1", "–", ""],
        "Thôn Kon Riêng": ["0", "–", ""],
        "Thôn Nước Đang": ["1", "–", ""],
    }
    # without a choice: the first indicator with a result in a village (Bùi Hui's team)
    assert "1.1.1 " in lxml.html.fromstring(first).xpath('//*[@id="dashboard-units"]//p')[0].text
    assert _rows(first, "units")["Thôn Bùi Hui"] == ["1", "–", ""]
    assert _row(_rows(sessions, "progress"), "1.2.2 ") == ["2", "10", "20%"]
    assert _row(_rows(sessions, "participants"), "1.2.2 ") == [
        "28",  # women: 20 + 5 + 3 girls
        "8",
        "36",  # ethnic minority
        "0",
        "33",  # adults
        "3",  # children
        "36",
    ]


SVG = "{http://www.w3.org/2000/svg}"


def chart_texts(svg) -> str:
    """What a chart says: its texts and its bars' titles (the numbers a tooltip shows)."""
    return " ".join(
        " ".join(e.itertext()) for e in svg.iter() if e.tag in (f"{SVG}text", f"{SVG}title")
    )


def page_charts_of(html: str) -> dict[str, etree._Element]:
    """The page's inline charts by section (the XML of each ``<svg>``, as an image would be)."""
    tree = lxml.html.fromstring(html)
    found = {}
    for svg in tree.xpath("//figure[@class='chart']/svg"):
        section = svg.xpath("ancestor::section")[0].get("id").removeprefix("dashboard-")
        found[section] = etree.fromstring(lxml.html.tostring(svg))  # valid XML
    return found


def test_each_chart_is_drawn_in_the_page_from_the_pages_numbers(
    client, world, ba_to, district_reviewer, ba_trang_reports
):
    client.force_login(district_reviewer)

    page = client.get(_url(ba_to, year=2023, as_of="2023-12-31"))

    html = page.content.decode()
    charts = page_charts_of(html)
    assert sorted(charts) == ["completeness", "participants", "progress", "series", "units"]
    assert "3 / 14 (21%)" in chart_texts(charts["progress"])
    units = chart_texts(charts["units"])
    assert "Xã Ba Trang" in units and "2 / 10 (20%)" in units and "1 / 4 (25%)" in units
    assert "1.2.2 " in chart_texts(charts["participants"])
    assert "Women: 36" in chart_texts(charts["participants"])  # the table's 36 women
    assert "2023" in chart_texts(charts["series"])  # issue 12, point 6: the years' series
    assert "15/09/2023" in chart_texts(charts["completeness"])
    assert all(svg.get("role") == "img" and svg.get("aria-label") for svg in charts.values())
    assert "<img" not in html.split('id="dashboard-progress"')[1]  # no second request


def test_a_chart_alone_is_the_same_light_svg_image(client, world, ba_to, district_reviewer):
    client.force_login(district_reviewer)
    page = client.get(_url(ba_to, year=2023, as_of="2023-12-31")).content.decode()

    alone = client.get(_chart_url(ba_to, "units", year=2023, as_of="2023-12-31"))

    assert alone.status_code == 200
    assert alone["Content-Type"] == "image/svg+xml"
    root = etree.fromstring(alone.content)
    assert chart_texts(root) == chart_texts(page_charts_of(page)["units"])
    assert len(alone.content) < 10_000


@pytest.fixture
def ba_trang_reports(report_schedules, ba_trang, ba_to):
    """Ba Trang's 15/9/2023 report submitted on 14/9; the others of 2023 never written."""
    at = datetime.datetime(2023, 9, 14, 9, tzinfo=TZ)
    return Report.objects.create(
        schedule=report_schedules[WU],
        org_unit=ba_trang,
        recipient_unit=ba_to,
        period_start=D(2023, 1, 1),
        period_end=D(2023, 9, 15),
        due_on=D(2023, 9, 15),
        status="submitted",
        first_submitted_at=at,
        submitted_at=at,
    )


def test_the_commune_sees_its_own_reports_on_time_late_or_missing(
    client, world, ba_trang, commune_officer, ba_trang_reports
):
    client.force_login(commune_officer)

    html = client.get(_url(ba_trang, year=2023)).content.decode()

    table = lxml.html.fromstring(html).xpath('//section[@id="dashboard-completeness"]//tbody/tr')
    cells = [[c.text_content().strip() for c in row.xpath("./td")] for row in table]
    on_time = [row for row in cells if row[0] == "15/09/2023"]
    assert on_time and on_time[0][2:] == ["1", "0", "0", "0"]
    assert any(row[4] == "1" for row in cells)  # a deadline of 2023 with no report: missing
    assert "15/09/2023" in chart_texts(page_charts_of(html)["completeness"])


def test_the_district_reviewer_sees_the_completeness_of_her_communes(
    client, world, ba_to, district_reviewer, ba_trang_reports, report_schedules
):
    client.force_login(district_reviewer)

    html = client.get(_url(ba_to, year=2023, as_of="2023-12-31")).content.decode()

    tree = lxml.html.fromstring(html)
    rows = tree.xpath('//section[@id="dashboard-completeness"]//tbody/tr')
    cells = {
        r.xpath("./td")[1].text_content(): [c.text_content() for c in r.xpath("./td")[2:]]
        for r in rows
        if "15/09/2023" in r.text_content()
    }
    wu = report_schedules[WU].name
    assert cells[wu] == ["1", "0", "1", "0"]  # Ba Trang on time, Ba Khâm not reported


# --- access ----------------------------------------------------------------------------------


def test_another_communes_officer_must_not_see_ba_trang(
    client, world, ba_trang, ba_to, other_commune_officer
):
    client.force_login(other_commune_officer)

    for url in (
        _url(ba_trang, year=2023),
        _url(ba_to, year=2023),
        _chart_url(ba_trang, "progress", year=2023),
        _chart_url(ba_trang, "units", year=2023),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "Bùi Hui" not in response.content.decode()


def test_a_village_head_sees_only_her_village(client, world, ba_trang, villages, village_head):
    client.force_login(village_head)

    own = client.get(_url(villages["Nước Đang"], year=2023))
    others = [
        client.get(_url(ba_trang, year=2023)),
        client.get(_url(villages["Bùi Hui"], year=2023)),
        client.get(_chart_url(ba_trang, "participants", year=2023)),
        client.get(_chart_url(villages["Bùi Hui"], "progress", year=2023)),
    ]

    assert own.status_code == 200
    html = own.content.decode()
    assert _row(_rows(html, "progress"), "1.2.2 ")[0] == "1"
    assert "dashboard-units" not in html and "dashboard-completeness" not in html
    assert "Bùi Hui" not in html and "Kon Riêng" not in html
    assert [r.status_code for r in others] == [404, 404, 404, 404]


def test_the_header_page_opens_the_users_own_unit(client, world, commune_officer):
    client.force_login(commune_officer)

    response = client.get(reverse("reports:dashboard_home"))

    assert response.status_code == 200
    assert response.context["unit"].name == "Ba Trang"
    assert response.context["year"] == 2023  # the year of the commune's latest plan


def test_someone_without_a_unit_is_told_so(client, db):
    client.force_login(UserFactory(username="nobody"))

    response = client.get(reverse("reports:dashboard_home"))

    assert response.status_code == 200
    assert "You hold no role" in response.content.decode()


def test_an_unknown_chart_is_not_found(client, world, ba_trang, commune_officer):
    client.force_login(commune_officer)

    assert client.get(_chart_url(ba_trang, "pie", year=2023)).status_code == 404


def test_the_header_and_the_work_hub_link_to_the_dashboard(
    client, world, ba_trang, commune_officer
):
    client.force_login(commune_officer)

    hub = client.get(reverse("activities:work_hub", args=[ba_trang.pk, 2023])).content.decode()

    tree = lxml.html.fromstring(hub)
    assert tree.xpath(f'//nav[@class="site-nav"]//a[@href="{reverse("reports:dashboard_home")}"]')
    assert tree.xpath(f'//*[@id="hub-progress"]//a[starts-with(@href, "{_url(ba_trang)}")]')


# --- queries ---------------------------------------------------------------------------------


def test_the_page_and_its_charts_take_as_many_queries_for_30_villages_as_for_3(
    client, world, ba_trang, commune_officer
):
    client.force_login(commune_officer)
    urls = [_url(ba_trang, year=2023, as_of="2024-01-01")] + [
        _chart_url(ba_trang, chart, year=2023, as_of="2024-01-01")
        for chart in ("progress", "units", "participants", "completeness", "series")
    ]

    def queries() -> list[int]:
        counts = []
        for url in urls:
            org_unit_rollup_forget()  # each counted from nothing kept
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    few = queries()
    for village in add_villages(ba_trang, 27, start=4):
        session(world["plan"], village, D(2023, 8, 1), women=3, men=1)
        team(village, D(2023, 8, 1))

    assert queries() == few, few
    # the page, charts included: 22 (session, visibility, the map's state and the map, rules,
    # records, plans, reports), then the series table 2021–2027 in one pass of the engine
    # (crosswalk, the map's state twice, its changes and the map, records, targets: 14; the
    # rules and the elements' codes are those the page's year read);
    # a chart alone (not used by the page) costs what its part of the page does. Each counted
    # from nothing kept: the page reads no map the page before it read while the map is the same
    assert few == [36, 16, 16, 16, 7, 32], few
    assert len(_rows(client.get(urls[0]).content.decode(), "units")) == 30


def test_the_series_costs_as_many_queries_for_eleven_years_as_for_seven(
    client, world, ba_trang_merger, province_reviewer
):
    page = _url(ba_trang_merger, year=2023, as_of="2026-01-01", indicator=SESSIONS)
    chart = _chart_url(ba_trang_merger, "series", year=2023, as_of="2026-01-01")

    def queries() -> list[int]:
        client.force_login(province_reviewer)  # a session of the day travelled to
        counts = []
        for url in (page, chart):
            org_unit_rollup_forget()  # each counted from nothing kept
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, tzinfo=TZ), tick=False):
        seven = queries()  # 2021–2027
        assert len(_rows(client.get(page).content.decode(), "series")) == 7
    with time_machine.travel(datetime.datetime(2030, 3, 1, 9, tzinfo=TZ), tick=False):
        eleven = queries()  # 2021–2031
        assert len(_rows(client.get(page).content.decode(), "series")) == 11

    assert eleven == seven, (seven, eleven)
