"""The progress pages and the work hub, as their readers see them; and who sees nothing."""

import datetime

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duan8.activities.models import CommunityGroup, CommunityGroupStatus, Event
from duan8.activities.services.events import CountInput, EventInput, event_create
from duan8.activities.services.groups import GroupInput, community_group_create
from duan8.activities.tests.progress_data import add_villages, year_of_records
from duan8.programs.models import ProgramElement

D = datetime.date
TEAMS = "1719.GD1.DA8.ND1.HD1.1"
SESSIONS = "1719.GD1.DA8.ND1.HD2.2"
NO_RULE = "1719.GD1.DA8.ND2.HD1"  # a target (suspended), no rule: not computed automatically


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids, whatever the Vietnamese catalogue says."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def records(ba_trang_plan, villages, ba_kham_village, commune_officer, indicator_rules):
    plan = ba_trang_plan
    team = community_group_create(
        actor=commune_officer,
        data=GroupInput(
            kind="communication_team",
            name="Tổ truyền thông thôn Nước Đang",
            org_unit=villages["Nước Đang"],
            founded_on=D(2023, 10, 2),
            plan=plan,
            channel="zalo",
        ),
    )
    for unit, title, day in [
        (villages["Nước Đang"], "Truyền thông xóa bỏ tảo hôn", D(2023, 11, 5)),
        (villages["Kon Riêng"], "Truyền thông phòng chống bạo lực gia đình", D(2023, 9, 9)),
    ]:
        event_create(
            actor=commune_officer,
            data=EventInput(
                plan=plan,
                activity=ProgramElement.objects.get(code=SESSIONS),
                kind="communication",
                title=title,
                held_on=day,
                org_unit=unit,
                counts=[CountInput("F", True, "adult", 20), CountInput("M", True, "adult", 8)],
            ),
        )
    other = CommunityGroup.objects.create(
        kind="communication_team",
        name="Tổ truyền thông Làng Rêu",
        org_unit=ba_kham_village,
        founded_on=D(2023, 2, 1),
    )
    CommunityGroupStatus.objects.create(group=other, status="founded", on=other.founded_on)
    return {"plan": plan, "team": team}


def page(client, user, name, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, kwargs=kwargs))


def cells(html: str, element_code: str) -> list[str]:
    """The texts of a line's cells on a progress page (the activity first)."""
    element = ProgramElement.objects.get(code=element_code)
    row = lxml.html.fromstring(html).get_element_by_id(f"line-{element.pk}")
    return [" ".join(cell.text_content().split()) for cell in row]


def village_headings(html: str) -> list[str]:
    return [th.text_content() for th in lxml.html.fromstring(html).find_class("village-head")]


# The plan's progress page


def test_the_officer_sees_each_line_with_commune_and_village_figures(
    client, records, commune_officer
):
    response = page(client, commune_officer, "activities:plan_progress", pk=records["plan"].pk)
    html = response.content.decode()

    assert response.status_code == 200
    assert village_headings(html) == ["Bùi Hui", "Kon Riêng", "Nước Đang"]
    # activity, commune target (the allocation's total), village target, actual, %, 3 villages
    teams = cells(html, TEAMS)
    assert teams[1:] == ["01 (allocation table)", "01", "1", "100%", "0 / 0", "0 / 0", "1 / 01"]
    assert cells(html, SESSIONS)[5:] == ["0", "1", "1"]
    teams_row = lxml.html.fromstring(html).get_element_by_id(
        f"line-{ProgramElement.objects.get(code=TEAMS).pk}"
    )
    # on a phone each village's cell reads as "village: actual / target"
    assert [td.get("data-label") for td in teams_row.find_class("village-cell")] == [
        "Bùi Hui",
        "Kon Riêng",
        "Nước Đang",
    ]


def test_the_plan_page_itself_shows_progress_per_line_and_village(
    client, records, commune_officer, fatherland_front
):
    for reader in (commune_officer, fatherland_front):  # the Front reads counts, not names
        response = page(client, reader, "programs:plan_detail", pk=records["plan"].pk)
        html = response.content.decode()

        assert response.status_code == 200
        assert "Progress of implementation" in html
        assert village_headings(html) == ["Bùi Hui", "Kon Riêng", "Nước Đang"]
        assert cells(html, TEAMS)[3:] == ["1", "100%", "0 / 0", "0 / 0", "1 / 01"]
        assert cells(html, SESSIONS)[5:] == ["0", "1", "1"]


def test_text_targets_list_the_records_that_answer_them(client, records, commune_officer):
    html = page(
        client, commune_officer, "activities:plan_progress", pk=records["plan"].pk
    ).content.decode()

    actual = cells(html, SESSIONS)[3]

    assert actual.startswith("2 ")
    assert "05/11/2023 Truyền thông xóa bỏ tảo hôn (Thôn Nước Đang)" in actual
    assert "09/09/2023 Truyền thông phòng chống bạo lực gia đình (Thôn Kon Riêng)" in actual
    event = Event.objects.get(title="Truyền thông xóa bỏ tảo hôn")
    assert f'href="{reverse("activities:event_detail", args=[event.pk])}"' in html


def test_lines_without_a_rule_say_they_are_not_computed(client, records, commune_officer):
    html = page(
        client, commune_officer, "activities:plan_progress", pk=records["plan"].pk
    ).content.decode()

    assert cells(html, NO_RULE)[3] == "— not computed automatically"
    # nor counted in the villages: their cells show at most the target
    assert all(cell == "" or cell.startswith("— / ") for cell in cells(html, NO_RULE)[5:])


def test_the_bars_are_drawn_without_style_attributes(client, records, commune_officer):
    html = page(
        client, commune_officer, "activities:plan_progress", pk=records["plan"].pk
    ).content.decode()
    tree = lxml.html.fromstring(html)

    fills = tree.xpath("//svg[contains(@class, 'bar')]/rect[@class='bar-fill']")

    assert fills and {f.get("width") for f in fills} >= {"100", "0"}
    assert not tree.xpath("//*[@style]") and not tree.xpath("//style | //script[not(@src)]")


def test_the_plan_page_links_to_its_progress(client, records, commune_officer):
    plan = records["plan"]

    html = page(client, commune_officer, "programs:plan_detail", pk=plan.pk).content.decode()

    assert reverse("activities:plan_progress", args=[plan.pk]) in html


def test_the_query_count_does_not_grow_with_villages_or_records(
    client,
    django_assert_num_queries,
    ba_trang_plan,
    ba_trang,
    villages,
    commune_officer,
    indicator_rules,
    ethnic_groups,
):
    year_of_records(plan=ba_trang_plan, villages=list(villages.values()), events_per_village=20)
    client.force_login(commune_officer)
    url = reverse("activities:plan_progress", args=[ba_trang_plan.pk])
    hub = reverse("activities:work_hub", args=[ba_trang.pk, 2023])
    small = {}
    for page_url in (url, hub):
        with CaptureQueriesContext(connection) as context:
            assert client.get(page_url).status_code == 200
        small[page_url] = len(context.captured_queries)  # the next request empties the log

    more = add_villages(ba_trang, 27)
    year_of_records(plan=ba_trang_plan, villages=more, events_per_village=100, seed=30)
    with django_assert_num_queries(small[url]):
        response = client.get(url)
    with django_assert_num_queries(small[hub]):
        client.get(hub)

    assert len(village_headings(response.content.decode())) == 30
    assert small[url] <= 25


# A unit's progress, by year


def test_the_commune_progress_of_a_year_is_its_plan(client, records, commune_officer, ba_trang):
    html = page(
        client, commune_officer, "activities:unit_progress", pk=ba_trang.pk, year=2023
    ).content.decode()

    assert village_headings(html) == ["Bùi Hui", "Kon Riêng", "Nước Đang"]
    assert reverse("activities:plan_progress", args=[records["plan"].pk]) not in html  # no other


def test_a_village_head_sees_their_village_only(client, records, village_head, villages):
    response = page(
        client, village_head, "activities:unit_progress", pk=villages["Nước Đang"].pk, year=2023
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert cells(html, TEAMS)[1:4] == ["01", "1", "100%"]
    assert cells(html, SESSIONS)[2].startswith("1 05/11/2023 Truyền thông xóa bỏ tảo hôn")
    assert "Kon Riêng" not in html and "Bùi Hui" not in html
    assert "phòng chống bạo lực" not in html
    assert "87/KH-UBND" not in html


def test_a_village_heads_progress_link_opens_their_village(client, records, village_head):
    html = page(client, village_head, "activities:progress_home").content.decode()

    assert "Thôn Nước Đang" in html and "year 2023" in html
    assert cells(html, TEAMS)[1:4] == ["01", "1", "100%"]


def test_a_village_head_cannot_open_the_commune_or_another_village(
    client, records, village_head, villages, ba_trang
):
    for name, kwargs in [
        ("activities:plan_progress", {"pk": records["plan"].pk}),
        ("activities:unit_progress", {"pk": ba_trang.pk, "year": 2023}),
        ("activities:unit_progress", {"pk": villages["Kon Riêng"].pk, "year": 2023}),
        ("activities:work_hub", {"pk": villages["Kon Riêng"].pk, "year": 2023}),
        ("activities:work_hub", {"pk": ba_trang.pk, "year": 2023}),
    ]:
        response = page(client, village_head, name, **kwargs)

        assert response.status_code == 404, (name, kwargs)
        assert "Kon Riêng" not in response.content.decode()


def test_another_communes_officer_gets_nothing(
    client, records, other_commune_officer, ba_trang, villages
):
    for name, kwargs in [
        ("activities:plan_progress", {"pk": records["plan"].pk}),
        ("activities:unit_progress", {"pk": ba_trang.pk, "year": 2023}),
        ("activities:unit_progress", {"pk": villages["Nước Đang"].pk, "year": 2023}),
        ("activities:work_hub", {"pk": ba_trang.pk, "year": 2023}),
    ]:
        response = page(client, other_commune_officer, name, **kwargs)

        assert response.status_code == 404, (name, kwargs)
        assert "Nước Đang" not in response.content.decode()


def test_another_communes_officer_sees_their_own_work(client, records, other_commune_officer):
    html = page(client, other_commune_officer, "activities:work_home").content.decode()

    assert "Xã Ba Khâm" in html
    assert "Ba Trang" not in html and "Nước Đang" not in html


def test_the_district_sees_the_sum_of_its_communes(client, records, district_reviewer, ba_to):
    html = page(
        client, district_reviewer, "activities:unit_progress", pk=ba_to.pk, year=2023
    ).content.decode()
    tree = lxml.html.fromstring(html)

    rows = {
        " ".join(tr[0].text_content().split()): tr[1].text_content().strip()
        for tr in tree.xpath("//table[contains(@class, 'progress-rollup')]/tbody/tr")
    }

    teams = next(v for k, v in rows.items() if "Thành lập mới và duy trì tổ truyền thông" in k)
    assert teams == "2"  # Nước Đang's team and Làng Rêu's (xã Ba Khâm)


def test_years_outside_the_range_are_not_found(client, records, commune_officer, ba_trang):
    response = page(client, commune_officer, "activities:unit_progress", pk=ba_trang.pk, year=1)

    assert response.status_code == 404


def test_the_pages_only_read(client, records, commune_officer):
    client.force_login(commune_officer)

    response = client.post(reverse("activities:plan_progress", args=[records["plan"].pk]))

    assert response.status_code == 405


# The work hub


def test_the_hub_counts_the_work_of_the_year(client, records, commune_officer, ba_trang):
    response = page(client, commune_officer, "activities:work_hub", pk=ba_trang.pk, year=2023)
    tree = lxml.html.fromstring(response.content.decode())

    def count(section_id):
        return tree.get_element_by_id(section_id).find_class("count")[0].text_content()

    assert (count("hub-groups"), count("hub-events")) == ("1", "2")
    assert "56 (40 women, 16 men; 56 of an ethnic minority)" in " ".join(
        tree.get_element_by_id("hub-events").text_content().split()
    )
    html = response.content.decode()
    assert reverse("activities:plan_progress", args=[records["plan"].pk]) in html
    assert reverse("activities:unit_progress", args=[ba_trang.pk, 2023]) in html


def test_the_hub_of_another_year_is_empty(client, records, commune_officer, ba_trang):
    response = page(client, commune_officer, "activities:work_hub", pk=ba_trang.pk, year=2022)
    tree = lxml.html.fromstring(response.content.decode())

    assert tree.get_element_by_id("hub-events").find_class("count")[0].text_content() == "0"


def test_the_work_link_opens_the_users_commune_at_its_latest_plan_year(
    client, records, commune_officer
):
    html = page(client, commune_officer, "activities:work_home").content.decode()

    assert "Work carried out in 2023" in html and "Xã Ba Trang" in html


def test_the_unit_page_links_to_its_work(client, records, commune_officer, ba_trang):
    html = page(client, commune_officer, "orgunits:unit_detail", pk=ba_trang.pk).content.decode()

    assert reverse("activities:unit_work", args=[ba_trang.pk]) in html


def test_a_units_work_opens_at_its_latest_plan_year(client, records, village_head, villages):
    html = page(
        client, village_head, "activities:unit_work", pk=villages["Nước Đang"].pk
    ).content.decode()

    assert "Work carried out in 2023" in html and "Thôn Nước Đang" in html
    assert "Kon Riêng" not in html


# The header


LISTS = ["Work", "Events", "Groups", "Women cadres", "Difficulties", "Progress"]


@pytest.mark.parametrize(
    ("persona", "wanted"),
    [
        ("commune_officer", LISTS),
        ("commune_leader", LISTS),
        ("village_head", LISTS),
        ("district_reviewer", ["Work", "Progress"]),  # the lists are a commune's or village's
    ],
)
def test_the_header_links_to_the_work_of_the_users_unit(client, records, persona, wanted, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    home = client.get(reverse("home"), follow=True)  # a village head lands on his entry page
    tree = lxml.html.fromstring(home.content.decode())

    links = {a.text_content(): a.get("href") for a in tree.xpath("//nav[@class='site-nav']/a")}

    assert [name for name in LISTS if name in links] == wanted
    for name in wanted:
        assert client.get(links[name]).status_code == 200, (persona, name)


def test_the_header_has_no_work_links_for_a_user_without_a_unit(client, records):
    from duan8.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(username="khong.vai.tro"))
    home = client.get(reverse("home"))
    html = home.content.decode()

    assert home.status_code == 200 and reverse("logout") in html  # the header is there
    assert reverse("activities:progress_home") not in html
    assert client.get(reverse("activities:progress_home")).status_code == 200


def _progress_table(html: str) -> str:
    table = lxml.html.fromstring(html).find_class("progress-table")[0]
    return lxml.html.tostring(table, encoding="unicode")


def test_the_plan_pages_progress_table_is_the_progress_pages(client, records, commune_officer):
    # the plan page hands the targets and allocation it read to the panel (plan_page_read); the
    # progress page reads them itself: the same table, text targets' records included
    plan = records["plan"]

    on_plan_page = page(client, commune_officer, "programs:plan_detail", pk=plan.pk)
    on_progress_page = page(client, commune_officer, "activities:plan_progress", pk=plan.pk)

    table = _progress_table(on_plan_page.content.decode())
    assert table == _progress_table(on_progress_page.content.decode())
    assert "progress-records" in table and "(allocation table)" in table
    assert "not computed automatically" in table


def test_the_plan_page_reads_the_targets_and_the_allocation_once(client, records, commune_officer):
    client.force_login(commune_officer)
    url = reverse("programs:plan_detail", args=[records["plan"].pk])
    client.get(url)

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200

    sqls = [query["sql"] for query in context.captured_queries]
    assert sum('FROM "programs_target"' in sql for sql in sqls) == 1
    assert sum('FROM "programs_allocationrow"' in sql for sql in sqls) == 1
