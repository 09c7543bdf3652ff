"""The village writes of the API (endpoints/villages.py): a village added, marked especially
difficult, renamed, split, merged — through the pages' services and the right
``orgunits.manage_villages``, access checked before the body, each POST acted on once."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from duan8.core.models import AuditEvent
from duan8.legal.models import LegalDocument
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute, OrgUnitSuccession

D = datetime.date
KEY = {"Idempotency-Key": "k-villages-0001"}
DBKK = OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE


def url(name: str, unit) -> str:
    return reverse(f"api:{name}", kwargs={"pk": unit.pk})


def fields(response) -> set[str]:
    return {problem["field"] for problem in response.json()["errors"]}


def counts():
    return (
        OrgUnit.objects.count(),
        OrgUnitSuccession.objects.count(),
        OrgUnitAttribute.objects.count(),
        LegalDocument.objects.count(),
    )


@pytest.fixture
def act(db):
    return LegalDocument.objects.create(
        kind=LegalDocument.Kind.RESOLUTION,
        number="12",
        symbol="NQ-HĐND",
        issued_on=D(2023, 8, 20),
        issuer="Hội đồng nhân dân tỉnh Quảng Ngãi",
        title="Sáp nhập, đặt tên thôn",
    )


@pytest.fixture
def decision(db):
    return LegalDocument.objects.create(
        kind=LegalDocument.Kind.DECISION,
        number="612",
        symbol="QĐ-UBDT",
        issued_on=D(2021, 9, 16),
        issuer="Ủy ban Dân tộc",
        title="Danh sách thôn đặc biệt khó khăn",
    )


NEW_ACT = {
    "act_kind": "nghi_quyet",
    "act_number": "7",
    "act_symbol": "NQ-HĐND",
    "act_issued_on": "2023-12-10",
    "act_issuer": "Hội đồng nhân dân tỉnh Quảng Ngãi",
    "act_title": "Đổi tên thôn",
}


# --- a new village, a village marked especially difficult ---------------------------------------


def test_the_commune_officer_adds_a_village(api, commune_officer, ba_trang, villages):
    response = api(commune_officer).post(
        url("village_create", ba_trang), {"name": " Làng Mới "}, format="json", headers=KEY
    )

    assert response.status_code == 201, response.json()
    village = OrgUnit.objects.get(pk=response.json()["id"])
    assert (village.name, village.parent, village.level) == ("Làng Mới", ba_trang, 4)
    assert response["Location"] == url("orgunit_detail", village)


def test_a_village_with_a_taken_or_empty_name_is_a_400_and_nothing_is_saved(
    api, commune_officer, ba_trang, villages
):
    client = api(commune_officer)
    before = counts()

    taken = client.post(
        url("village_create", ba_trang), {"name": "nước đang"}, format="json", headers=KEY
    )
    empty = client.post(url("village_create", ba_trang), {"name": ""}, format="json", headers=KEY)

    assert taken.status_code == empty.status_code == 400
    assert fields(taken) == fields(empty) == {"name"}
    assert counts() == before


def test_the_commune_officer_marks_a_village_especially_difficult(
    api, commune_officer, villages, decision
):
    village = villages["Bùi Hui"]
    body = {"valid_from": "2021-09-16", "decision": decision.pk}

    response = api(commune_officer).post(
        url("village_mark_difficult", village), body, format="json", headers=KEY
    )

    assert response.status_code == 201, response.json()
    attribute = OrgUnitAttribute.objects.get(org_unit=village, key=DBKK)
    assert (attribute.valid_from, attribute.decision) == (D(2021, 9, 16), decision)
    assert response.json()["id"] == attribute.pk


def test_a_difficult_mark_with_bad_dates_is_a_400_keyed_by_field(
    api, commune_officer, villages, ba_trang, act
):
    client = api(commune_officer)
    before = counts()

    backwards = client.post(
        url("village_mark_difficult", villages["Bùi Hui"]),
        {"valid_from": "2022-01-01", "valid_to": "2021-01-01"},
        format="json",
        headers=KEY,
    )
    not_a_decision = client.post(
        url("village_mark_difficult", villages["Bùi Hui"]),
        {"valid_from": "2022-01-01", "decision": act.pk},
        format="json",
        headers=KEY,
    )
    a_commune = client.post(
        url("village_mark_difficult", ba_trang),
        {"valid_from": "2022-01-01"},
        format="json",
        headers=KEY,
    )

    assert backwards.status_code == not_a_decision.status_code == a_commune.status_code == 400
    assert fields(backwards) == {"valid_to"}
    assert fields(not_a_decision) == {"decision"}
    assert fields(a_commune) == {"key"}
    assert counts() == before


# --- the map's successions: rename, split, merge ------------------------------------------------


def test_rename_with_an_act_from_the_register(api, commune_officer, villages, act):
    old = villages["Kon Riêng"]
    body = {"name": "Kon Riêng Thượng", "effective_on": "2023-09-01", "decision": act.pk}

    response = api(commune_officer).post(
        url("village_rename", old), body, format="json", headers=KEY
    )

    assert response.status_code == 201, response.json()
    new = OrgUnit.objects.get(pk=response.json()["id"])
    old.refresh_from_db()
    assert old.valid_to == D(2023, 8, 31)
    assert (new.name, new.valid_from, new.legal_act) == (
        "Kon Riêng Thượng",
        D(2023, 9, 1),
        str(act),
    )
    step = OrgUnitSuccession.objects.get(predecessor=old)
    assert (step.successor, step.kind, step.effective_on) == (new, "renamed", D(2023, 9, 1))
    assert AuditEvent.objects.filter(action="orgunits.village.renamed").count() == 1


def test_rename_with_a_new_act_adds_it_to_the_register(api, commune_officer, villages):
    body = {"name": "Kon Riêng Hạ", "effective_on": "2024-01-01", **NEW_ACT}

    response = api(commune_officer).post(
        url("village_rename", villages["Kon Riêng"]), body, format="json", headers=KEY
    )

    assert response.status_code == 201, response.json()
    added = LegalDocument.objects.get(number="7", symbol="NQ-HĐND")
    assert OrgUnitSuccession.objects.get().legal_act == str(added)


def test_a_bad_rename_is_a_400_keyed_by_field_and_nothing_is_saved(
    api, commune_officer, villages, act
):
    client = api(commune_officer)
    before = counts()
    village = villages["Kon Riêng"]

    missing = client.post(url("village_rename", village), {"name": "X"}, format="json", headers=KEY)
    taken = client.post(
        url("village_rename", village),
        {"name": "Bùi Hui", "effective_on": "2023-09-01", "decision": act.pk},
        format="json",
        headers=KEY,
    )
    act_after = client.post(
        url("village_rename", village),
        {"name": "Kon Riêng Mới", "effective_on": "2023-01-01", "decision": act.pk},
        format="json",
        headers=KEY,
    )
    both = client.post(
        url("village_rename", village),
        {"name": "Kon Riêng Mới", "effective_on": "2024-01-01", "decision": act.pk, **NEW_ACT},
        format="json",
        headers=KEY,
    )
    half_act = client.post(
        url("village_rename", village),
        {"name": "Kon Riêng Mới", "effective_on": "2024-01-01", "act_number": "7"},
        format="json",
        headers=KEY,
    )

    assert {r.status_code for r in (missing, taken, act_after, both, half_act)} == {400}
    assert fields(missing) == {"effective_on"}
    assert fields(taken) == {"name"}
    assert fields(act_after) == {"decision"}
    assert fields(both) == {"decision"}
    assert fields(half_act) == {"act_symbol", "act_issued_on", "act_issuer"}
    assert counts() == before


def test_a_failed_change_does_not_keep_the_new_act(api, commune_officer, villages):
    before = counts()
    body = {"name": "Bùi Hui", "effective_on": "2024-01-01", **NEW_ACT}

    response = api(commune_officer).post(
        url("village_rename", villages["Kon Riêng"]), body, format="json", headers=KEY
    )

    assert response.status_code == 400
    assert fields(response) == {"name"}
    assert counts() == before


def test_split_a_village_the_first_part_takes_its_records(api, commune_officer, villages, act):
    old = villages["Nước Đang"]
    body = {
        "names": ["Nước Đang 1", "Nước Đang 2"],
        "effective_on": "2023-09-01",
        "decision": act.pk,
    }

    response = api(commune_officer).post(
        url("village_split", old), body, format="json", headers=KEY
    )

    assert response.status_code == 201, response.json()
    assert [p["name"] for p in response.json()] == ["Nước Đang 1", "Nước Đang 2"]
    steps = OrgUnitSuccession.objects.filter(predecessor=old).order_by("-is_primary")
    assert [(s.successor.name, s.kind, s.is_primary) for s in steps] == [
        ("Nước Đang 1", "split", True),
        ("Nước Đang 2", "split", False),
    ]


def test_a_split_into_one_name_is_a_400(api, commune_officer, villages, act):
    before = counts()
    body = {"names": ["Nước Đang 1"], "effective_on": "2023-09-01", "decision": act.pk}

    response = api(commune_officer).post(
        url("village_split", villages["Nước Đang"]), body, format="json", headers=KEY
    )

    assert response.status_code == 400
    assert fields(response) == {"names"}
    assert counts() == before


def test_merge_two_villages_into_a_new_one(api, commune_officer, ba_trang, villages, act):
    merged_from = [villages["Bùi Hui"], villages["Kon Riêng"]]
    body = {
        "villages": [v.pk for v in merged_from],
        "name": "Bùi Hui",
        "effective_on": "2023-09-01",
        "decision": act.pk,
    }

    response = api(commune_officer).post(
        url("villages_merge", ba_trang), body, format="json", headers=KEY
    )

    assert response.status_code == 201, response.json()
    merged = OrgUnit.objects.get(pk=response.json()["id"])
    assert (merged.name, merged.parent, merged.valid_from) == ("Bùi Hui", ba_trang, D(2023, 9, 1))
    steps = OrgUnitSuccession.objects.filter(successor=merged)
    assert {(s.predecessor.name, s.kind) for s in steps} == {
        ("Bùi Hui", "merged"),
        ("Kon Riêng", "merged"),
    }


def test_a_merge_of_one_or_of_another_communes_village_is_a_400(
    api, commune_officer, ba_trang, villages, ba_kham_village, act
):
    client = api(commune_officer)
    before = counts()
    body = {"name": "Gộp", "effective_on": "2023-09-01", "decision": act.pk}

    one = client.post(
        url("villages_merge", ba_trang),
        {**body, "villages": [villages["Bùi Hui"].pk]},
        format="json",
        headers=KEY,
    )
    other = client.post(
        url("villages_merge", ba_trang),
        {**body, "villages": [villages["Bùi Hui"].pk, ba_kham_village.pk]},
        format="json",
        headers=KEY,
    )

    assert one.status_code == other.status_code == 400
    assert fields(one) == fields(other) == {"villages"}
    assert str(ba_kham_village.pk) in other.json()["errors"][0]["message"]
    assert counts() == before


# --- access before the body; retries ------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("other_commune_officer", 404),
        ("fatherland_front", 403),
        ("district_reviewer", 403),
        ("commune_leader", 403),
    ],
)
@pytest.mark.parametrize("name", ["village_create", "villages_merge"])
def test_outsiders_and_readers_cannot_change_the_communes_villages(
    api, ba_trang, villages, persona, status, name, request
):
    client = api(request.getfixturevalue(persona))
    before = counts()

    valid = client.post(url(name, ba_trang), {"name": "Làng Mới"}, format="json", headers=KEY)
    invalid = client.post(
        url(name, ba_trang), {"name": ""}, format="json", headers={"Idempotency-Key": "k-bad-2222"}
    )

    assert (valid.status_code, invalid.status_code) == (status, status)
    assert counts() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("other_commune_officer", 404),
        ("fatherland_front", 403),
        ("district_reviewer", 403),
        ("village_head", 403),
    ],
)
@pytest.mark.parametrize("name", ["village_rename", "village_split", "village_mark_difficult"])
def test_outsiders_and_readers_cannot_change_a_village(
    api, villages, act, persona, status, name, request
):
    client = api(request.getfixturevalue(persona))
    before = counts()
    body = {"name": "Mới", "names": ["A", "B"], "effective_on": "2023-09-01", "decision": act.pk}

    valid = client.post(url(name, villages["Nước Đang"]), body, format="json", headers=KEY)
    invalid = client.post(
        url(name, villages["Nước Đang"]), {}, format="json", headers={"Idempotency-Key": "k-bad-22"}
    )

    assert (valid.status_code, invalid.status_code) == (status, status)
    assert counts() == before


def test_a_village_url_given_a_commune_is_a_404(api, commune_officer, ba_trang, act):
    response = api(commune_officer).post(
        url("village_rename", ba_trang),
        {"name": "X", "effective_on": "2023-09-01"},
        format="json",
        headers=KEY,
    )

    assert response.status_code == 404


@pytest.mark.parametrize("language", [None, "en"])
def test_a_retried_rename_renames_once(api, commune_officer, villages, act, language):
    client = api(commune_officer, language=language)
    body = {"name": "Kon Riêng Thượng", "effective_on": "2023-09-01", "decision": act.pk}
    target = url("village_rename", villages["Kon Riêng"])

    first = client.post(target, body, format="json", headers=KEY)
    again = client.post(target, body, format="json", headers=KEY)

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert OrgUnit.objects.filter(name="Kon Riêng Thượng").count() == 1
    assert OrgUnitSuccession.objects.count() == 1


def test_a_retried_merge_and_split_act_once(api, commune_officer, ba_trang, villages, act):
    client = api(commune_officer)
    merge = {
        "villages": [villages["Bùi Hui"].pk, villages["Kon Riêng"].pk],
        "name": "Bùi Hui Kon Riêng",
        "effective_on": "2023-09-01",
        "decision": act.pk,
    }
    split = {"names": ["Nước Đang 1", "Nước Đang 2"], "effective_on": "2023-09-01"}
    split_url = url("village_split", villages["Nước Đang"])

    answers = [
        client.post(url("villages_merge", ba_trang), merge, format="json", headers=KEY),
        client.post(url("villages_merge", ba_trang), merge, format="json", headers=KEY),
        client.post(split_url, split, format="json", headers={"Idempotency-Key": "k-split-01"}),
        client.post(split_url, split, format="json", headers={"Idempotency-Key": "k-split-01"}),
    ]

    assert [r.status_code for r in answers] == [201] * 4
    assert OrgUnitSuccession.objects.count() == 4  # two merged, two split


def test_the_samples_of_the_village_writes_are_accepted_for_their_writer(
    api, ba_trang, villages, commune_officer
):
    """Until "villages" is in tests/api_samples AREAS the access matrix does not walk these
    samples: here each writer's body is accepted (201)."""
    from tests.api_samples.villages import SAMPLES

    world = {"ba_trang": ba_trang, "villages": villages}
    for name, sample in SAMPLES.items():
        assert sample.writer == "commune_officer"
        target = reverse(name, kwargs=sample.kwargs(world))
        with transaction.atomic():  # each sample on the fixtures' map, as in the matrix
            response = api(commune_officer).post(
                target, sample.body(world), format="json", headers={"Idempotency-Key": f"k-{name}"}
            )
            transaction.set_rollback(True)
        assert response.status_code == 201, (name, response.json())


def test_a_merge_problem_is_in_english_when_asked(api, commune_officer, ba_trang, villages, act):
    chosen = [villages["Bùi Hui"].pk, 999999]
    body = {"villages": chosen, "name": "Gộp", "effective_on": "2023-09-01"}

    response = api(commune_officer, language="en").post(
        url("villages_merge", ba_trang), body, format="json", headers=KEY
    )

    assert response.status_code == 400
    [problem] = response.json()["errors"]
    assert (problem["field"], problem["code"]) == ("villages", "invalid_choice")
    assert problem["message"] == "999999: not a current village of this commune."
