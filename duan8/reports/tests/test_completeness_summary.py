"""The completeness page summarised by the units under the area: the numbers a reviewer reads,
their drill-down, filters and pages, who must not see them, and a fixed number of queries."""

import datetime

import lxml.html
import pytest
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.orgunits.tests.factories import make_unit
from duan8.reports.models import Report
from duan8.reports.tests.completeness_data import WU, report_write

D = datetime.date
WU_2023 = f"{WU}@2023-09-15"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def son_ha(quang_ngai):
    """A second district of the old province, with one commune that reported late and was
    returned for correction."""
    district = make_unit(code="534", name="Sơn Hà", level=2, kind="Huyện", parent=quang_ngai)
    make_unit(code="21460", name="Sơn Kỳ", level=3, kind="Xã", parent=district)
    return district


@pytest.fixture
def reports_2023(report_schedules, ba_to, ba_trang, ba_kham, ba_vinh, son_ha):
    """15/9/2023: Ba Trang on time (14/9), Ba Khâm late (20/9), Ba Vinh none; Sơn Kỳ late and
    returned."""
    wu = report_schedules[WU]
    son_ky = son_ha.children.get()
    report_write(wu, ba_trang, ba_to, D(2023, 9, 15), submitted=D(2023, 9, 14))
    report_write(wu, ba_kham, ba_to, D(2023, 9, 15), submitted=D(2023, 9, 20))
    report_write(wu, son_ky, son_ha, D(2023, 9, 15), submitted=D(2023, 9, 18), status="returned")


@pytest.fixture
def province_reviewer(quang_ngai):
    user = UserFactory(username="hlhpn.quangngai.cu")
    membership(user, quang_ngai, "province_reviewer")
    return user


def _url(unit, **query) -> str:
    url = reverse("reports:completeness", kwargs={"pk": unit.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _cells(row) -> list[str]:
    return [" ".join(c.text_content().split()) for c in row.xpath("./th|./td")]


def _units(html: str) -> list[list[str]]:
    """The rows of the by-unit table: unit, due date, report, units, on time, late, not
    reported, returned, not yet due."""
    tree = lxml.html.fromstring(html)
    return [_cells(r) for r in tree.xpath('//section[@id="completeness-units"]//tbody/tr')]


def _totals(html: str) -> dict[str, list[str]]:
    """The totals per deadline: "15/09/2023 <report>" → units, on time, late, not reported,
    returned, not yet due, approved."""
    tree = lxml.html.fromstring(html)
    rows = [_cells(r) for r in tree.xpath('//section[@id="completeness-totals"]//tbody/tr')]
    return {f"{r[0]} {r[1]}": r[2:] for r in rows}


def test_the_province_sees_its_districts_per_deadline_and_each_drills_down(
    client, reports_2023, quang_ngai, ba_to, province_reviewer, report_schedules
):
    client.force_login(province_reviewer)
    name = report_schedules[WU].name

    html = client.get(_url(quang_ngai, year=2023, deadline=WU_2023)).content.decode()

    assert [r[:1] + r[3:] for r in _units(html)] == [
        ["Huyện Ba Tơ", "3", "1", "1", "1", "0", "0"],
        ["Huyện Sơn Hà", "1", "0", "1", "0", "1", "0"],
    ]
    totals = _totals(html)[f"15/09/2023 {name}"]
    assert totals[:5] == ["4", "1 (25%)", "2 (50%)", "1 (25%)", "1"]
    link = lxml.html.fromstring(html).xpath('//section[@id="completeness-units"]//tbody//a')[0]
    district = client.get(link.get("href")).content.decode()
    assert _totals(district)[f"15/09/2023 {name}"][:5] == [
        "3",
        "1 (33%)",
        "1 (33%)",
        "1 (33%)",
        "0",
    ]
    assert [r[0] for r in _units(district)] == ["Xã Ba Trang", "Xã Ba Khâm", "Xã Ba Vinh"]


def test_a_commune_row_drills_down_to_the_communes_own_deadlines(
    client, reports_2023, ba_to, ba_trang, district_reviewer
):
    client.force_login(district_reviewer)

    html = client.get(_url(ba_to, year=2023, deadline=WU_2023)).content.decode()
    (link,) = lxml.html.fromstring(html).xpath(
        '//section[@id="completeness-units"]//a[text()="Xã Ba Trang"]'
    )
    commune = lxml.html.fromstring(client.get(link.get("href")).content)

    own = [
        " ".join(li.text_content().split())
        for li in commune.xpath('//*[@id="completeness-own"]//li')
    ]
    assert any(line.startswith("15/09/2023") and "on time" in line for line in own)
    report = Report.objects.get(org_unit=ba_trang)
    assert commune.xpath(f'//a[@href="{reverse("reports:report_detail", args=[report.pk])}"]')


def test_a_status_filter_narrows_the_rows(client, reports_2023, ba_to, district_reviewer):
    client.force_login(district_reviewer)

    missing = _units(
        client.get(_url(ba_to, year=2023, deadline=WU_2023, status="missing")).content.decode()
    )
    late = _units(
        client.get(_url(ba_to, year=2023, deadline=WU_2023, status="late")).content.decode()
    )

    assert [r[0] for r in missing] == ["Xã Ba Vinh"]
    assert [r[0] for r in late] == ["Xã Ba Khâm"]


def test_the_returned_filter_finds_the_district_whose_report_came_back(
    client, reports_2023, quang_ngai, province_reviewer
):
    client.force_login(province_reviewer)

    rows = _units(client.get(_url(quang_ngai, year=2023, status="returned")).content.decode())

    assert [(r[0], r[1]) for r in rows] == [("Huyện Sơn Hà", "15/09/2023")]


def test_page_two_shows_the_next_units(client, report_schedules, ba_to, district_reviewer):
    for i in range(55):
        make_unit(code=f"29{i:03d}", name=f"Thử {i:02d}", level=3, kind="Xã", parent=ba_to)
    client.force_login(district_reviewer)

    first = _units(client.get(_url(ba_to, year=2023, deadline=WU_2023)).content.decode())
    second = _units(client.get(_url(ba_to, year=2023, deadline=WU_2023, page=2)).content.decode())

    assert len(first) == 50 and len(second) == 5
    assert [r[0] for r in first + second] == [f"Xã Thử {i:02d}" for i in range(55)]


def test_a_commune_officer_of_another_commune_must_not_see_the_commune_or_district(
    client, reports_2023, ba_to, ba_trang, other_commune_officer, commune_officer
):
    client.force_login(other_commune_officer)

    refused = [client.get(_url(unit, year=2023)) for unit in (ba_trang, ba_to)]
    client.force_login(commune_officer)  # reads her commune, but reviews no one
    own = client.get(_url(ba_trang, year=2023))

    assert [r.status_code for r in refused] == [404, 404]
    assert all("Ba Trang" not in r.content.decode() for r in refused)
    assert own.status_code == 403


def test_the_new_province_lists_its_communes_only_from_the_reform(
    client, report_schedules, ba_trang_merger, new_quang_ngai
):
    reviewer = UserFactory(username="hlhpn.quangngai")
    membership(reviewer, new_quang_ngai, "province_reviewer")
    client.force_login(reviewer)

    rows = _units(client.get(_url(new_quang_ngai, year=2025)).content.decode())

    assert rows and {r[0] for r in rows} == {"Xã Đặng Thùy Trâm"}
    assert min(datetime.datetime.strptime(r[1], "%d/%m/%Y").date() for r in rows) >= D(2025, 7, 1)


def test_requested_reports_are_counted_for_the_communes_asked(
    client, report_schedules, ba_to, ba_trang, ba_kham, district_reviewer
):
    adhoc = report_schedules["dot-xuat"]
    report_write(adhoc, ba_trang, ba_to, D(2023, 11, 30), submitted=D(2023, 11, 29))
    report_write(adhoc, ba_kham, ba_to, D(2023, 11, 30))
    client.force_login(district_reviewer)

    html = client.get(_url(ba_to, year=2023, schedule="dot-xuat")).content.decode()

    assert _totals(html)[f"30/11/2023 {adhoc.name}"][:4] == ["2", "1 (50%)", "0 (0%)", "1 (50%)"]


def test_the_page_takes_as_many_queries_for_60_communes_as_for_3(
    client, reports_2023, quang_ngai, ba_to, province_reviewer, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(province_reviewer)
    pages = [_url(quang_ngai, year=2023), _url(ba_to, year=2023, status="missing")]
    client.get(pages[0])
    counts = []
    for page in pages:
        with CaptureQueriesContext(connection) as few:
            assert client.get(page).status_code == 200
        counts.append(len(few))
    for i in range(60):
        make_unit(code=f"29{i:03d}", name=f"Thử {i:02d}", level=3, kind="Xã", parent=ba_to)

    for page, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            response = client.get(page)
        assert response.status_code == 200
    assert "Xã Thử 00" in response.content.decode()


def test_the_country_lists_its_provinces_and_each_drills_down_to_the_same_numbers(
    client, reports_2023, quang_ngai, province_reviewer, report_schedules
):
    from duan8.orgunits.services import national_root

    country = national_root()
    reviewer = UserFactory(username="tw.hlhpn")
    membership(reviewer, country, "national_reviewer")
    client.force_login(reviewer)
    name = report_schedules[WU].name

    rows = _units(client.get(_url(country, year=2023, deadline=WU_2023)).content.decode())
    province = client.get(_url(quang_ngai, year=2023, deadline=WU_2023)).content.decode()

    assert [r[:1] + r[3:] for r in rows] == [["Tỉnh Quảng Ngãi", "4", "1", "2", "1", "1", "0"]]
    assert _totals(province)[f"15/09/2023 {name}"][:5] == [
        "4",
        "1 (25%)",
        "2 (50%)",
        "1 (25%)",
        "1",
    ]
