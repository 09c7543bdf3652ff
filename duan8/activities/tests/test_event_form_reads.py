"""What the entry form reads, and that reading less changes nothing the user sees: the villages
come with the unit (those of the plan's year only), the groups are read by a POST only when it
chose one or shows the form again."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from duan8.activities.models import CommunityGroup, Event
from duan8.activities.selectors.events import activity_kinds, plan_activities_with_habit
from duan8.activities.services.events import plan_activities
from duan8.activities.tests.test_events import SESSIONS, activity, create_url, form_data, record
from duan8.orgunits.models import OrgUnit
from duan8.testing import _village

D = datetime.date


def select(html: str, name: str) -> str:
    found = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert found is not None, name
    return found.group(0)


def reads(queries: CaptureQueriesContext, table: str) -> int:
    return sum(q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"] for q in queries)


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def groups(villages, ba_kham_village):
    def group(unit: OrgUnit, name: str) -> CommunityGroup:
        return CommunityGroup.objects.create(
            kind="communication_team", name=name, org_unit=unit, founded_on=D(2023, 3, 1)
        )

    return {
        "Nước Đang": group(villages["Nước Đang"], "Tổ truyền thông Nước Đang"),
        "Làng Rêu": group(ba_kham_village, "Tổ truyền thông Làng Rêu"),
    }


def test_a_refused_entry_without_a_group_offers_the_groups_as_the_form_does(
    client, commune_officer, ba_trang, villages, ba_trang_plan, groups
):
    client.force_login(commune_officer)
    shown = client.get(create_url(ba_trang)).content.decode()

    refused = client.post(create_url(ba_trang), form_data(ba_trang_plan, ba_trang, title=""))

    assert refused.status_code == 200
    assert list(refused.context["form"].errors) == ["title"]
    assert select(refused.content.decode(), "group") == select(shown, "group")
    assert "Tổ truyền thông Nước Đang" in select(shown, "group")
    assert "Làng Rêu" not in shown
    assert not Event.objects.exists()


def test_a_group_chosen_is_saved_and_one_of_another_commune_refused(
    client, commune_officer, ba_trang, villages, ba_trang_plan, groups
):
    client.force_login(commune_officer)
    mine, other = groups["Nước Đang"], groups["Làng Rêu"]

    foreign = client.post(create_url(ba_trang), form_data(ba_trang_plan, ba_trang, group=other.pk))
    saved = client.post(create_url(ba_trang), form_data(ba_trang_plan, ba_trang, group=mine.pk))

    assert foreign.status_code == 200
    assert foreign.context["form"].errors == {"group": ["choose one of the groups listed."]}
    assert saved.status_code == 302
    assert Event.objects.get().group == mine


def test_an_entry_without_a_group_reads_the_units_once_and_no_group(
    client, commune_officer, ba_trang, villages, ba_trang_plan, groups
):
    client.force_login(commune_officer)

    with CaptureQueriesContext(connection) as queries:
        saved = client.post(create_url(ba_trang), form_data(ba_trang_plan, villages["Bùi Hui"]))

    assert saved.status_code == 302
    assert Event.objects.get().org_unit == villages["Bùi Hui"]
    assert reads(queries, "activities_communitygroup") == 0
    assert reads(queries, "orgunits_orgunit") == 1


def test_a_village_gone_before_the_plans_year_is_not_offered_nor_accepted(
    client, commune_officer, ba_trang, villages, ba_trang_plan
):
    gone = _village(ba_trang, "21520-09", "Cũ")
    OrgUnit.objects.filter(pk=gone.pk).update(valid_to=D(2022, 12, 31))
    client.force_login(commune_officer)

    html = client.get(create_url(ba_trang)).content.decode()
    refused = client.post(create_url(ba_trang), form_data(ba_trang_plan, gone))

    offered = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select(html, "org_unit"))
    assert offered == ["Xã Ba Trang", "Thôn Bùi Hui", "Thôn Kon Riêng", "Thôn Nước Đang"]
    assert list(refused.context["form"].errors) == ["org_unit"]
    assert not Event.objects.exists()


def test_a_village_heads_form_is_their_village_under_the_communes_plan(
    client, village_head, villages, ba_trang_plan
):
    nuoc_dang = villages["Nước Đang"]
    client.force_login(village_head)

    with CaptureQueriesContext(connection) as queries:
        html = client.get(create_url(nuoc_dang)).content.decode()
    units_read = reads(queries, "orgunits_orgunit")  # before the next request empties the log
    saved = client.post(create_url(nuoc_dang), form_data(ba_trang_plan, nuoc_dang))

    assert units_read == 1  # the village with its commune
    assert 'name="org_unit"' in html and "Thôn Nước Đang" in html
    assert "2023" in html
    assert saved.status_code == 302
    assert Event.objects.get().plan == ba_trang_plan


def test_the_form_of_another_communes_unit_is_not_found(
    client, other_commune_officer, ba_trang, villages, ba_trang_plan
):
    client.force_login(other_commune_officer)

    responses = [
        client.get(create_url(ba_trang)),
        client.get(create_url(villages["Bùi Hui"])),
        client.post(create_url(ba_trang), form_data(ba_trang_plan, villages["Bùi Hui"])),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert not Event.objects.exists()


def test_the_habit_read_with_the_activities_gives_the_kinds_the_own_query_gives(
    commune_officer, ba_trang_plan, villages, indicator_rules
):
    record(commune_officer, ba_trang_plan, villages["Bùi Hui"], kind="dialogue")

    with_habit = plan_activities_with_habit(actor=commune_officer, plan=ba_trang_plan)
    plain = plan_activities(ba_trang_plan)

    assert with_habit == plain
    kinds = activity_kinds(actor=commune_officer, activities=with_habit)
    assert kinds == activity_kinds(actor=commune_officer, activities=plain)
    assert kinds[activity(SESSIONS).pk] == "dialogue"


def test_an_edit_keeps_or_clears_the_group_and_a_refused_one_offers_the_groups(
    client, commune_officer, ba_trang, villages, ba_trang_plan, groups
):
    team = groups["Nước Đang"]
    event = record(commune_officer, ba_trang_plan, villages["Nước Đang"], group=team)
    client.force_login(commune_officer)
    url = reverse("activities:event_edit", kwargs={"pk": event.pk})
    shown = client.get(url).content.decode()
    data = form_data(ba_trang_plan, villages["Nước Đang"], version=event.version)

    refused = client.post(url, {**data, "title": "", "group": ""})
    kept = client.post(url, {**data, "title": "Sửa", "group": team.pk})
    event.refresh_from_db()
    kept_group = event.group
    cleared = client.post(url, {**data, "title": "Sửa lại", "group": "", "version": event.version})
    event.refresh_from_db()

    assert f'<option value="{team.pk}" selected>' in select(shown, "group")
    assert refused.status_code == 200 and list(refused.context["form"].errors) == ["title"]
    assert select(refused.content.decode(), "group") == select(shown, "group").replace(
        f'<option value="{team.pk}" selected>', f'<option value="{team.pk}">'
    ).replace('<option value="">', '<option value="" selected>')
    assert kept.status_code == 302 and kept_group == team
    assert cleared.status_code == 302 and event.group is None and event.title == "Sửa lại"
