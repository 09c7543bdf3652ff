"""The mothers' registry over the API (issue 16): who reads which case and which of its fields,
the audit of every read, proposals through the registry's service (once per Idempotency-Key,
refused by field, nothing saved), payments and counts with the small cells hidden."""

import datetime
import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.core.models import AuditEvent
from duan8.mothers.models import Mother, Pregnancy
from duan8.mothers.services.registry import mother_propose
from duan8.mothers.tests.conftest import case_input
from tests.mothers_samples import mothers_samples

CASES = reverse("api:mothers_case_list")
PAYMENTS = reverse("api:mothers_payment_list")
COUNTS = reverse("api:mothers_counts")
KEY = {"Idempotency-Key": "k-mothers-0001"}

# planted in the registry: names, ID numbers and a health value no outsider may read
NAMES = ("Đinh Thị Lan", "Dinh Thi Lan", "Đinh Thị Mai", "Phạm Thị Hiền")
ID_NUMBERS = ("051198001234", "051198009999", "051197005555")
HEALTH = "Bệnh viện Kiểm Tra"


def _detail(pk: int) -> str:
    return reverse("api:mothers_case_detail", kwargs={"pk": pk})


def _person(username: str, unit: Any, role: str) -> Any:
    user = UserFactory(username=username)
    membership(user, unit, role)
    return user


@pytest.fixture
def registry(
    ba_trang,
    villages,
    ba_kham,
    ba_kham_village,
    ethnic_groups,
    commune_officer,
    commune_leader,
    village_head,
    other_commune_officer,
    district_reviewer,
    fatherland_front,
):
    """xã Ba Trang's registry (tests/mothers_samples.py: Đinh Thị Lan proposed, Đinh Thị Mai
    approved and paid, in thôn Nước Đang), a case of thôn Bùi Hui with a health facility, and a
    case of xã Ba Khâm; one user per role."""
    people = {
        "health_station": _person("tyt.batrang", ba_trang, "commune_health_station"),
        "health_worker": _person("yt.nuocdang", villages["Nước Đang"], "village_health_worker"),
        "accountant": _person("kt.batrang", ba_trang, "commune_accountant"),
        "other_health_station": _person("tyt.bakham", ba_kham, "commune_health_station"),
    }
    samples = mothers_samples(ba_trang, villages, people)
    bui_hui = mother_propose(
        actor=people["health_station"],
        data=case_input(
            village=villages["Bùi Hui"],
            full_name="Phạm Thị Hiền",
            id_number="051197005555",
            facility=HEALTH,
            mode="caesarean",
            days_at_facility=5,
        ),
    )
    ba_kham_case = mother_propose(
        actor=people["other_health_station"],
        data=case_input(
            commune=ba_kham, village=ba_kham_village, full_name="Hồ Thị Khác", id_number=""
        ),
    )
    return SimpleNamespace(
        commune=ba_trang,
        villages=villages,
        ba_kham=ba_kham,
        ba_kham_village=ba_kham_village,
        case=samples["case"],
        paid=samples["entry"].pregnancy,
        bui_hui=bui_hui,
        ba_kham_case=ba_kham_case,
        officer=commune_officer,
        leader=commune_leader,
        village_head=village_head,
        other_officer=other_commune_officer,
        district_reviewer=district_reviewer,
        fatherland_front=fatherland_front,
        **people,
    )


def _proposal(registry: Any, **changes: Any) -> dict[str, Any]:
    body = {
        "commune": registry.commune.pk,
        "village": registry.villages["Nước Đang"].pk,
        "full_name": "Hồ Thị Mẫu",
        "birth_year": 1999,
        "ethnic_code": "19",
        "id_number": "051199004321",
        "expected_on": "2025-05-05",
        "delivered_on": "2025-05-02",
        "place": "facility",
        "facility": "Trạm y tế xã Ba Trang",
        "mode": "normal",
        "babies": 1,
        "days_at_facility": 2,
        "has_carer": True,
        "carer_name": "Hồ Văn Mang",
        "visits": [{"visited_on": "2025-01-10", "facility": "Trạm y tế xã Ba Trang"}],
        "children": [{"sex": "M"}],
    }
    body.update(changes)
    return body


def _names(results: list[dict[str, Any]]) -> set[str]:
    return {row["full_name"] for row in results}


# --- reading cases -------------------------------------------------------------------------------


def test_the_health_station_lists_its_cases_with_health_fields_and_no_id_number(api, registry):
    response = api(registry.health_station).get(CASES)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert _names(rows) == {"Đinh Thị Lan", "Dinh Thi Lan", "Đinh Thị Mai", "Phạm Thị Hiền"}
    hien = next(row for row in rows if row["full_name"] == "Phạm Thị Hiền")
    assert hien["health"]["facility"] == HEALTH
    assert hien["health"]["mode"] == "caesarean"
    assert hien["ethnicity"] == {"code": "19", "name": "Hrê"}
    body = response.content.decode()
    assert "id_number" not in body
    assert not [number for number in ID_NUMBERS if number in body]
    assert "Hồ Thị Khác" not in body  # xã Ba Khâm's


def test_the_womens_union_officer_reads_names_and_ethnicity_but_no_health_field(api, registry):
    listed = api(registry.officer).get(CASES)
    detail = api(registry.officer).get(_detail(registry.bui_hui.pk))

    rows = listed.json()["results"]
    assert len(rows) == 4
    assert all(row["health"] is None for row in rows)
    assert all(row["ethnicity"]["code"] == "19" for row in rows)
    assert detail.status_code == 200
    case = detail.json()
    assert case["health"] is None and case["visits"] is None
    assert case["full_name"] == "Phạm Thị Hiền"
    for body in (listed.content.decode(), detail.content.decode()):
        assert HEALTH not in body and "caesarean" not in body
        assert not [number for number in ID_NUMBERS if number in body]


def test_a_case_masks_the_id_number_and_carries_its_version(api, registry):
    response = api(registry.health_station).get(_detail(registry.bui_hui.pk))

    assert response.status_code == 200
    case = response.json()
    assert case["id_number_masked"] == "••••••••5555"
    assert response["ETag"] == f'"{registry.bui_hui.version}"'
    assert case["health"]["days_at_facility"] == 5
    assert [v["visited_on"] for v in case["visits"]] == ["2024-10-01", "2024-12-02", "2025-02-03"]
    assert case["children"] == [{"sex": "F", "born_on": "2025-03-10"}]
    assert case["consent_in_force"] is False


def test_a_village_health_worker_reads_her_village_only(api, registry):
    client = api(registry.health_worker)

    listed = client.get(CASES)
    other = client.get(_detail(registry.bui_hui.pk))
    own = client.get(_detail(registry.case.pk))

    assert _names(listed.json()["results"]) == {"Đinh Thị Lan", "Dinh Thi Lan", "Đinh Thị Mai"}
    assert other.status_code == 404
    assert "Phạm Thị Hiền" not in listed.content.decode() + other.content.decode()
    assert own.status_code == 200 and own.json()["health"]["babies"] == 1


OUTSIDERS = (
    "other_officer",
    "village_head",
    "fatherland_front",
    "district_reviewer",
    "accountant",
)


@pytest.mark.parametrize("who", OUTSIDERS)
def test_those_who_may_not_read_the_registry_see_no_case(api, registry, who):
    client = api(getattr(registry, who))

    listed = client.get(CASES)
    details = [client.get(_detail(case.pk)) for case in (registry.case, registry.bui_hui)]
    filtered = client.get(CASES, {"org_unit": registry.commune.pk})

    assert listed.status_code == 200
    assert [row for row in listed.json()["results"] if row["commune"] != registry.ba_kham.pk] == []
    assert filtered.status_code == 200 and filtered.json()["results"] == []
    assert {response.status_code for response in details} == {404}
    body = "".join(r.content.decode() for r in (listed, filtered, *details))
    assert not [name for name in NAMES if name in body]
    assert not [number for number in ID_NUMBERS if number in body]
    assert HEALTH not in body
    assert not AuditEvent.objects.filter(action="mothers.case.viewed").exists()


def test_another_communes_officer_reads_her_own_commune_only(api, registry):
    rows = api(registry.other_officer).get(CASES).json()["results"]

    assert _names(rows) == {"Hồ Thị Khác"}


# --- the audit trail -----------------------------------------------------------------------------


def test_every_read_is_written_to_the_audit_trail_without_values(api, registry):
    client = api(registry.health_station)

    client.get(CASES, {"status": "proposed"})
    client.get(_detail(registry.bui_hui.pk))

    listed = AuditEvent.objects.get(action="mothers.cases.viewed")
    assert listed.actor == registry.health_station
    assert listed.after["count"] == 3
    assert listed.after["shown"] == ["health", "identity"]
    assert listed.org_unit == registry.commune
    viewed = AuditEvent.objects.get(action="mothers.case.viewed")
    assert viewed.target_id == str(registry.bui_hui.pk)
    assert viewed.after == {"shown": ["identity", "health"]}
    trail = json.dumps(
        list(AuditEvent.objects.values("before", "after", "message")), ensure_ascii=False
    )
    assert not [number for number in ID_NUMBERS if number in trail]
    assert HEALTH not in trail


def test_a_refused_case_read_is_audited_as_a_refusal(api, registry):
    api(registry.other_officer).get(_detail(registry.case.pk))

    assert AuditEvent.objects.filter(action="access.denied", actor=registry.other_officer).exists()


# --- filters, pages, queries ---------------------------------------------------------------------


def test_the_filters_status_org_unit_and_updated_since(api, registry):
    client = api(registry.health_station)
    later = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)).isoformat()

    approved = client.get(CASES, {"status": "approved"}).json()["results"]
    bui_hui = client.get(CASES, {"org_unit": registry.villages["Bùi Hui"].pk}).json()["results"]
    ba_kham = client.get(CASES, {"org_unit": registry.ba_kham.pk}).json()["results"]
    since = client.get(CASES, {"updated_since": later}).json()["results"]
    bad = client.get(CASES, {"status": "paid"})

    assert _names(approved) == {"Đinh Thị Mai"}
    assert _names(bui_hui) == {"Phạm Thị Hiền"}
    assert ba_kham == [] and since == []
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "status"


def test_cursor_pages_walk_every_case_once(api, registry):
    client = api(registry.health_station)
    seen: list[int] = []
    url: str | None = f"{CASES}?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]

    assert sorted(seen) == sorted(
        Pregnancy.objects.filter(commune=registry.commune).values_list("pk", flat=True)
    )
    assert len(seen) == len(set(seen)) == 4


def test_a_page_of_cases_costs_a_fixed_number_of_queries(api, registry, django_assert_num_queries):
    client = api(registry.health_station)
    client.get(CASES)  # the token's first use
    counts = []
    for n in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert len(client.get(CASES).json()["results"]) == 4 + 3 * n
        counts.append(len(queries))
        for m in range(3):
            mother_propose(
                actor=registry.health_station,
                data=case_input(
                    full_name=f"Hồ Thị Thêm {m}", id_number="", birth_year=1990 + m + 3 * n
                ),
            )

    assert counts[0] == counts[1], counts
    # the token (and its last use), memberships, the page, the list's audit, the token's audit
    with django_assert_num_queries(counts[0]):
        client.get(CASES)


# --- proposals -----------------------------------------------------------------------------------


def test_a_proposal_retried_with_the_same_key_creates_one_case(api, registry):
    client = api(registry.health_station)
    before = Pregnancy.objects.count()

    first = client.post(CASES, _proposal(registry), format="json", headers=KEY)
    again = client.post(CASES, _proposal(registry), format="json", headers=KEY)

    assert first.status_code == 201, first.content
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Pregnancy.objects.count() == before + 1
    case = Pregnancy.objects.get(mother__full_name="Hồ Thị Mẫu")
    assert first["Location"] == _detail(case.pk)
    assert first["ETag"] == '"1"'
    answer = first.json()
    assert answer["health"]["days_at_facility"] == 2
    assert answer["id_number_masked"] == "••••••••4321"
    assert "051199004321" not in first.content.decode()
    assert case.mother.id_number == "051199004321"
    assert (
        AuditEvent.objects.filter(action="mothers.case.proposed", target_id=str(case.pk)).count()
        == 1
    )


def test_a_village_health_worker_proposes_in_her_own_village_only(api, registry):
    client = api(registry.health_worker)
    before = Pregnancy.objects.count()

    elsewhere = client.post(
        CASES,
        _proposal(registry, village=registry.villages["Bùi Hui"].pk),
        format="json",
        headers=KEY,
    )
    own = client.post(
        CASES, _proposal(registry), format="json", headers={"Idempotency-Key": "k-own-0001"}
    )

    assert elsewhere.status_code == 403
    assert own.status_code == 201, own.content
    assert Pregnancy.objects.count() == before + 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("other_officer", 404),
        ("village_head", 404),
        ("fatherland_front", 404),
        ("district_reviewer", 404),
        ("accountant", 403),
        ("leader", 403),
        ("officer", 403),
    ],
)
def test_who_does_not_propose_is_refused_before_the_body_is_read(api, registry, who, status):
    before = (Pregnancy.objects.count(), Mother.objects.count())

    # an invalid body: the answer is about the right, never about the body
    response = api(getattr(registry, who)).post(
        CASES, _proposal(registry, ethnic_code="99"), format="json", headers=KEY
    )

    assert response.status_code == status
    assert (Pregnancy.objects.count(), Mother.objects.count()) == before
    if status == 404:
        assert "Ba Trang" not in response.content.decode()


def test_a_bad_proposal_is_refused_by_field_and_nothing_is_saved(api, registry):
    before = (Pregnancy.objects.count(), Mother.objects.count())
    body = _proposal(
        registry, ethnic_code="99", id_number="12345", village=registry.ba_kham_village.pk
    )

    response = api(registry.health_station).post(CASES, body, format="json", headers=KEY)

    assert response.status_code == 400
    fields = {problem["field"] for problem in response.json()["errors"]}
    assert {"ethnic_code", "id_number", "village"} <= fields
    assert (Pregnancy.objects.count(), Mother.objects.count()) == before
    assert "12345" not in json.dumps(list(AuditEvent.objects.values("after")))


def test_dates_are_checked_by_field(api, registry):
    client = api(registry.health_station)
    before = Pregnancy.objects.count()

    typed = client.post(
        CASES, _proposal(registry, delivered_on="02/05/2025"), format="json", headers=KEY
    )
    visit = client.post(
        CASES,
        _proposal(registry, visits=[{"visited_on": "2025-06-01"}]),
        format="json",
        headers=KEY,
    )

    assert typed.status_code == 400
    assert [p["field"] for p in typed.json()["errors"]] == ["delivered_on"]
    assert visit.status_code == 400
    assert [p["field"] for p in visit.json()["errors"]] == ["visits.1.visited_on"]
    assert Pregnancy.objects.count() == before


def test_the_problems_are_in_english_when_asked(api, registry):
    body = _proposal(registry, ethnic_code="99")

    english = api(registry.health_station, language="en").post(
        CASES, body, format="json", headers=KEY
    )
    vietnamese = api(registry.health_station).post(CASES, body, format="json", headers=KEY)

    message = english.json()["errors"][0]["message"]
    assert english.json()["errors"][0]["field"] == "ethnic_code"
    assert "is not one of the 54 ethnic groups" in message
    assert vietnamese.json()["errors"][0]["message"] != message


# --- payments and counts -------------------------------------------------------------------------


def test_the_accountant_reads_payments_with_names_but_neither_ethnicity_nor_health(api, registry):
    response = api(registry.accountant).get(PAYMENTS)

    rows = response.json()["results"]
    assert [(row["full_name"], row["amount"], row["year"]) for row in rows] == [
        ("Đinh Thị Mai", 100000, 2025)
    ]
    body = response.content.decode()
    assert "ethnicity" not in body and "health" not in body and "Hrê" not in body
    assert not [number for number in ID_NUMBERS if number in body]
    viewed = AuditEvent.objects.get(action="mothers.payments.viewed")
    assert viewed.actor == registry.accountant and viewed.after["count"] == 1


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("officer", True),
        ("leader", True),
        ("health_worker", False),
        ("other_officer", False),
        ("village_head", False),
        ("fatherland_front", False),
        ("district_reviewer", False),
    ],
)
def test_payments_are_read_by_the_communes_payment_readers_only(api, registry, who, sees):
    response = api(getattr(registry, who)).get(PAYMENTS, {"year": 2025})

    assert response.status_code == 200
    assert bool(response.json()["results"]) is sees
    assert AuditEvent.objects.filter(action="mothers.payments.viewed").exists() is sees
    if not sees:
        assert not [name for name in NAMES if name in response.content.decode()]


def test_counts_hide_small_cells_outside_the_commune_and_name_no_one(api, registry):
    query = {"org_unit": registry.commune.pk, "year": 2025}

    outside = api(registry.district_reviewer).get(COUNTS, query)
    inside = api(registry.officer).get(COUNTS, query)

    assert outside.status_code == inside.status_code == 200
    nuoc_dang = registry.villages["Nước Đang"].pk
    far = next(row for row in outside.json()["rows"] if row["unit"] == nuoc_dang)
    near = next(row for row in inside.json()["rows"] if row["unit"] == nuoc_dang)
    assert far["proposed"] == {"value": None, "text": "<5", "hidden": True}
    assert far["exact"] is False
    assert near["proposed"]["value"] == 3 and near["exact"] is True
    for body in (outside.content.decode(), inside.content.decode()):
        assert not [name for name in NAMES if name in body]


def test_counts_of_a_unit_one_may_not_read_are_a_404(api, registry):
    response = api(registry.other_officer).get(COUNTS, {"org_unit": registry.commune.pk})

    assert response.status_code == 404
    assert "Ba Trang" not in response.content.decode()
