"""The events endpoints: the list with counts (fixed queries per page), recording, reading,
changing and deleting one event through the pages' services, and the named participants."""

import datetime

import pytest
from django.urls import reverse

from duan8.activities.models import DataLock, Event, Participant
from duan8.activities.services.events import CountInput, EventInput, event_create
from duan8.core.models import AuditEvent
from duan8.programs.models import ProgramElement
from duan8.testing import event_samples

ACTIVITY = "1719.GD1.DA8.ND3.HD1.2"
LIST = reverse("api:event_list")


def detail(event) -> str:
    return reverse("api:event_detail", kwargs={"pk": event.pk})


def people_url(event) -> str:
    return reverse("api:event_participants", kwargs={"pk": event.pk})


def new_body(plan, unit, **changes):
    body = {
        "plan": plan.pk,
        "org_unit": unit.pk,
        "activity": ACTIVITY,
        "kind": "communication",
        "title": "Truyền thông xóa bỏ tảo hôn",
        "held_on": "2023-11-20",
        "place": "Nhà văn hóa thôn",
        "cost": 1500000,
        "counts": [
            {"sex": "F", "minority": True, "age_group": "adult", "count": 12},
            {"sex": "M", "minority": True, "age_group": "adult", "count": 3},
            {"sex": "F", "minority": True, "age_group": "child", "count": 4},
        ],
    }
    body.update(changes)
    return body


def post(client, body, key="k-events-0001"):
    return client.post(LIST, body, format="json", headers={"Idempotency-Key": key})


def session(plan, unit, actor, day=datetime.date(2023, 10, 5), women=10, title="Buổi truyền thông"):
    return event_create(
        actor=actor,
        data=EventInput(
            plan=plan,
            activity=ProgramElement.objects.get(code=ACTIVITY),
            kind="communication",
            title=title,
            held_on=day,
            org_unit=unit,
            counts=[CountInput("F", True, "adult", women), CountInput("M", False, "child", 2)],
        ),
    )


@pytest.fixture
def sample(ba_trang_plan, villages, commune_officer, ethnic_groups):
    return event_samples(ba_trang_plan, villages, commune_officer)


# --- the list ----------------------------------------------------------------------------------


def test_the_list_gives_the_events_with_their_counts(api, ba_trang_plan, villages, commune_officer):
    event = session(ba_trang_plan, villages["Bùi Hui"], commune_officer)

    response = api(commune_officer).get(LIST)

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == event.pk
    assert row["activity_code"] == ACTIVITY
    assert row["org_unit_name"] == "Thôn Bùi Hui"
    assert row["participants_total"] == 12 and row["women_total"] == 10
    assert {(c["sex"], c["minority"], c["age_group"], c["count"]) for c in row["counts"]} == {
        ("F", True, "adult", 10),
        ("M", False, "child", 2),
    }
    assert row["version"] == 1
    assert "full_name" not in response.content.decode()


def test_the_list_filters_by_plan_unit_activity_dates_and_time(
    api, ba_trang_plan, villages, commune_officer
):
    early = session(ba_trang_plan, villages["Bùi Hui"], commune_officer, datetime.date(2023, 3, 1))
    late = session(ba_trang_plan, villages["Kon Riêng"], commune_officer, datetime.date(2023, 9, 1))
    client = api(commune_officer)

    def ids(query: str) -> set[int]:
        response = client.get(f"{LIST}?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(f"plan={ba_trang_plan.pk}") == {early.pk, late.pk}
    assert ids(f"plan={ba_trang_plan.pk + 99}") == set()
    assert ids(f"org_unit={villages['Kon Riêng'].pk}") == {late.pk}
    assert ids(f"org_unit={ba_trang_plan.issuing_unit.pk}") == {early.pk, late.pk}
    assert ids("activity=1719.GD1.DA8.ND3") == {early.pk, late.pk}
    assert ids("activity=1719.GD1.DA8.ND1") == set()
    assert ids("held_from=2023-06-01") == {late.pk}
    assert ids("held_to=2023-06-01") == {early.pk}
    assert ids("updated_since=2999-01-01") == set()


def test_a_bad_filter_is_a_400_naming_it(api, commune_officer):
    response = api(commune_officer).get(f"{LIST}?held_from=1/3/2023")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "held_from"


def test_the_list_pages_with_a_cursor(api, ba_trang_plan, villages, commune_officer):
    made = {
        session(ba_trang_plan, villages["Bùi Hui"], commune_officer, title=f"S{i}").pk
        for i in range(5)
    }
    client = api(commune_officer)

    seen, url = [], f"{LIST}?page_size=2"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]

    assert sorted(seen) == sorted(made)


def test_the_queries_per_page_stay_fixed(
    api, ba_trang_plan, villages, commune_officer, django_assert_num_queries
):
    for i in range(12):
        session(ba_trang_plan, villages["Bùi Hui"], commune_officer, title=f"S{i}")
    client = api(commune_officer)
    client.get(LIST)  # the token's "last used" is written once a minute: not in what follows

    with django_assert_num_queries(QUERIES_PER_PAGE):
        small = client.get(f"{LIST}?page_size=2")
    with django_assert_num_queries(QUERIES_PER_PAGE):
        large = client.get(f"{LIST}?page_size=12")

    assert len(small.json()["results"]) == 2 and len(large.json()["results"]) == 12


# the token with its user, the memberships (visible units), the page, its counts, the audit entry
QUERIES_PER_PAGE = 5


def test_an_outsider_lists_nothing(
    api, ba_trang_plan, villages, commune_officer, other_commune_officer
):
    session(ba_trang_plan, villages["Bùi Hui"], commune_officer)

    response = api(other_commune_officer).get(LIST)

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_village_head_lists_only_the_village(
    api, ba_trang_plan, villages, commune_officer, village_head
):
    session(ba_trang_plan, villages["Bùi Hui"], commune_officer)
    own = session(ba_trang_plan, villages["Nước Đang"], commune_officer)

    rows = api(village_head).get(LIST).json()["results"]

    assert [row["id"] for row in rows] == [own.pk]


# --- recording -----------------------------------------------------------------------------------


def test_an_event_is_recorded_with_its_counts(api, ba_trang_plan, villages, commune_officer):
    response = post(api(commune_officer), new_body(ba_trang_plan, villages["Bùi Hui"]))

    assert response.status_code == 201, response.content
    event = Event.objects.get()
    assert response["Location"] == detail(event)
    assert response["ETag"] == '"1"'
    assert response.json()["participants_total"] == 19
    assert event.cost == 1500000 and event.recorded_by == commune_officer
    assert AuditEvent.objects.filter(action="activities.event.created").count() == 1


def test_an_event_is_recorded_with_a_named_list(
    api, ba_trang_plan, villages, commune_officer, ethnic_groups
):
    body = new_body(
        ba_trang_plan,
        villages["Bùi Hui"],
        kind="training",
        counts=[],
        participants=[
            {"full_name": "Đinh Thị Bùi", "sex": "F", "ethnic_group": "19", "birth_year": 1988},
            {"full_name": "Phạm Văn Hui", "sex": "M", "ethnic_group": "19", "birth_year": 2012},
        ],
    )

    response = post(api(commune_officer), body)

    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["has_participant_list"] is True
    assert {(c["sex"], c["age_group"], c["count"]) for c in answer["counts"]} == {
        ("F", "adult", 1),
        ("M", "child", 1),
    }
    assert "Đinh Thị Bùi" not in response.content.decode()
    assert Participant.objects.count() == 2


def test_a_bad_person_is_a_400_keyed_by_field_and_nothing_is_saved(
    api, ba_trang_plan, villages, commune_officer, ethnic_groups
):
    people = [
        {"full_name": "Đinh Thị Bùi", "sex": "F", "ethnic_group": "19"},
        {"full_name": "Phạm Văn Hui", "sex": "X", "ethnic_group": "19"},
    ]

    response = post(
        api(commune_officer), new_body(ba_trang_plan, villages["Bùi Hui"], participants=people)
    )

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["participants.1.sex"]
    assert not Event.objects.exists()


def test_the_services_problems_of_a_person_count_from_zero_too(
    api, ba_trang_plan, villages, commune_officer, ethnic_groups
):
    people = [
        {"full_name": "Đinh Thị Bùi", "sex": "F", "ethnic_group": "19", "birth_year": 1988},
        {"full_name": "Phạm Văn Hui", "sex": "M", "ethnic_group": "19", "birth_year": 2100},
        {"full_name": "Đinh Văn A", "sex": "M", "ethnic_group": "99"},
    ]
    client = api(commune_officer)

    unknown = post(
        client, new_body(ba_trang_plan, villages["Bùi Hui"], counts=[], participants=people)
    )
    people.pop()
    too_late = post(
        client, new_body(ba_trang_plan, villages["Bùi Hui"], counts=[], participants=people)
    )

    assert unknown.status_code == 400
    assert [e["field"] for e in unknown.json()["errors"]] == ["participants.2.ethnic_group"]
    assert too_late.status_code == 400
    assert [e["field"] for e in too_late.json()["errors"]] == ["participants.1.birth_year"]
    assert not Event.objects.exists()


def test_the_services_checks_are_400_by_field(api, ba_trang_plan, villages, commune_officer):
    client = api(commune_officer)

    future = post(client, new_body(ba_trang_plan, villages["Bùi Hui"], held_on="2024-01-03"))
    empty = post(client, new_body(ba_trang_plan, villages["Bùi Hui"], counts=[]), "k-events-0002")
    activity = post(
        client, new_body(ba_trang_plan, villages["Bùi Hui"], activity="9.9"), "k-events-0003"
    )

    assert future.status_code == 400 and future.json()["errors"][0]["field"] == "held_on"
    assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "participants"
    assert activity.status_code == 400 and activity.json()["errors"][0]["field"] == "activity"
    assert not Event.objects.exists()


def test_a_missing_field_is_named(api, ba_trang_plan, villages, commune_officer):
    body = new_body(ba_trang_plan, villages["Bùi Hui"])
    del body["title"]

    response = post(api(commune_officer, language="en"), body)

    assert response.status_code == 400
    (problem,) = response.json()["errors"]
    assert problem["field"] == "title" and problem["code"] == "required"
    assert response.json()["detail"] == "The data sent is not valid."


def test_an_identical_event_is_refused_unless_confirmed(
    api, ba_trang_plan, villages, commune_officer
):
    client = api(commune_officer, language="en")
    first = post(client, new_body(ba_trang_plan, villages["Bùi Hui"]), "k-events-0001")

    again = post(client, new_body(ba_trang_plan, villages["Bùi Hui"]), "k-events-0002")
    confirmed = post(
        client,
        new_body(ba_trang_plan, villages["Bùi Hui"], confirm_duplicate=True),
        "k-events-0003",
    )

    assert first.status_code == 201
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    assert again.json()["duplicate_of"] == first.json()["id"]
    assert "already recorded" in again.json()["detail"]
    assert confirmed.status_code == 201
    assert Event.objects.count() == 2


def test_an_outsider_cannot_record_in_ba_trang(
    api, ba_trang_plan, villages, other_commune_officer, village_head, commune_leader
):
    body = new_body(ba_trang_plan, villages["Bùi Hui"], title="")  # also invalid: not said

    other = post(api(other_commune_officer), body)
    head = post(api(village_head), body)
    leader = post(api(commune_leader), body)

    assert other.status_code == 404
    assert head.status_code == 404
    assert leader.status_code == 403
    assert not Event.objects.exists()


def test_a_village_head_records_in_the_village(api, ba_trang_plan, villages, village_head):
    response = post(api(village_head), new_body(ba_trang_plan, villages["Nước Đang"]))

    assert response.status_code == 201, response.content
    assert Event.objects.get().org_unit == villages["Nước Đang"]


def test_a_locked_period_is_refused_409_locked_as_the_pages_refuse_it(
    api, ba_trang_plan, villages, commune_officer
):
    DataLock.objects.create(
        org_unit=ba_trang_plan.issuing_unit,
        period_start=datetime.date(2023, 7, 1),
        period_end=datetime.date(2023, 12, 31),
        reason="Báo cáo 6 tháng cuối năm đã duyệt",
    )

    response = post(
        api(commune_officer, language="en"), new_body(ba_trang_plan, villages["Bùi Hui"])
    )

    assert response.status_code == 409
    assert response.json()["code"] == "locked"
    (problem,) = response.json()["errors"]
    assert (problem["field"], problem["code"]) == ("held_on", "locked")
    assert "is locked" in response.json()["detail"]
    assert not Event.objects.exists()


# --- one event -----------------------------------------------------------------------------------


def test_the_detail_has_its_etag_and_no_names(api, sample, commune_officer):
    event = sample["event"]

    response = api(commune_officer).get(detail(event))

    assert response.status_code == 200
    assert response["ETag"] == f'"{event.version}"'
    assert response.json()["has_participant_list"] is True
    assert response.json()["participants_total"] == 2
    assert "Đinh Thị Bùi" not in response.content.decode()


def test_an_outsider_gets_404(api, sample, other_commune_officer, village_head):
    for user in (other_commune_officer, village_head):
        assert api(user).get(detail(sample["event"])).status_code == 404


def test_a_change_is_saved_with_the_version(api, ba_trang_plan, villages, commune_officer):
    event = session(ba_trang_plan, villages["Bùi Hui"], commune_officer)

    response = api(commune_officer).patch(
        detail(event),
        {"title": "Truyền thông (sửa)", "cost": 200000},
        format="json",
        headers={"If-Match": '"1"'},
    )

    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    event.refresh_from_db()
    assert (event.title, event.cost, event.version) == ("Truyền thông (sửa)", 200000, 2)
    assert event.counts.count() == 2  # the counts left as they were


def test_a_change_of_counts_replaces_them(api, ba_trang_plan, villages, commune_officer):
    event = session(ba_trang_plan, villages["Bùi Hui"], commune_officer)
    counts = [{"sex": "M", "minority": False, "age_group": "adult", "count": 7}]

    response = api(commune_officer).patch(
        detail(event), {"counts": counts, "version": 1}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["participants_total"] == 7


def test_a_change_of_an_event_with_a_list_keeps_the_list(api, sample, commune_officer):
    event = sample["event"]

    response = api(commune_officer).patch(
        detail(event),
        {"held_on": "2023-10-13", "version": event.version},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert Participant.objects.filter(event=event).count() == 2
    assert response.json()["participants_total"] == 2


def test_a_stale_version_is_409_with_who_changed_it(api, ba_trang_plan, villages, commune_officer):
    event = session(ba_trang_plan, villages["Bùi Hui"], commune_officer)
    client = api(commune_officer, language="en")
    client.patch(detail(event), {"title": "Lần 1"}, format="json", headers={"If-Match": '"1"'})

    response = client.patch(
        detail(event), {"title": "Lần 2"}, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "hlhpn.batrang" in response.json()["detail"]
    assert "changed by" in response.json()["detail"]
    event.refresh_from_db()
    assert (event.title, event.version) == ("Lần 1", 2)


def test_a_change_without_version_is_428(api, ba_trang_plan, villages, commune_officer):
    event = session(ba_trang_plan, villages["Bùi Hui"], commune_officer)

    response = api(commune_officer).patch(detail(event), {"title": "X"}, format="json")

    assert response.status_code == 428


def test_a_bad_change_is_400_and_changes_nothing(api, ba_trang_plan, villages, commune_officer):
    event = session(ba_trang_plan, villages["Bùi Hui"], commune_officer)

    response = api(commune_officer).patch(
        detail(event), {"title": "", "kind": "picnic", "version": 1}, format="json"
    )

    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"title", "kind"}
    event.refresh_from_db()
    assert (event.title, event.version) == ("Buổi truyền thông", 1)


def test_outsiders_cannot_change_or_delete(
    api, sample, other_commune_officer, village_head, fatherland_front
):
    event = sample["event"]
    bad = {"title": "", "version": event.version}  # invalid too: the refusal comes first

    for user, expected in (
        (other_commune_officer, 404),
        (village_head, 404),
        (fatherland_front, 403),
    ):
        client = api(user)
        assert client.patch(detail(event), bad, format="json").status_code == expected
        deleted = client.delete(detail(event), headers={"If-Match": f'"{event.version}"'})
        assert deleted.status_code == expected

    event.refresh_from_db()
    assert event.title == "Đối thoại chính sách thôn Bùi Hui"


def test_a_change_or_delete_in_a_locked_period_is_409_locked(
    api, ba_trang_plan, villages, commune_officer
):
    event = session(ba_trang_plan, villages["Bùi Hui"], commune_officer)
    DataLock.objects.create(
        org_unit=villages["Bùi Hui"],
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 12, 31),
        reason="Báo cáo năm",
    )
    client = api(commune_officer)

    changed = client.patch(detail(event), {"title": "X", "version": 1}, format="json")
    deleted = client.delete(detail(event), headers={"If-Match": '"1"'})

    assert changed.status_code == 409 and changed.json()["code"] == "locked"
    assert deleted.status_code == 409 and deleted.json()["code"] == "locked"
    assert deleted.json()["errors"][0]["field"] == "__all__"
    event.refresh_from_db()
    assert (event.title, event.version) == ("Buổi truyền thông", 1)


def test_an_event_is_deleted_with_its_version(api, sample, commune_officer):
    event = sample["event"]
    client = api(commune_officer)

    stale = client.delete(detail(event), headers={"If-Match": f'"{event.version + 5}"'})
    missing = client.delete(detail(event))
    deleted = client.delete(detail(event), headers={"If-Match": f'"{event.version}"'})

    assert stale.status_code == 409
    assert missing.status_code == 428
    assert deleted.status_code == 204
    assert not Event.objects.filter(pk=event.pk).exists()
    assert not Participant.objects.exists()
    assert AuditEvent.objects.filter(action="activities.event.deleted").count() == 1


# --- the named participants --------------------------------------------------------------------


def test_the_names_are_given_to_a_holder_of_personal_data_and_audited(api, sample, commune_officer):
    response = api(commune_officer).get(people_url(sample["event"]))

    assert response.status_code == 200
    names = [p["full_name"] for p in response.json()["results"]]
    assert names == ["Đinh Thị Bùi", "Phạm Văn Hui"]
    assert response.json()["results"][0]["ethnic_group"] == "19"
    assert AuditEvent.objects.filter(action="activities.personal.viewed").count() == 1


def test_those_who_must_not_see_names_get_403_or_404(
    api, sample, fatherland_front, commune_leader, other_commune_officer, village_head
):
    url = people_url(sample["event"])

    front = api(fatherland_front, language="en").get(url)
    answers = {
        "leader": api(commune_leader).get(url).status_code,
        "other": api(other_commune_officer).get(url).status_code,
        "head": api(village_head).get(url).status_code,
    }

    assert front.status_code == 403
    assert "personal data" in front.json()["detail"]
    assert "Đinh Thị Bùi" not in front.content.decode()
    assert answers == {"leader": 403, "other": 404, "head": 404}
    assert not AuditEvent.objects.filter(action="activities.personal.viewed").exists()
