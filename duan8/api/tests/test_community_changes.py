"""Changes to a community group over time over the API: a member leaving (``member_leave``, on the
member's version) and the group's statuses (``community_group_status_set``, and their history).
Access before the body (outsiders 404, readers 403, whatever the body), 400 keyed by field with
nothing saved, a retried POST acting once, and no member's name for a caller without
records.personal."""

import datetime

import pytest
from django.urls import reverse

from duan8.accounts.models import Role
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.models import CommunityGroup, CommunityGroupMember, CommunityGroupStatus
from duan8.core.models import AuditEvent
from duan8.testing import community_samples

KEY = {"Idempotency-Key": "k-changes-0001"}
OTHER_KEY = {"Idempotency-Key": "k-changes-0002"}


@pytest.fixture
def sample(ba_trang, villages, ethnic_groups):
    return community_samples(ba_trang, villages)


def leave_url(member: CommunityGroupMember, group: CommunityGroup | None = None) -> str:
    group_pk = (group or member.group).pk
    return reverse("api:community_member_leave", kwargs={"pk": group_pk, "member_pk": member.pk})


def status_url(group: CommunityGroup) -> str:
    return reverse("api:community_group_status", kwargs={"pk": group.pk})


def fields(response) -> set[str]:
    return {problem["field"] for problem in response.json()["errors"]}


def left_on(member: CommunityGroupMember) -> datetime.date | None:
    member.refresh_from_db()
    return member.left_on


# --- a member leaves ----------------------------------------------------------------------------


def test_the_commune_officer_records_a_member_leaving(api, commune_officer, sample):
    member = sample["member"]

    response = api(commune_officer).post(
        leave_url(member), {"left_on": "2024-03-01", "version": 1}, format="json", headers=KEY
    )

    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["id"], data["left_on"], data["version"]) == (member.pk, "2024-03-01", 2)
    assert response["ETag"] == '"2"'
    assert "Phạm Thị Bùi" not in response.content.decode()
    assert left_on(member) == datetime.date(2024, 3, 1)
    assert AuditEvent.objects.filter(action="activities.group.member_left").count() == 1


def test_the_version_may_come_in_if_match(api, commune_officer, sample):
    response = api(commune_officer).post(
        leave_url(sample["member"]),
        {"left_on": "2024-03-01"},
        format="json",
        headers={**KEY, "If-Match": '"1"'},
    )

    assert response.status_code == 200, response.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"left_on": "2023-01-01", "version": 1}, "left_on"),  # before the day joined
        ({"left_on": "01/03/2024", "version": 1}, "left_on"),  # not a date
        ({"version": 1}, "left_on"),
        ({"left_on": "2099-01-01", "version": 1}, "left_on"),  # in the future
    ],
)
def test_a_bad_leave_is_a_400_on_left_on_and_nothing_is_saved(
    api, commune_officer, sample, body, field
):
    response = api(commune_officer).post(
        leave_url(sample["member"]), body, format="json", headers=KEY
    )

    assert response.status_code == 400
    assert fields(response) == {field}
    assert left_on(sample["member"]) is None
    assert not AuditEvent.objects.filter(action="activities.group.member_left").exists()


def test_a_leave_without_a_version_is_428_and_a_stale_one_409(api, commune_officer, sample):
    client = api(commune_officer)
    member = sample["member"]

    missing = client.post(leave_url(member), {"left_on": "2024-03-01"}, format="json", headers=KEY)
    stale = client.post(
        leave_url(member), {"left_on": "2024-03-01", "version": 7}, format="json", headers=OTHER_KEY
    )

    assert (missing.status_code, stale.status_code) == (428, 409)
    assert left_on(member) is None


def test_a_member_who_left_cannot_leave_again(api, commune_officer, sample):
    member = sample["member"]
    member.left_on = datetime.date(2024, 1, 1)
    member.save()

    response = api(commune_officer, language="en").post(
        leave_url(member),
        {"left_on": "2024-03-01", "version": member.version},
        format="json",
        headers=KEY,
    )

    assert response.status_code == 400
    (problem,) = response.json()["errors"]
    assert (problem["field"], problem["code"]) == ("left_on", "left")
    assert "Phạm Thị Bùi" in problem["message"]  # the caller may read the members' names
    assert left_on(member) == datetime.date(2024, 1, 1)


def test_a_recorder_without_records_personal_is_not_told_the_members_name(api, sample, villages):
    recorder_role = Role.objects.create(
        code="recorder", name="Recorder", permissions=["records.view", "records.edit"]
    )
    recorder = UserFactory.create(username="recorder.buihui", full_name="Đinh Văn Ghi")
    membership(recorder, villages["Bùi Hui"], recorder_role.code)
    member = sample["member"]
    member.left_on = datetime.date(2024, 1, 1)
    member.save()

    response = api(recorder, language="en").post(
        leave_url(member),
        {"left_on": "2024-03-01", "version": member.version},
        format="json",
        headers=KEY,
    )

    assert response.status_code == 400
    (problem,) = response.json()["errors"]
    assert (problem["field"], problem["code"]) == ("left_on", "left")
    assert "Phạm Thị Bùi" not in response.content.decode()
    assert "01/01/2024" in problem["message"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("other_commune_officer", 404),
        ("village_head", 404),
        ("fatherland_front", 403),
        ("district_reviewer", 403),
        ("commune_leader", 403),
    ],
)
def test_outsiders_and_readers_cannot_make_a_member_leave(api, sample, persona, status, request):
    client = api(request.getfixturevalue(persona))
    member = sample["member"]

    valid = client.post(
        leave_url(member), {"left_on": "2024-03-01", "version": 1}, format="json", headers=KEY
    )
    invalid = client.post(leave_url(member), {"left_on": "x"}, format="json", headers=OTHER_KEY)

    assert (valid.status_code, invalid.status_code) == (status, status)
    assert left_on(member) is None
    assert "Phạm Thị Bùi" not in valid.content.decode()


def test_a_member_of_another_group_is_404(api, commune_officer, sample, villages):
    other = CommunityGroup.objects.create(
        kind=CommunityGroup.Kind.COMMUNICATION_TEAM,
        name="Tổ truyền thông thôn Nước Đang",
        org_unit=villages["Nước Đang"],
        founded_on=datetime.date(2023, 10, 2),
    )

    response = api(commune_officer).post(
        leave_url(sample["member"], group=other),
        {"left_on": "2024-03-01", "version": 1},
        format="json",
        headers=KEY,
    )

    assert response.status_code == 404
    assert left_on(sample["member"]) is None


def test_a_retried_leave_is_recorded_once(api, commune_officer, sample):
    client = api(commune_officer)
    body = {"left_on": "2024-03-01", "version": 1}

    answers = [
        client.post(leave_url(sample["member"]), body, format="json", headers=KEY)
        for _attempt in range(3)
    ]

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[2]["Idempotent-Replayed"] == "true"
    assert answers[2].json() == answers[0].json()
    assert AuditEvent.objects.filter(action="activities.group.member_left").count() == 1


# --- the group's statuses -----------------------------------------------------------------------


def test_the_commune_officer_records_a_status_and_reads_the_history(api, commune_officer, sample):
    client = api(commune_officer)
    group = sample["group"]

    response = client.post(
        status_url(group),
        {"status": "paused", "on": "2024-06-01", "note": "Mùa mưa"},
        format="json",
        headers=KEY,
    )

    assert response.status_code == 201, response.json()
    assert response["Location"] == status_url(group)
    assert (response.json()["status"], response.json()["on"]) == ("paused", "2024-06-01")
    assert AuditEvent.objects.filter(action="activities.group.status_set").count() == 1
    history = client.get(status_url(group)).json()
    assert history["current"] == "paused"
    assert [(s["status"], s["on"]) for s in history["statuses"]] == [
        ("founded", "2023-10-02"),
        ("paused", "2024-06-01"),
    ]


@pytest.mark.parametrize("reader", ["fatherland_front", "district_reviewer", "commune_leader"])
def test_readers_read_the_status_history(api, sample, reader, request):
    response = api(request.getfixturevalue(reader)).get(status_url(sample["group"]))

    assert response.status_code == 200
    assert response.json()["current"] == "founded"


def test_outsiders_do_not_see_the_status_history(api, other_commune_officer, sample):
    response = api(other_commune_officer).get(status_url(sample["group"]))

    assert response.status_code == 404


def test_the_status_history_is_read_in_a_fixed_number_of_queries(
    api, commune_officer, sample, django_assert_num_queries
):
    client = api(commune_officer)
    for day in range(1, 6):
        CommunityGroupStatus.objects.create(
            group=sample["group"], status="maintained", on=datetime.date(2024, 1, day)
        )

    with django_assert_num_queries(6):
        response = client.get(status_url(sample["group"]))

    assert len(response.json()["statuses"]) == 6


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "closed", "on": "2024-06-01"}, "status"),
        ({"status": "paused", "on": "2023-01-01"}, "on"),  # before the group was founded
        ({"status": "paused", "on": "2099-01-01"}, "on"),  # in the future
        ({"status": "paused"}, "on"),
        ({"status": "paused", "on": "2024-06-01", "note": "x" * 256}, "note"),
    ],
)
def test_a_bad_status_is_a_400_by_field_and_nothing_is_saved(
    api, commune_officer, sample, body, field
):
    response = api(commune_officer).post(
        status_url(sample["group"]), body, format="json", headers=KEY
    )

    assert response.status_code == 400
    assert fields(response) == {field}
    assert CommunityGroupStatus.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("other_commune_officer", 404),
        ("village_head", 404),
        ("fatherland_front", 403),
        ("district_reviewer", 403),
        ("commune_leader", 403),
    ],
)
def test_outsiders_and_readers_cannot_record_a_status(api, sample, persona, status, request):
    client = api(request.getfixturevalue(persona))
    group = sample["group"]

    valid = client.post(
        status_url(group), {"status": "paused", "on": "2024-06-01"}, format="json", headers=KEY
    )
    invalid = client.post(status_url(group), {"status": "x"}, format="json", headers=OTHER_KEY)

    assert (valid.status_code, invalid.status_code) == (status, status)
    assert CommunityGroupStatus.objects.count() == 1


def test_a_retried_status_is_recorded_once(api, commune_officer, sample):
    client = api(commune_officer)
    body = {"status": "maintained", "on": "2024-06-01"}

    for _attempt in range(3):
        response = client.post(status_url(sample["group"]), body, format="json", headers=KEY)
        assert response.status_code == 201

    assert CommunityGroupStatus.objects.filter(status="maintained").count() == 1
