"""Personal data in the audit trail (issue 10, point 1): names, ethnicity and years of birth only
for holders of ``records.personal``, masked for every other reader; users' addresses only for
system administrators; the reads of those who see personal data are themselves audited."""

import datetime

import pytest
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.services.cadres import CadreInput, woman_cadre_save
from duan8.activities.services.groups import GroupInput, community_group_create
from duan8.activities.services.members import MemberInput, members_add
from duan8.core import audit
from duan8.core.audit import MASK
from duan8.core.models import AuditEvent

D = datetime.date
AUDIT_LIST = reverse("trail:audit_list")
NAME = "Hồ Thị Quýt"  # planted; appears nowhere else
BIRTH_YEAR = 1961
VIEWED = "audit.personal.viewed"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def cadre(commune_officer, villages, ethnic_groups):
    """A woman cadre of thôn Nước Đang, recorded through the service (audited with a snapshot)."""
    return woman_cadre_save(
        actor=commune_officer,
        data=CadreInput(
            org_unit=villages["Nước Đang"],
            full_name=NAME,
            ethnic_group=ethnic_groups["19"],
            position="Chi hội trưởng phụ nữ thôn",
            status="planned",
            since=D(2023, 5, 1),
            birth_year=BIRTH_YEAR,
        ),
    )


@pytest.fixture
def system_admin(quang_ngai):
    user = UserFactory(username="qtht.quangngai", full_name="Lê Quản Trị")
    membership(user, quang_ngai, "system_admin")
    return user


def unit_history(unit) -> str:
    return reverse("trail:unit_history", kwargs={"pk": unit.pk})


def entry(response, action: str):
    return next(r for r in response.context["rows"] if r.event.action == action)


def test_a_leader_reads_the_cadre_entry_with_her_name_year_and_ethnicity_masked(
    client, commune_leader, cadre, villages
):
    client.force_login(commune_leader)  # audit.view on Ba Trang, no records.personal

    for url in (AUDIT_LIST, unit_history(villages["Nước Đang"])):
        response = client.get(url)

        html = response.content.decode()
        assert response.status_code == 200, url
        assert NAME not in html and str(BIRTH_YEAR) not in html, url
        row = entry(response, "activities.cadre.created")
        assert row.title == MASK
        changes = {c.field: c.after for c in row.changes}
        assert changes["full_name"] == changes["ethnic_group"] == changes["birth_year"] == MASK
        assert changes["org_unit"] == str(villages["Nước Đang"].pk)  # not personal: readable


def test_names_in_a_groups_snapshot_are_masked_for_the_fatherland_front(
    client, commune_officer, fatherland_front, ba_trang, ethnic_groups
):
    group = community_group_create(
        actor=commune_officer,
        data=GroupInput(
            kind="communication_team",
            name="Tổ truyền thông xã Ba Trang",
            org_unit=ba_trang,
            founded_on=D(2023, 9, 1),
        ),
    )
    members_add(
        actor=commune_officer,
        group=group,
        members=[MemberInput(NAME, "F", ethnic_groups["19"], D(2023, 9, 1), BIRTH_YEAR)],
    )
    client.force_login(fatherland_front)

    response = client.get(AUDIT_LIST)

    html = response.content.decode()
    assert NAME not in html
    assert "Tổ truyền thông xã Ba Trang" in html  # the group's own name is not personal
    changes = {c.field: c.after for c in entry(response, "activities.group.members_added").changes}
    assert changes["members"] == MASK and changes["count"] == "1"


@pytest.mark.parametrize(
    ("action", "after"),
    [
        # as the demo wrote it: a member leaving, named in the snapshot
        ("activities.group.member_left", {"member": NAME, "left_on": "2024-01-05"}),
        # a request to unlock a cadre's record names her
        ("activities.data.unlock_requested", {"record": NAME, "period_end": "2024-01-05"}),
    ],
)
def test_rows_recorded_before_the_declaration_are_masked_as_well(
    client, commune_officer, commune_leader, ba_trang, action, after
):
    audit.record(actor=commune_officer, action=action, org_unit=ba_trang, after=after)
    client.force_login(commune_leader)

    response = client.get(AUDIT_LIST)

    assert NAME not in response.content.decode()
    assert "2024-01-05" in response.content.decode()


def test_the_system_administrator_reads_the_names_and_that_read_is_audited(
    client, system_admin, cadre, villages
):
    client.force_login(system_admin)  # audit.view and records.personal

    response = client.get(unit_history(villages["Nước Đang"]))

    assert NAME in response.content.decode()
    assert entry(response, "activities.cadre.created").title == NAME
    viewed = AuditEvent.objects.get(action=VIEWED)
    assert viewed.actor == system_admin
    assert viewed.org_unit == villages["Nước Đang"]
    assert viewed.after == {"list": "audit", "count": 1}


def test_a_masked_read_is_not_recorded_as_a_read_of_personal_data(client, commune_leader, cadre):
    client.force_login(commune_leader)

    response = client.get(AUDIT_LIST)

    assert response.status_code == 200
    assert entry(response, "activities.cadre.created").title == MASK  # read, masked
    assert not AuditEvent.objects.filter(action=VIEWED).exists()


# --- addresses ---------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["commune_leader", "fatherland_front", "district_reviewer"])
def test_leaders_the_front_and_reviewers_must_not_see_users_addresses(
    client, request, commune_officer, ba_trang, reader
):
    request.getfixturevalue("fatherland_front")
    audit._request_meta.set(("203.0.113.77", "Firefox"))
    try:
        audit.record(actor=commune_officer, action="programs.plan.changed", org_unit=ba_trang)
    finally:
        audit._request_meta.set((None, ""))
    client.force_login(request.getfixturevalue(reader))

    response = client.get(AUDIT_LIST)

    assert response.status_code == 200
    assert any(r.event.action == "programs.plan.changed" for r in response.context["rows"])
    assert "203.0.113.77" not in response.content.decode()


def test_the_system_administrator_sees_users_addresses(
    client, system_admin, commune_officer, ba_trang
):
    audit._request_meta.set(("203.0.113.77", "Firefox"))
    try:
        audit.record(actor=commune_officer, action="programs.plan.changed", org_unit=ba_trang)
    finally:
        audit._request_meta.set((None, ""))
    client.force_login(system_admin)

    response = client.get(AUDIT_LIST)

    assert "203.0.113.77" in response.content.decode()


# --- who reads the trail at all ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["commune_accountant", "commune_health_station"])
def test_roles_without_audit_view_must_not_read_any_audit_page(
    client, cadre, ba_trang, villages, ba_trang_plan, role
):
    user = UserFactory(username=f"x.{role}")
    membership(user, ba_trang, role)
    client.force_login(user)

    for url in (
        AUDIT_LIST,
        unit_history(ba_trang),
        unit_history(villages["Nước Đang"]),
        reverse("trail:plan_history", kwargs={"pk": ba_trang_plan.pk}),
    ):
        response = client.get(url)

        assert response.status_code == 403, url
        assert NAME not in response.content.decode()


# --- the reason of an unlock (point 15) --------------------------------------------------------


def test_the_reason_of_an_unlock_shows_in_the_trail(
    client, commune_leader, district_reviewer, ba_trang
):
    from duan8.activities.services.locks import data_lock, data_unlock

    lock = data_lock(
        actor=district_reviewer,
        org_unit=ba_trang,
        period_start=D(2023, 1, 1),
        period_end=D(2023, 12, 15),
        reason="Báo cáo năm 2023 đã duyệt",
    )
    data_unlock(actor=district_reviewer, lock=lock, reason="Sửa số buổi truyền thông tháng 11")
    client.force_login(commune_leader)

    response = client.get(AUDIT_LIST)

    html = response.content.decode()
    assert "Data unlocked" in html
    assert "Sửa số buổi truyền thông tháng 11" in html


def test_every_model_holding_persons_declares_what_of_it_is_personal():
    from django.apps import apps

    undeclared = [
        model._meta.label_lower
        for model in apps.get_models()
        if {f.name for f in model._meta.concrete_fields} & audit.PERSONAL_KEYS
        and not model._meta.label_lower.startswith(audit.STAFF_APPS)
        and model._meta.label_lower not in audit.PERSONAL_BY_KIND
    ]

    assert undeclared == [], "add them to core.audit.PERSONAL_BY_KIND"
