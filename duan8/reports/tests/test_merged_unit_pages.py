"""A merged commune's pages agree on its figures of the years before the merger and name the
units they come from (issue 10, point 10).

xã Đặng Thùy Trâm was formed on 1/7/2025 from xã Ba Trang and xã Ba Khâm. Its 2023 figures are
theirs: the dashboard, its progress and work pages, and its unit page say so, link to them, and
the reviewer of the new tỉnh Quảng Ngãi can open those links. Nobody outside can.
"""

import datetime

import lxml.html
import pytest
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.orgunits.access import can
from duan8.orgunits.tests.factories import make_unit
from duan8.programs.models import ProgramElement
from duan8.reports.tests.records import SESSIONS, plan_for, session, team

D = datetime.date


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def merged(indicator_rules, ba_trang_merger, ba_trang, ba_kham, villages, ba_kham_village):
    """Ba Trang 2023 (target 10 sessions): two sessions and a dialogue-free team; Ba Khâm 2023
    (target 4): one session. Returns the plans and xã Đặng Thùy Trâm."""
    ba_trang_2023 = plan_for(ba_trang, 2023, **{SESSIONS.replace(".", "_"): 10})
    ba_kham_2023 = plan_for(ba_kham, 2023, **{SESSIONS.replace(".", "_"): 4})
    session(ba_trang_2023, villages["Bùi Hui"], D(2023, 10, 5), women=20, men=8)
    session(ba_trang_2023, villages["Nước Đang"], D(2023, 11, 5), women=5)
    team(villages["Bùi Hui"], D(2023, 10, 2))
    session(ba_kham_2023, ba_kham_village, D(2023, 9, 9), women=7, men=2)
    return {"ba_trang": ba_trang_2023, "ba_kham": ba_kham_2023, "ĐTT": ba_trang_merger}


@pytest.fixture
def province_reviewer(new_quang_ngai):
    user = UserFactory(username="hlhpn.quangngai")
    membership(user, new_quang_ngai, "province_reviewer")
    return user


@pytest.fixture
def outsider(db):
    """The reviewer of another province (formed on 1/7/2025 too)."""
    other = make_unit(
        code="52", name="Gia Lai", level=1, kind="Tỉnh", valid_from=D(2025, 7, 1), valid_to=None
    )
    user = UserFactory(username="hlhpn.gialai")
    membership(user, other, "province_reviewer")
    return user


def _tree(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def _text(node) -> str:
    return " ".join(node.text_content().split())


def _hrefs(node) -> set[str]:
    return {a.get("href") for a in node.xpath(".//a")}


def _dashboard_sessions(client, unit, year: int = 2023) -> str:
    """The year's result of the sessions indicator on the unit's dashboard (today's map)."""
    tree = _tree(client.get(reverse("reports:dashboard", args=[unit.pk]) + f"?year={year}"))
    rows = tree.xpath('//section[@id="dashboard-progress"]//tbody/tr')
    (row,) = [r for r in rows if _text(r).startswith("1.2.2 ")]
    return _text(row.xpath("./td")[0])


def test_the_new_province_reviewer_reads_the_predecessors_plan_and_progress(
    client, merged, province_reviewer, ba_trang
):
    client.force_login(province_reviewer)

    plan = client.get(reverse("programs:plan_detail", args=[merged["ba_trang"].pk]))
    progress = client.get(reverse("activities:unit_progress", args=[ba_trang.pk, 2023]))

    assert plan.status_code == 200
    assert progress.status_code == 200
    # reading only: no right to change, approve or read persons' names comes with it
    assert not can(province_reviewer, "plans.edit", ba_trang)
    assert not can(province_reviewer, "records.personal", ba_trang)


def test_the_unit_page_lists_the_predecessors_plans(client, merged, province_reviewer):
    client.force_login(province_reviewer)

    tree = _tree(client.get(reverse("orgunits:unit_detail", args=[merged["ĐTT"].pk])))

    sections = {
        _text(section.xpath("./h3")[0]): _hrefs(section)
        for section in tree.xpath('//section[contains(@class, "predecessor-plans")]')
    }
    assert set(sections) == {
        "Plans of xã Ba Trang (now part of xã Đặng Thùy Trâm)",
        "Plans of xã Ba Khâm (now part of xã Đặng Thùy Trâm)",
    }
    ba_trang_plan = reverse("programs:plan_detail", args=[merged["ba_trang"].pk])
    assert ba_trang_plan in sections["Plans of xã Ba Trang (now part of xã Đặng Thùy Trâm)"]


def test_the_progress_page_of_2023_adds_up_the_predecessors_as_the_dashboard_does(
    client, merged, province_reviewer, ba_trang, ba_kham
):
    client.force_login(province_reviewer)
    unit = merged["ĐTT"]

    tree = _tree(client.get(reverse("activities:unit_progress", args=[unit.pk, 2023])))

    (notice,) = tree.xpath('//section[@id="predecessors"]')
    links = _hrefs(notice)
    assert reverse("activities:unit_progress", args=[ba_trang.pk, 2023]) in links
    assert reverse("activities:unit_progress", args=[ba_kham.pk, 2023]) in links
    assert reverse("programs:plan_detail", args=[merged["ba_trang"].pk]) in links
    heads = [_text(th) for th in tree.xpath("//table//thead//th")]
    assert heads == ["Indicator", "Xã Đặng Thùy Trâm", "Xã Ba Khâm", "Xã Ba Trang", "Total"]
    title = " ".join(ProgramElement.objects.get(code=SESSIONS).title.split())
    (row,) = [r for r in tree.xpath("//table//tbody/tr") if title in _text(r)]
    cells = [_text(td) for td in row.xpath("./td")]
    assert cells == ["0", "1", "2", "3"]
    assert cells[-1] == _dashboard_sessions(client, unit)


def _plan_sessions(response) -> str:
    """The actual of the sessions line in a plan's progress table (plan page or progress)."""
    element = ProgramElement.objects.get(code=SESSIONS)
    row = _tree(response).get_element_by_id(f"line-{element.pk}")
    return [_text(cell) for cell in row][3]  # activity, commune and village targets, actual


def test_the_year_of_the_merger_agrees_on_the_plan_progress_and_the_dashboard(
    client, merged, province_reviewer, ba_trang, villages, other_commune_officer
):
    """xã Đặng Thùy Trâm has a plan for 2025; xã Ba Trang held two sessions in its villages
    before 1/7/2025, the new commune one after. The new commune's progress page (its plan's
    table) and its plan page count all three, as its dashboard does (one engine)."""
    unit = merged["ĐTT"]
    plan = plan_for(unit, 2025, **{SESSIONS.replace(".", "_"): 6})
    before = plan_for(ba_trang, 2025)
    session(before, villages["Bùi Hui"], D(2025, 3, 10), women=5)
    session(before, villages["Nước Đang"], D(2025, 6, 30), women=6)
    session(plan, unit, D(2025, 9, 1), women=4)
    client.force_login(province_reviewer)

    progress = client.get(reverse("activities:unit_progress", args=[unit.pk, 2025]))
    plan_page = client.get(reverse("programs:plan_detail", args=[plan.pk]))

    assert _plan_sessions(progress) == "3"
    assert _plan_sessions(plan_page) == "3"
    assert _dashboard_sessions(client, unit, 2025) == "3"
    # the page says where the figures come from, and links to xã Ba Trang's own progress
    (notice,) = _tree(progress).xpath('//section[@id="predecessors"]')
    assert reverse("activities:unit_progress", args=[ba_trang.pk, 2025]) in _hrefs(notice)
    # xã Ba Khâm's officer reads neither the new commune's progress nor its plan's
    client.force_login(other_commune_officer)
    for url in (
        reverse("activities:unit_progress", args=[unit.pk, 2025]),
        reverse("activities:plan_progress", args=[plan.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_work_hub_of_2023_adds_up_the_predecessors_work(
    client, merged, province_reviewer, ba_trang
):
    client.force_login(province_reviewer)

    tree = _tree(client.get(reverse("activities:work_hub", args=[merged["ĐTT"].pk, 2023])))

    assert reverse("activities:work_hub", args=[ba_trang.pk, 2023]) in _hrefs(
        tree.xpath('//section[@id="predecessors"]')[0]
    )
    events = tree.xpath('//section[@id="hub-events"]//span[@class="count"]')[0]
    groups = tree.xpath('//section[@id="hub-groups"]//span[@class="count"]')[0]
    assert (_text(events), _text(groups)) == ("3", "1")


def test_the_province_dashboard_names_the_predecessors_in_its_rows(
    client, merged, province_reviewer, new_quang_ngai, ba_trang
):
    client.force_login(province_reviewer)

    tree = _tree(client.get(reverse("reports:dashboard", args=[new_quang_ngai.pk]) + "?year=2023"))

    (row,) = tree.xpath('//section[@id="dashboard-units"]//tbody/tr')
    assert _text(row.xpath("./th")[0]) == ("Xã Đặng Thùy Trâm (including Xã Ba Khâm, Xã Ba Trang)")
    ba_trang_dashboard = reverse("reports:dashboard", args=[ba_trang.pk])
    assert any(h.startswith(ba_trang_dashboard) for h in _hrefs(row))
    # the commune's own dashboard says it too, and its link opens
    commune = _tree(
        client.get(reverse("reports:dashboard", args=[merged["ĐTT"].pk]) + "?year=2023")
    )
    (notice,) = commune.xpath('//p[@id="dashboard-predecessors"]')
    (link,) = [h for h in _hrefs(notice) if h.startswith(ba_trang_dashboard)]
    assert client.get(link).status_code == 200


def test_a_year_after_the_merger_names_no_predecessor(client, merged, province_reviewer):
    client.force_login(province_reviewer)

    tree = _tree(client.get(reverse("activities:unit_progress", args=[merged["ĐTT"].pk, 2026])))

    assert not tree.xpath('//section[@id="predecessors"]')


def test_an_outsider_sees_neither_the_merged_unit_nor_its_predecessors(
    client, merged, outsider, other_commune_officer, ba_trang
):
    unit = merged["ĐTT"]
    urls = [
        reverse("orgunits:unit_detail", args=[unit.pk]),
        reverse("activities:unit_progress", args=[unit.pk, 2023]),
        reverse("activities:work_hub", args=[unit.pk, 2023]),
        reverse("reports:dashboard", args=[unit.pk]) + "?year=2023",
        reverse("programs:plan_detail", args=[merged["ba_trang"].pk]),
        reverse("activities:unit_progress", args=[ba_trang.pk, 2023]),
    ]
    for user in (outsider, other_commune_officer):  # another province; xã Ba Khâm's officer
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.username, url)
