"""The community endpoints: groups and their members, women cadres, difficulties. Lists filtered to
the caller's units with a fixed number of queries per page; writes through the pages' services,
checked for access before the body; names of persons only for holders of records.personal, each
read audited; idempotent POSTs; versions on every change."""

import datetime

import pytest
from django.urls import reverse

from duan8.activities.models import CommunityGroup, CommunityGroupMember, Difficulty, WomanCadre
from duan8.activities.selectors.community import PERSONAL_VIEWED
from duan8.core.models import AuditEvent
from duan8.testing import community_samples

GROUPS = reverse("api:community_group_list")
CADRES = reverse("api:woman_cadre_list")
DIFFICULTIES = reverse("api:difficulty_list")
KEY = {"Idempotency-Key": "k-community-0001"}


def url(name: str, record) -> str:
    return reverse(f"api:{name}", kwargs={"pk": record.pk})


def fields(response) -> set[str]:
    return {problem["field"] for problem in response.json()["errors"]}


def personal_reads() -> int:
    return AuditEvent.objects.filter(action=PERSONAL_VIEWED).count()


@pytest.fixture
def sample(ba_trang, villages, ethnic_groups):
    return community_samples(ba_trang, villages)


@pytest.fixture
def bui_hui(villages):
    return villages["Bùi Hui"]


def group_body(unit, **changes):
    body = {
        "kind": "change_club",
        "name": "CLB Thủ lĩnh của sự thay đổi thôn Bùi Hui",
        "org_unit": unit.pk,
        "founded_on": "2023-11-15",
        "channel": "zalo",
        "channel_address": "CLB TLSTĐ Bùi Hui",
        "equipment": "01 loa kéo\n01 bảng",
    }
    body.update(changes)
    return body


def cadre_body(unit, **changes):
    body = {
        "org_unit": unit.pk,
        "full_name": "Đinh Thị Mai",
        "ethnic_group": "19",
        "birth_year": 1992,
        "position": "Chi hội phó phụ nữ thôn Bùi Hui",
        "status": "planned",
        "since": "2023-06-01",
    }
    body.update(changes)
    return body


def difficulty_body(unit, **changes):
    body = {
        "org_unit": unit.pk,
        "raised_by": "Thôn Bùi Hui",
        "raised_on": "2023-11-20",
        "description": "Thôn chưa có tài liệu tiếng Hrê",
    }
    body.update(changes)
    return body


def member(**changes):
    person = {
        "full_name": "Đinh Thị Lan",
        "sex": "F",
        "ethnic_group": "19",
        "birth_year": 1990,
        "role": "member",
        "joined_on": "2023-11-15",
    }
    person.update(changes)
    return person


# --- community groups: the list -----------------------------------------------------------------


def test_the_group_list_gives_the_callers_groups_with_status_and_members(
    api, commune_officer, sample
):
    response = api(commune_officer).get(GROUPS)

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == sample["group"].pk
    assert row["kind"] == "communication_team"
    assert row["status"] == "founded"
    assert (row["members"], row["men"]) == (1, 0)
    assert "full_name" not in row


def test_the_group_list_filters_by_unit_kind_and_change(api, commune_officer, sample, villages):
    client = api(commune_officer)
    other = {"org_unit": villages["Nước Đang"].pk}

    assert len(client.get(GROUPS, {"org_unit": sample["group"].org_unit_id}).json()["results"]) == 1
    assert client.get(GROUPS, other).json()["results"] == []
    assert client.get(GROUPS, {"kind": "cooperative"}).json()["results"] == []
    assert client.get(GROUPS, {"updated_since": "2999-01-01"}).json()["results"] == []
    assert client.get(GROUPS, {"on": "2023-10-01"}).json()["results"] == []  # founded 2/10


def test_a_bad_kind_is_a_400_naming_it(api, commune_officer, sample):
    response = api(commune_officer).get(GROUPS, {"kind": "choir"})

    assert response.status_code == 400
    assert fields(response) == {"kind"}


@pytest.mark.parametrize("outsider", ["other_commune_officer", "village_head"])
def test_outsiders_list_no_group(api, sample, outsider, request):
    user = request.getfixturevalue(outsider)

    response = api(user).get(GROUPS, {"org_unit": sample["group"].org_unit_id})

    assert response.status_code == 200
    assert response.json()["results"] == []
    assert "Bùi Hui" not in response.content.decode()


def test_the_group_list_takes_the_same_queries_for_one_group_or_many(
    api, commune_officer, sample, bui_hui, django_assert_num_queries
):
    client = api(commune_officer)
    client.get(GROUPS)  # the token's first use
    with django_assert_num_queries(GROUP_LIST_QUERIES):
        assert len(client.get(GROUPS).json()["results"]) == 1
    for number in range(4):
        CommunityGroup.objects.create(
            kind="trusted_address",
            name=f"Địa chỉ tin cậy {number}",
            org_unit=bui_hui,
            founded_on=datetime.date(2023, 10, 2),
        )

    with django_assert_num_queries(GROUP_LIST_QUERIES):
        assert len(client.get(GROUPS).json()["results"]) == 5


GROUP_LIST_QUERIES = 4  # token, memberships, the page, the token use audited


# --- community groups: founding one -------------------------------------------------------------


def test_the_commune_officer_founds_a_group(api, commune_officer, sample, bui_hui):
    response = api(commune_officer).post(GROUPS, group_body(bui_hui), format="json", headers=KEY)

    assert response.status_code == 201, response.json()
    group = CommunityGroup.objects.get(pk=response.json()["id"])
    assert response["Location"] == url("community_group_detail", group)
    assert response["ETag"] == '"1"'
    assert (group.name, group.org_unit, group.channel) == (
        "CLB Thủ lĩnh của sự thay đổi thôn Bùi Hui",
        bui_hui,
        "zalo",
    )
    assert response.json()["status"] == "founded"
    assert AuditEvent.objects.filter(action="activities.group.created").count() == 1


def test_a_group_with_bad_fields_is_a_400_keyed_by_field_and_nothing_is_saved(
    api, commune_officer, sample, bui_hui
):
    body = group_body(bui_hui, name=" ", kind="choir", founded_on="2999-01-01")

    response = api(commune_officer).post(GROUPS, body, format="json", headers=KEY)

    assert response.status_code == 400
    assert fields(response) == {"name", "kind", "founded_on"}
    assert CommunityGroup.objects.count() == 1


def test_a_group_with_a_wrong_type_or_an_unknown_plan_is_a_400(
    api, commune_officer, sample, bui_hui
):
    client = api(commune_officer)

    wrong_type = client.post(
        GROUPS, group_body(bui_hui, founded_on="15/11/2023"), format="json", headers=KEY
    )
    no_plan = client.post(GROUPS, group_body(bui_hui, plan=999999), format="json", headers=KEY)
    no_unit = client.post(GROUPS, group_body(bui_hui, org_unit="x"), format="json", headers=KEY)

    assert wrong_type.status_code == no_plan.status_code == no_unit.status_code == 400
    assert fields(wrong_type) == {"founded_on"}
    assert fields(no_plan) == {"plan"}
    assert fields(no_unit) == {"org_unit"}
    assert CommunityGroup.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("other_commune_officer", 404),
        ("village_head", 404),
        ("fatherland_front", 403),
        ("district_reviewer", 403),
    ],
)
def test_outsiders_and_readers_cannot_found_a_group_even_with_a_bad_body(
    api, sample, bui_hui, persona, status, request
):
    client = api(request.getfixturevalue(persona))

    valid = client.post(GROUPS, group_body(bui_hui), format="json", headers=KEY)
    invalid = client.post(
        GROUPS,
        group_body(bui_hui, name=""),
        format="json",
        headers={"Idempotency-Key": "k-bad-body-2"},
    )

    assert (valid.status_code, invalid.status_code) == (status, status)
    assert CommunityGroup.objects.count() == 1


def test_a_retried_group_post_founds_one_group(api, commune_officer, sample, bui_hui):
    client = api(commune_officer)

    first = client.post(GROUPS, group_body(bui_hui), format="json", headers=KEY)
    again = client.post(GROUPS, group_body(bui_hui), format="json", headers=KEY)

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert CommunityGroup.objects.filter(name__startswith="CLB Thủ lĩnh").count() == 1


# --- community groups: one, and changing it -----------------------------------------------------


def test_a_group_is_read_with_its_statuses_and_etag(api, commune_officer, sample):
    response = api(commune_officer).get(url("community_group_detail", sample["group"]))

    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert [s["status"] for s in response.json()["statuses"]] == ["founded"]


@pytest.mark.parametrize("outsider", ["other_commune_officer", "village_head"])
def test_outsiders_get_404_for_a_group_and_cannot_change_it(api, sample, outsider, request):
    client = api(request.getfixturevalue(outsider))
    detail = url("community_group_detail", sample["group"])

    got = client.get(detail)
    changed = client.patch(detail, {"name": ""}, format="json", headers={"If-Match": '"1"'})

    assert (got.status_code, changed.status_code) == (404, 404)
    assert CommunityGroup.objects.get().version == 1


def test_the_commune_officer_changes_a_group_on_the_version_read(api, commune_officer, sample):
    detail = url("community_group_detail", sample["group"])
    client = api(commune_officer)

    response = client.patch(
        detail, {"name": "Tổ truyền thông Bùi Hui"}, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"2"'
    group = CommunityGroup.objects.get()
    assert (group.name, group.kind, group.version) == (
        "Tổ truyền thông Bùi Hui",
        "communication_team",
        2,
    )
    stale = client.patch(detail, {"name": "Khác"}, format="json", headers={"If-Match": '"1"'})
    assert stale.status_code == 409
    assert client.patch(detail, {"name": "Khác"}, format="json").status_code == 428
    assert CommunityGroup.objects.get().name == "Tổ truyền thông Bùi Hui"


def test_a_bad_change_is_a_400_and_changes_nothing(api, commune_officer, sample):
    detail = url("community_group_detail", sample["group"])

    response = api(commune_officer).patch(
        detail, {"name": "", "founded_on": "2999-01-01", "version": 1}, format="json"
    )

    assert response.status_code == 400
    assert fields(response) == {"name", "founded_on"}
    assert CommunityGroup.objects.get().version == 1


@pytest.mark.parametrize("reader", ["fatherland_front", "district_reviewer", "commune_leader"])
def test_readers_cannot_change_a_group(api, sample, reader, request):
    detail = url("community_group_detail", sample["group"])

    response = api(request.getfixturevalue(reader)).patch(
        detail, {"name": ""}, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 403
    assert CommunityGroup.objects.get().version == 1


# --- members ------------------------------------------------------------------------------------


def test_holders_of_records_personal_read_the_members_and_the_read_is_audited(
    api, commune_officer, sample
):
    response = api(commune_officer).get(url("community_group_members", sample["group"]))

    assert response.status_code == 200
    data = response.json()
    assert data["personal"] is True
    (person,) = data["members"]
    assert (person["full_name"], person["ethnic_group"], person["is_current"]) == (
        "Phạm Thị Bùi",
        "19",
        True,
    )
    assert data["counts"]["women"] == {"minority": 1, "other": 0, "total": 1}
    assert personal_reads() == 1


@pytest.mark.parametrize("reader", ["fatherland_front", "district_reviewer"])
def test_readers_without_records_personal_must_not_see_the_members_names(
    api, sample, reader, request
):
    response = api(request.getfixturevalue(reader)).get(
        url("community_group_members", sample["group"])
    )

    assert response.status_code == 200
    data = response.json()
    assert (data["personal"], data["members"]) == (False, [])
    assert data["counts"]["total"]["total"] == 1
    assert "Phạm Thị Bùi" not in response.content.decode()
    assert personal_reads() == 0


def test_the_commune_officer_adds_members(api, commune_officer, sample):
    people = [member(), member(full_name="Phạm Văn Hùng", sex="M", role="leader")]

    response = api(commune_officer).post(
        url("community_group_members", sample["group"]),
        {"members": people},
        format="json",
        headers=KEY,
    )

    assert response.status_code == 201, response.json()
    assert response.json()["counts"]["total"]["total"] == 3
    assert CommunityGroupMember.objects.count() == 3
    assert AuditEvent.objects.filter(action="activities.group.members_added").count() == 1


def test_bad_members_are_a_400_by_row_and_field_and_nobody_is_added(api, commune_officer, sample):
    people = [member(), member(ethnic_group="99"), member(sex="", full_name="")]

    response = api(commune_officer).post(
        url("community_group_members", sample["group"]),
        {"members": people},
        format="json",
        headers=KEY,
    )

    assert response.status_code == 400
    problems = {(p["row"], p["field"]) for p in response.json()["errors"]}
    assert problems == {(2, "ethnic_group"), (3, "sex"), (3, "full_name")}
    assert CommunityGroupMember.objects.count() == 1


def test_no_members_is_a_400(api, commune_officer, sample):
    response = api(commune_officer).post(
        url("community_group_members", sample["group"]), {"members": []}, format="json", headers=KEY
    )

    assert response.status_code == 400
    assert fields(response) == {"members"}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("other_commune_officer", 404),
        ("village_head", 404),
        ("fatherland_front", 403),
        ("district_reviewer", 403),
    ],
)
def test_outsiders_and_readers_cannot_add_members(api, sample, persona, status, request):
    client = api(request.getfixturevalue(persona))
    members = url("community_group_members", sample["group"])

    valid = client.post(members, {"members": [member()]}, format="json", headers=KEY)
    invalid = client.post(
        members, {"members": []}, format="json", headers={"Idempotency-Key": "k-bad-members"}
    )

    assert (valid.status_code, invalid.status_code) == (status, status)
    assert CommunityGroupMember.objects.count() == 1
    assert "Phạm Thị Bùi" not in valid.content.decode()


def test_a_retried_members_post_adds_them_once(api, commune_officer, sample):
    client = api(commune_officer)
    members = url("community_group_members", sample["group"])

    for _attempt in range(3):
        response = client.post(members, {"members": [member()]}, format="json", headers=KEY)
        assert response.status_code == 201

    assert CommunityGroupMember.objects.filter(full_name="Đinh Thị Lan").count() == 1


# --- women cadres -------------------------------------------------------------------------------


def test_holders_of_records_personal_list_the_cadres_with_names_audited(
    api, commune_officer, sample
):
    response = api(commune_officer).get(CADRES)

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert (row["personal"], row["full_name"], row["ethnic_group"]) == (True, "Phạm Thị Hui", "19")
    assert personal_reads() == 1


@pytest.mark.parametrize("reader", ["fatherland_front", "district_reviewer", "commune_leader"])
def test_readers_without_records_personal_must_not_see_the_cadres_names(
    api, sample, reader, request
):
    client = api(request.getfixturevalue(reader))

    listed = client.get(CADRES)
    one = client.get(url("woman_cadre_detail", sample["cadre"]))

    assert listed.status_code == 200
    (row,) = listed.json()["results"]
    assert row["status"] == "planned"
    assert row["personal"] is False
    assert row["full_name"] is row["ethnic_group"] is row["birth_year"] is row["position"] is None
    assert one.status_code == 403
    for answer in (listed, one):
        assert "Phạm Thị Hui" not in answer.content.decode()
        assert "Chi hội trưởng" not in answer.content.decode()
    assert personal_reads() == 0


@pytest.mark.parametrize("outsider", ["other_commune_officer", "village_head"])
def test_outsiders_list_no_cadre_and_get_404_for_one(api, sample, outsider, request):
    client = api(request.getfixturevalue(outsider))

    assert client.get(CADRES).json()["results"] == []
    assert client.get(url("woman_cadre_detail", sample["cadre"])).status_code == 404


def test_the_cadre_list_takes_the_same_queries_for_one_cadre_or_many(
    api, commune_officer, sample, bui_hui, ethnic_groups, django_assert_num_queries
):
    client = api(commune_officer)
    client.get(CADRES)
    with django_assert_num_queries(CADRE_LIST_QUERIES):
        assert len(client.get(CADRES).json()["results"]) == 1
    for number in range(4):
        WomanCadre.objects.create(
            org_unit=bui_hui,
            full_name=f"Đinh Thị {number}",
            ethnic_group=ethnic_groups["19"],
            position="Tổ trưởng",
            status="trained",
            since=datetime.date(2023, 5, 1),
        )

    with django_assert_num_queries(CADRE_LIST_QUERIES):
        assert len(client.get(CADRES).json()["results"]) == 5


CADRE_LIST_QUERIES = 5  # and the read of names audited (one per unit on the page)


def test_the_commune_officer_records_a_cadre_and_reads_her(api, commune_officer, sample, bui_hui):
    client = api(commune_officer)

    response = client.post(CADRES, cadre_body(bui_hui), format="json", headers=KEY)

    assert response.status_code == 201, response.json()
    cadre = WomanCadre.objects.get(full_name="Đinh Thị Mai")
    assert response.json()["full_name"] == "Đinh Thị Mai"
    assert response["Location"] == url("woman_cadre_detail", cadre)
    one = client.get(response["Location"])
    assert (one.status_code, one["ETag"], one.json()["position"]) == (
        200,
        '"1"',
        "Chi hội phó phụ nữ thôn Bùi Hui",
    )


def test_a_cadre_with_bad_fields_is_a_400_and_nothing_is_saved(
    api, commune_officer, sample, bui_hui
):
    client = api(commune_officer)
    body = cadre_body(bui_hui, ethnic_group="01", status="retired", until="2020-01-01")

    kinh = client.post(CADRES, body, format="json", headers=KEY)
    unknown = client.post(
        CADRES, cadre_body(bui_hui, ethnic_group="99"), format="json", headers=KEY
    )

    assert kinh.status_code == unknown.status_code == 400
    assert fields(kinh) == {"ethnic_group", "status", "until"}
    assert {p["code"] for p in kinh.json()["errors"] if p["field"] == "ethnic_group"} == {
        "not_minority"
    }
    assert fields(unknown) == {"ethnic_group"}
    assert WomanCadre.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("other_commune_officer", 404),
        ("village_head", 404),
        ("fatherland_front", 403),
        ("district_reviewer", 403),
    ],
)
def test_outsiders_and_readers_cannot_record_or_change_a_cadre(
    api, sample, bui_hui, persona, status, request
):
    client = api(request.getfixturevalue(persona))

    posted = client.post(CADRES, cadre_body(bui_hui, full_name=""), format="json", headers=KEY)
    changed = client.patch(
        url("woman_cadre_detail", sample["cadre"]),
        {"full_name": ""},
        format="json",
        headers={"If-Match": '"1"'},
    )

    assert (posted.status_code, changed.status_code) == (status, status)
    assert WomanCadre.objects.get().version == 1


def test_the_commune_officer_changes_a_cadre_on_the_version_read(api, commune_officer, sample):
    client = api(commune_officer)
    detail = url("woman_cadre_detail", sample["cadre"])

    response = client.patch(detail, {"status": "in_position", "version": 1}, format="json")
    bad = client.patch(detail, {"since": "1900-01-01", "version": 2}, format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response["ETag"]) == ("in_position", '"2"')
    assert bad.status_code == 400
    assert fields(bad) == {"since"}
    cadre = WomanCadre.objects.get()
    assert (cadre.status, cadre.full_name, cadre.version) == ("in_position", "Phạm Thị Hui", 2)


def test_a_retried_cadre_post_records_one_cadre(api, commune_officer, sample, bui_hui):
    client = api(commune_officer)

    answers = [client.post(CADRES, cadre_body(bui_hui), format="json", headers=KEY) for _ in "ab"]

    assert [a.status_code for a in answers] == [201, 201]
    assert WomanCadre.objects.filter(full_name="Đinh Thị Mai").count() == 1


# --- difficulties -------------------------------------------------------------------------------


def test_the_difficulty_list_filters_by_status(api, commune_officer, sample):
    client = api(commune_officer)

    (row,) = client.get(DIFFICULTIES).json()["results"]
    escalated = client.get(DIFFICULTIES, {"status": "escalated"}).json()["results"]
    bad = client.get(DIFFICULTIES, {"status": "lost"})

    assert (row["id"], row["status"]) == (sample["difficulty"].pk, "open")
    assert escalated == []
    assert bad.status_code == 400
    assert fields(bad) == {"status"}


@pytest.mark.parametrize("outsider", ["other_commune_officer", "village_head"])
def test_outsiders_see_no_difficulty(api, sample, outsider, request):
    client = api(request.getfixturevalue(outsider))

    listed = client.get(DIFFICULTIES)

    assert listed.json()["results"] == []
    assert client.get(url("difficulty_detail", sample["difficulty"])).status_code == 404
    assert "Bùi Hui" not in listed.content.decode()


def test_the_difficulty_list_takes_the_same_queries_for_one_or_many(
    api, commune_officer, sample, bui_hui, django_assert_num_queries
):
    client = api(commune_officer)
    client.get(DIFFICULTIES)
    with django_assert_num_queries(DIFFICULTY_LIST_QUERIES):
        assert len(client.get(DIFFICULTIES).json()["results"]) == 1
    for number in range(4):
        Difficulty.objects.create(
            org_unit=bui_hui,
            raised_by="Thôn Bùi Hui",
            raised_on=datetime.date(2023, 11, 3),
            description=f"Khó khăn {number}",
        )

    with django_assert_num_queries(DIFFICULTY_LIST_QUERIES):
        assert len(client.get(DIFFICULTIES).json()["results"]) == 5


DIFFICULTY_LIST_QUERIES = 4


def test_a_village_head_raises_a_difficulty_in_the_village(api, bui_hui_head, sample, bui_hui):
    client = api(bui_hui_head)

    response = client.post(DIFFICULTIES, difficulty_body(bui_hui), format="json", headers=KEY)
    again = client.post(DIFFICULTIES, difficulty_body(bui_hui), format="json", headers=KEY)

    assert response.status_code == again.status_code == 201, response.json()
    assert response.json()["status"] == "open"
    assert Difficulty.objects.count() == 2
    assert AuditEvent.objects.filter(action="activities.difficulty.raised").count() == 1


def test_a_difficulty_with_bad_fields_is_a_400_and_nothing_is_saved(
    api, commune_officer, sample, bui_hui
):
    body = difficulty_body(bui_hui, description=" ", raised_by="", raised_on="2999-01-01")

    response = api(commune_officer).post(DIFFICULTIES, body, format="json", headers=KEY)

    assert response.status_code == 400
    assert fields(response) == {"description", "raised_by", "raised_on"}
    assert Difficulty.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("other_commune_officer", 404),
        ("village_head", 404),
        ("fatherland_front", 403),
        ("district_reviewer", 403),
    ],
)
def test_outsiders_and_readers_cannot_raise_answer_or_escalate(
    api, sample, bui_hui, persona, status, request
):
    client = api(request.getfixturevalue(persona))
    difficulty = sample["difficulty"]

    answers = [
        client.post(
            DIFFICULTIES, difficulty_body(bui_hui, description=""), format="json", headers=KEY
        ),
        client.patch(url("difficulty_detail", difficulty), {"answer": ""}, format="json"),
        client.post(
            url("difficulty_escalate", difficulty),
            {"on": "2999-01-01"},
            format="json",
            headers={"Idempotency-Key": "k-escalate-1"},
        ),
    ]

    assert [a.status_code for a in answers] == [status] * 3
    assert Difficulty.objects.get().version == 1


def test_the_commune_officer_answers_a_difficulty(api, commune_officer, sample):
    client = api(commune_officer)
    detail = url("difficulty_detail", sample["difficulty"])
    body = {"answer": "Hội cho mượn loa", "answered_by": "Đinh Thị Hoa", "on": "2023-11-10"}

    missing = client.patch(detail, {"answer": "", "version": 1}, format="json")
    response = client.patch(detail, {**body, "resolved": True, "version": 1}, format="json")

    assert missing.status_code == 400
    assert fields(missing) == {"answer", "answered_by"}
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["answer"]) == (
        "resolved",
        "Hội cho mượn loa",
    )
    assert response["ETag"] == '"2"'


def test_an_escalated_difficulty_is_answered_by_the_commune_leader_only(
    api, commune_officer, commune_leader, sample
):
    escalate = url("difficulty_escalate", sample["difficulty"])
    detail = url("difficulty_detail", sample["difficulty"])
    body = {"answer": "UBND xã cấp loa", "answered_by": "Phạm Văn Thích", "on": "2023-11-12"}

    escalated = api(commune_officer).post(
        escalate, {"on": "2023-11-05"}, format="json", headers={**KEY, "If-Match": '"1"'}
    )
    officer = api(commune_officer).patch(detail, {**body, "version": 2}, format="json")
    leader = api(commune_leader).patch(detail, {**body, "version": 2}, format="json")

    assert escalated.status_code == 200, escalated.json()
    assert escalated.json()["status"] == "escalated"
    assert escalated.json()["escalated_to"] == "Ủy ban nhân dân xã Ba Trang"
    assert officer.status_code == 403
    assert leader.status_code == 200, leader.json()
    assert Difficulty.objects.get().status == "answered"


def test_escalating_needs_the_version_and_an_open_difficulty(api, commune_officer, sample):
    client = api(commune_officer, language="en")
    escalate = url("difficulty_escalate", sample["difficulty"])

    no_version = client.post(escalate, {}, format="json", headers=KEY)
    first = client.post(
        escalate, {"version": 1}, format="json", headers={"Idempotency-Key": "k-escalate-01"}
    )
    replay = client.post(
        escalate, {"version": 1}, format="json", headers={"Idempotency-Key": "k-escalate-01"}
    )
    twice = client.post(
        escalate, {"version": 2}, format="json", headers={"Idempotency-Key": "k-escalate-02"}
    )

    assert no_version.status_code == 428
    assert first.status_code == replay.status_code == 200
    assert replay["Idempotent-Replayed"] == "true"
    assert twice.status_code == 400
    assert twice.json()["errors"][0]["message"] == "Only an open difficulty can be escalated."
    assert Difficulty.objects.get().version == 2
    assert AuditEvent.objects.filter(action="activities.difficulty.escalated").count() == 1


def test_an_unknown_ethnic_group_is_named_in_vietnamese_or_english(api, commune_officer, sample):
    body = {"members": [member(ethnic_group="99")]}
    members = url("community_group_members", sample["group"])

    vi = api(commune_officer).post(members, body, format="json", headers=KEY)
    en = api(commune_officer, language="en").post(members, body, format="json", headers=KEY)

    (problem,) = vi.json()["errors"]
    assert (problem["field"], problem["code"]) == ("ethnic_group", "invalid_choice")
    assert problem["message"].startswith("“99” không phải là mã")
    assert [p["message"] for p in en.json()["errors"]] == [
        "“99” is not the code of an ethnic group."
    ]
