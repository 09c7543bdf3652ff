"""Audit pages: who reads which events, the filters, the plan and unit histories."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.core import audit
from duan8.core.models import AuditEvent
from duan8.programs.models import Plan

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
AUDIT_LIST = reverse("trail:audit_list")


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


def event(actor, unit, action="programs.plan.changed", *, when=None, target=None, **kwargs):
    if when is None:
        return audit.record(actor=actor, action=action, org_unit=unit, target=target, **kwargs)
    with time_machine.travel(when, tick=False):
        return audit.record(actor=actor, action=action, org_unit=unit, target=target, **kwargs)


def rows(response, *, logins: bool = False) -> list[AuditEvent]:
    """The events shown; without the sign-ins that ``client.force_login`` records."""
    return [
        r.event for r in response.context["rows"] if logins or r.event.action != "accounts.login"
    ]


# The audit list


def test_a_leader_reads_the_events_of_their_commune_and_villages_only(
    client, commune_leader, commune_officer, ba_trang, villages, ba_kham
):
    mine = event(commune_officer, ba_trang, before={"title": "Cũ"}, after={"title": "Mới"})
    village = event(commune_officer, villages["Nước Đang"], "orgunits.village.created")
    elsewhere = event(commune_officer, ba_kham, "orgunits.village.created")
    someone_login = event(commune_officer, None, "accounts.login")
    client.force_login(commune_leader)  # recorded: their own sign-in, with no unit
    own_login = AuditEvent.objects.get(action="accounts.login", actor=commune_leader)

    response = client.get(AUDIT_LIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert set(rows(response, logins=True)) == {mine, village, own_login}
    assert elsewhere not in rows(response) and someone_login not in rows(response)
    assert "Plan changed" in html and "Village created" in html  # readable labels
    assert "Cũ" in html and "Mới" in html  # the before → after diff
    assert "Xã Ba Khâm" not in html


def test_a_user_without_audit_view_is_refused_the_trail(client, commune_officer, ba_trang):
    event(commune_officer, ba_trang, message="Kế hoạch 87/KH-UBND")
    event(commune_officer, None, "accounts.login")
    client.force_login(commune_officer)

    response = client.get(AUDIT_LIST)

    assert response.status_code == 403
    assert "You have no right to read the audit trail." in response.content.decode()
    assert "87/KH-UBND" not in response.content.decode()


def test_another_communes_leader_must_not_see_ba_trang_events(client, ba_kham, ba_trang):
    leader = UserFactory(username="ct.bakham")
    membership(leader, ba_kham, "commune_leader")
    event(leader, ba_trang, target=None, message="Kế hoạch 87/KH-UBND")
    client.force_login(leader)

    response = client.get(AUDIT_LIST)

    assert response.status_code == 200  # the trail, empty: not a refusal
    assert rows(response) == []
    assert "87/KH-UBND" not in response.content.decode()


def test_a_superuser_reads_every_event(client, ba_trang, commune_officer):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    events = {event(commune_officer, ba_trang), event(commune_officer, None, "access.denied")}
    client.force_login(admin)

    assert set(rows(client.get(AUDIT_LIST))) == events


def test_filters_by_user_unit_dates_and_kind(
    client, commune_leader, commune_officer, villages, ba_trang_plan
):
    ba_trang = ba_trang_plan.issuing_unit
    old = event(commune_officer, ba_trang, when=datetime.datetime(2023, 9, 25, 23, 30, tzinfo=HCM))
    on_plan = event(
        commune_officer,
        ba_trang,
        target=ba_trang_plan,
        when=datetime.datetime(2023, 9, 26, 0, 30, tzinfo=HCM),
    )
    village = event(
        commune_leader,
        villages["Nước Đang"],
        "orgunits.village.created",
        target=villages["Nước Đang"],
        when=datetime.datetime(2023, 10, 1, 8, 0, tzinfo=HCM),
    )
    client.force_login(commune_leader)

    def found(**params):
        return set(rows(client.get(AUDIT_LIST, params)))

    assert found(user="Hoa") == {old, on_plan}  # the officer's full name, Đinh Thị Hoa
    assert found(user="hlhpn.batrang") == {old, on_plan}
    assert found(unit="Nước") == {village}
    assert found(unit="21520-03") == {village}
    assert found(date_from="26/09/2023") == {on_plan, village}
    assert found(date_from="26/09/2023", date_to="26/09/2023") == {on_plan}
    assert found(date_to="25/09/2023") == {old}
    assert found(kind="programs.plan") == {on_plan}
    assert found(kind="orgunits.orgunit") == {village}


def test_a_malformed_date_is_shown_as_an_error_and_ignored(client, commune_leader, ba_trang):
    shown = event(commune_leader, ba_trang)
    client.force_login(commune_leader)

    response = client.get(AUDIT_LIST, {"date_from": "2023-31-31", "kind": "no.such_kind"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a date as dd/mm/yyyy" in html
    assert rows(response) == [shown]


def test_the_end_date_before_the_start_date_is_refused(client, commune_leader, ba_trang):
    event(commune_leader, ba_trang)
    client.force_login(commune_leader)

    response = client.get(AUDIT_LIST, {"date_from": "02/01/2024", "date_to": "01/01/2024"})

    assert "The end date is before the start date." in response.content.decode()
    assert len(rows(response)) == 1


def test_the_audit_list_runs_a_fixed_number_of_queries(
    client, commune_leader, commune_officer, ba_trang, villages, django_assert_num_queries
):
    client.force_login(commune_leader)
    for _ in range(5):
        event(commune_officer, villages["Nước Đang"], before={"a": 1}, after={"a": 2})
    with CaptureQueriesContext(connection) as first:
        client.get(AUDIT_LIST)
    for _ in range(35):
        event(commune_officer, ba_trang, before={"a": 1}, after={"a": 2})

    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(AUDIT_LIST)

    assert len(rows(response)) == 40


def test_reading_a_trail_without_personal_data_is_not_audited_and_it_cannot_be_changed(
    client, commune_leader, ba_trang
):
    event(commune_leader, ba_trang)
    client.force_login(commune_leader)
    count = AuditEvent.objects.count()

    client.get(AUDIT_LIST)
    posted = client.post(AUDIT_LIST, {"id": "1"})

    assert posted.status_code == 405
    assert AuditEvent.objects.count() == count


def test_the_header_links_to_the_audit_trail_only_for_holders_of_audit_view(
    client, commune_leader, commune_officer
):
    client.force_login(commune_leader)
    assert AUDIT_LIST in client.get(reverse("home")).content.decode()

    client.force_login(commune_officer)
    home = client.get(reverse("home"))
    assert home.status_code == 200 and reverse("logout") in home.content.decode()  # the header
    assert AUDIT_LIST not in home.content.decode()


# Plan history


@pytest.fixture
def commune_accountant(ba_trang):
    user = UserFactory(username="kt.batrang")
    membership(user, ba_trang, "commune_accountant")
    return user


def plan_history_url(plan: Plan) -> str:
    return reverse("trail:plan_history", kwargs={"pk": plan.pk})


def test_the_plan_page_links_to_its_history_for_readers_of_the_audit_and_its_editors_only(
    client, commune_leader, commune_officer, commune_accountant, ba_trang_plan
):
    url = reverse("programs:plan_detail", kwargs={"pk": ba_trang_plan.pk})

    client.force_login(commune_leader)
    leader = client.get(url).content.decode()
    client.force_login(commune_officer)
    officer = client.get(url).content.decode()
    client.force_login(commune_accountant)
    shown = client.get(url)
    accountant = shown.content.decode()

    assert shown.status_code == 200 and "87/KH-UBND" in accountant  # the accountant reads the plan
    assert plan_history_url(ba_trang_plan) in leader
    assert plan_history_url(ba_trang_plan) in officer
    assert plan_history_url(ba_trang_plan) not in accountant


def test_a_holder_of_audit_view_reads_the_plan_history(
    client, commune_leader, commune_officer, ba_trang_plan
):
    changed = event(
        commune_officer,
        ba_trang_plan.issuing_unit,
        "programs.allocation.changed",
        target=ba_trang_plan,
        before={"Nước Đang / Tổ truyền thông": "1"},
        after={"Nước Đang / Tổ truyền thông": "2"},
    )
    event(commune_officer, ba_trang_plan.issuing_unit, "orgunits.village.created")
    client.force_login(commune_leader)

    response = client.get(plan_history_url(ba_trang_plan))

    html = response.content.decode()
    assert response.status_code == 200
    assert rows(response) == [changed]
    assert "Allocation changed" in html and "Đinh Thị Hoa" in html


def test_who_sees_the_plan_without_audit_view_or_plans_edit_must_not_read_its_history(
    client, commune_officer, commune_accountant, ba_trang_plan
):
    event(commune_officer, ba_trang_plan.issuing_unit, target=ba_trang_plan, message="Sửa số")
    client.force_login(commune_accountant)  # reads the plan; holds neither right

    response = client.get(plan_history_url(ba_trang_plan))

    assert response.status_code == 403
    assert "Sửa số" not in response.content.decode()


def test_who_edits_the_plan_reads_who_else_changed_it(client, commune_officer, ba_trang_plan):
    event(commune_officer, ba_trang_plan.issuing_unit, target=ba_trang_plan, message="Sửa số")
    client.force_login(commune_officer)  # edits the plan; holds no audit.view

    response = client.get(plan_history_url(ba_trang_plan))

    assert response.status_code == 200
    assert "Sửa số" in response.content.decode()


def test_another_communes_officer_must_not_see_the_plan_history(
    client, other_commune_officer, commune_officer, ba_trang_plan
):
    event(commune_officer, ba_trang_plan.issuing_unit, target=ba_trang_plan)
    client.force_login(other_commune_officer)

    response = client.get(plan_history_url(ba_trang_plan))

    assert response.status_code == 404
    assert "87/KH-UBND" not in response.content.decode()


def test_the_plan_history_of_a_missing_plan_is_404(client, commune_officer):
    client.force_login(commune_officer)

    assert client.get(reverse("trail:plan_history", kwargs={"pk": 999999})).status_code == 404


def test_the_plan_history_runs_a_fixed_number_of_queries(
    client, commune_leader, commune_officer, ba_trang_plan, django_assert_num_queries
):
    client.force_login(commune_leader)
    event(commune_officer, ba_trang_plan.issuing_unit, target=ba_trang_plan)
    with CaptureQueriesContext(connection) as first:
        client.get(plan_history_url(ba_trang_plan))
    for _ in range(20):
        event(commune_officer, ba_trang_plan.issuing_unit, target=ba_trang_plan)

    with django_assert_num_queries(len(first.captured_queries)):
        client.get(plan_history_url(ba_trang_plan))


# Unit history


def test_the_unit_history_lists_the_units_events(
    client, commune_leader, commune_officer, ba_trang, villages
):
    nuoc_dang = villages["Nước Đang"]
    here = event(commune_officer, nuoc_dang, "orgunits.attribute.created")
    event(commune_officer, ba_trang, "orgunits.village.created")
    client.force_login(commune_leader)

    response = client.get(reverse("trail:unit_history", kwargs={"pk": nuoc_dang.pk}))

    assert response.status_code == 200
    assert rows(response) == [here]
    assert "Unit attribute set" in response.content.decode()


def test_a_village_head_must_not_see_another_villages_history(
    client, village_head, commune_officer, villages
):
    event(commune_officer, villages["Bùi Hui"], "orgunits.attribute.created")
    client.force_login(village_head)

    response = client.get(reverse("trail:unit_history", kwargs={"pk": villages["Bùi Hui"].pk}))

    assert response.status_code == 404
    assert "Bùi Hui" not in response.content.decode()


def test_the_unit_history_asks_audit_view_not_plans_view(
    client, village_head, commune_officer, villages
):
    nuoc_dang = villages["Nước Đang"]
    event(commune_officer, nuoc_dang, "orgunits.attribute.created", message="Thôn khó khăn")
    client.force_login(village_head)  # sees the village and its plans; holds no audit.view

    response = client.get(reverse("trail:unit_history", kwargs={"pk": nuoc_dang.pk}))
    page = client.get(reverse("orgunits:unit_detail", kwargs={"pk": nuoc_dang.pk}))

    assert response.status_code == 403
    assert "Thôn khó khăn" not in response.content.decode()
    assert reverse("trail:unit_history", kwargs={"pk": nuoc_dang.pk}) not in page.content.decode()
