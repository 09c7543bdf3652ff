"""The plan's life through the API: a new draft plan for a unit and a year, the amendment of an
approved plan and the discarding of a draft amendment, through the same services and rule as the
pages (``plan_new``, ``plan_amend``, ``plan_amendment_discard``; ``plan_access``)."""

import pytest
from django.urls import reverse

from duan8.core.models import AuditEvent
from duan8.programs.models import Plan
from duan8.programs.services import plan_approve

KEY = {"Idempotency-Key": "k-12345678"}
DAY = "2023-11-01"  # within the plan's year, after its date (25/9/2023)


def _new(unit_pk: int) -> str:
    return reverse("api:plan_new", kwargs={"pk": unit_pk})


def _amend(pk: int) -> str:
    return reverse("api:plan_amend", kwargs={"pk": pk})


def _discard(pk: int) -> str:
    return reverse("api:plan_amendment_discard", kwargs={"pk": pk})


def _fields(response) -> set[str]:
    return {problem["field"] for problem in response.json().get("errors", [])}


def _codes(response) -> set[str]:
    return {problem["code"] for problem in response.json().get("errors", [])}


@pytest.fixture
def approved(ba_trang_plan, commune_leader):
    return plan_approve(
        plan=ba_trang_plan, actor=commune_leader, expected_version=ba_trang_plan.version
    )


# --- a new plan -------------------------------------------------------------------------------


def test_the_officer_starts_next_years_plan_from_the_previous_one_once(
    api, ba_trang_plan, commune_officer
):
    client = api(commune_officer)
    unit = ba_trang_plan.issuing_unit
    body = {"year": 2024, "source": "previous", "carry_targets": True}

    first = client.post(_new(unit.pk), body, format="json", headers=KEY)
    again = client.post(_new(unit.pk), body, format="json", headers=KEY)

    plan = Plan.objects.get(issuing_unit=unit, year=2024)
    assert first.status_code == 201, first.content
    assert first.json()["id"] == plan.pk and first.json()["status"] == "draft"
    assert first["ETag"] == f'"{plan.version}"'
    assert first["Location"].endswith(reverse("api:plan_detail", kwargs={"pk": plan.pk}))
    assert plan.targets.count() == ba_trang_plan.targets.count()
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == plan.pk
    assert Plan.objects.filter(issuing_unit=unit, year=2024).count() == 1
    assert AuditEvent.objects.filter(action="programs.plan.created").count() == 1


def test_an_empty_plan_has_the_communes_villages_as_rows(
    api, program_structure, ba_trang, villages, commune_officer
):
    response = api(commune_officer).post(
        _new(ba_trang.pk), {"year": 2024, "source": "empty"}, format="json", headers=KEY
    )

    assert response.status_code == 201, response.content
    plan = Plan.objects.get(pk=response.json()["id"])
    assert plan.targets.count() == 0
    assert set(plan.allocation_rows.exclude(village=None).values_list("village", flat=True)) == {
        v.pk for v in villages.values()
    }


def test_a_year_that_has_a_plan_is_refused_on_year_and_nothing_is_saved(
    api, ba_trang_plan, commune_officer
):
    before = Plan.objects.count()

    response = api(commune_officer).post(
        _new(ba_trang_plan.issuing_unit.pk),
        {"year": ba_trang_plan.year, "source": "empty"},
        format="json",
        headers=KEY,
    )

    assert response.status_code == 400
    assert _fields(response) == {"year"} and _codes(response) == {"exists"}
    assert Plan.objects.count() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year": 2024, "source": "somewhere"}, "source"),
        ({"year": 1999, "source": "empty"}, "year"),
        ({"source": "empty"}, "year"),
        ({"year": 2024, "source": "assigned"}, "source"),  # nothing assigned from above
    ],
)
def test_a_bad_body_is_refused_by_field(api, ba_trang_plan, commune_officer, body, field):
    before = Plan.objects.count()

    response = api(commune_officer).post(
        _new(ba_trang_plan.issuing_unit.pk), body, format="json", headers=KEY
    )

    assert response.status_code == 400 and field in _fields(response)
    assert Plan.objects.count() == before


def test_previous_without_an_earlier_plan_is_refused_on_source(
    api, program_structure, ba_trang, commune_officer
):
    response = api(commune_officer).post(
        _new(ba_trang.pk), {"year": 2024, "source": "previous"}, format="json", headers=KEY
    )

    assert response.status_code == 400 and _fields(response) == {"source"}
    assert not Plan.objects.exists()


@pytest.mark.parametrize("who", ["commune_leader", "fatherland_front", "district_reviewer"])
def test_readers_and_the_district_may_not_start_a_communes_plan(api, ba_trang_plan, request, who):
    before = Plan.objects.count()

    # an invalid body: the refusal comes before it is read
    response = api(request.getfixturevalue(who)).post(
        _new(ba_trang_plan.issuing_unit.pk), {"year": "x"}, format="json", headers=KEY
    )

    assert response.status_code == 403, response.content
    assert Plan.objects.count() == before


def test_another_commune_and_a_village_are_not_found(
    api, ba_trang_plan, villages, other_commune_officer, commune_officer
):
    before = Plan.objects.count()
    body = {"year": 2024, "source": "empty"}

    outside = api(other_commune_officer).post(
        _new(ba_trang_plan.issuing_unit.pk), {"year": "x"}, format="json", headers=KEY
    )
    village = api(commune_officer).post(
        _new(next(iter(villages.values())).pk), body, format="json", headers=KEY
    )

    assert outside.status_code == 404 and village.status_code == 404
    assert Plan.objects.count() == before


def test_messages_follow_the_callers_language(api, ba_trang_plan, commune_officer):
    body = {"year": ba_trang_plan.year, "source": "empty"}
    unit = ba_trang_plan.issuing_unit

    english = api(commune_officer, language="en").post(
        _new(unit.pk), body, format="json", headers=KEY
    )

    assert "already has a plan for 2023" in english.json()["errors"][0]["message"]


# --- an amendment -----------------------------------------------------------------------------


def test_the_officer_starts_an_amendment_once(api, approved, commune_officer):
    client = api(commune_officer)
    body = {"reason": "Tăng số lớp tập huấn", "in_force_from": DAY}

    first = client.post(_amend(approved.pk), body, format="json", headers=KEY)
    again = client.post(_amend(approved.pk), body, format="json", headers=KEY)

    draft = Plan.objects.get(amends=approved)
    assert first.status_code == 201, first.content
    assert first.json()["id"] == draft.pk and first.json()["amends"] == approved.pk
    assert first.json()["amendment_reason"] == "Tăng số lớp tập huấn"
    assert first.json()["in_force_from"] == DAY and first["ETag"] == f'"{draft.version}"'
    assert draft.targets.count() == approved.targets.count()
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Plan.objects.filter(amends=approved).count() == 1
    assert AuditEvent.objects.filter(action="programs.plan.amendment_started").count() == 1


def test_missing_reason_and_date_are_refused_by_field(api, approved, commune_officer):
    before = Plan.objects.count()

    response = api(commune_officer).post(
        _amend(approved.pk), {"reason": "  "}, format="json", headers=KEY
    )

    assert response.status_code == 400
    assert _fields(response) == {"reason", "in_force_from"}
    assert Plan.objects.count() == before


def test_a_date_outside_the_year_is_refused_on_the_date(api, approved, commune_officer):
    response = api(commune_officer).post(
        _amend(approved.pk),
        {"reason": "Lý do", "in_force_from": "2024-01-02"},
        format="json",
        headers=KEY,
    )

    assert response.status_code == 400 and _fields(response) == {"in_force_from"}
    assert not Plan.objects.filter(amends=approved).exists()


def test_a_draft_is_not_amended_and_a_second_amendment_waits(
    api, ba_trang_plan, commune_officer, commune_leader
):
    client = api(commune_officer)
    body = {"reason": "Lý do", "in_force_from": DAY}

    draft_refused = client.post(_amend(ba_trang_plan.pk), body, format="json", headers=KEY)
    plan_approve(plan=ba_trang_plan, actor=commune_leader, expected_version=ba_trang_plan.version)
    started = client.post(_amend(ba_trang_plan.pk), body, format="json", headers=KEY)
    second = client.post(
        _amend(ba_trang_plan.pk), body, format="json", headers={"Idempotency-Key": "k-87654321"}
    )

    assert draft_refused.status_code == 400 and _codes(draft_refused) == {"not_approved"}
    assert started.status_code == 201
    assert second.status_code == 400 and _codes(second) == {"amendment_open"}
    assert Plan.objects.filter(amends=ba_trang_plan).count() == 1


@pytest.mark.parametrize("who", ["commune_leader", "fatherland_front", "district_reviewer"])
def test_readers_may_not_amend(api, approved, request, who):
    before = Plan.objects.count()

    response = api(request.getfixturevalue(who)).post(
        _amend(approved.pk), {"in_force_from": "x"}, format="json", headers=KEY
    )

    assert response.status_code == 403
    assert Plan.objects.count() == before


def test_another_commune_does_not_find_the_plan(api, approved, other_commune_officer):
    response = api(other_commune_officer).post(
        _amend(approved.pk), {"in_force_from": "x"}, format="json", headers=KEY
    )

    assert response.status_code == 404
    assert not Plan.objects.filter(amends=approved).exists()


# --- discarding a draft amendment ---------------------------------------------------------------


@pytest.fixture
def amendment(api, approved, commune_officer):
    response = api(commune_officer).post(
        _amend(approved.pk), {"reason": "Lý do", "in_force_from": DAY}, format="json", headers=KEY
    )
    return Plan.objects.get(pk=response.json()["id"])


def test_the_officer_discards_a_draft_amendment_once(api, approved, amendment, commune_officer):
    client = api(commune_officer)
    headers = {"Idempotency-Key": "k-discard-1", "If-Match": f'"{amendment.version}"'}

    first = client.post(_discard(amendment.pk), {}, format="json", headers=headers)
    again = client.post(_discard(amendment.pk), {}, format="json", headers=headers)

    assert first.status_code == 200, first.content
    assert first.json()["id"] == approved.pk and first.json()["status"] == "approved"
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert not Plan.objects.filter(pk=amendment.pk).exists()
    assert AuditEvent.objects.filter(action="programs.plan.amendment_discarded").count() == 1


def test_discard_needs_the_version_and_refuses_a_stale_one(api, amendment, commune_officer):
    client = api(commune_officer)

    missing = client.post(
        _discard(amendment.pk), {}, format="json", headers={"Idempotency-Key": "k-discard-2"}
    )
    stale = client.post(
        _discard(amendment.pk),
        {"version": amendment.version + 5},
        format="json",
        headers={"Idempotency-Key": "k-discard-3"},
    )

    assert missing.status_code == 428 and stale.status_code == 409
    assert Plan.objects.filter(pk=amendment.pk).exists()


def test_a_plan_that_is_no_draft_amendment_is_not_discarded(api, ba_trang_plan, commune_officer):
    response = api(commune_officer).post(
        _discard(ba_trang_plan.pk),
        {"version": ba_trang_plan.version},
        format="json",
        headers=KEY,
    )

    assert response.status_code == 400 and _codes(response) == {"not_draft_amendment"}
    assert Plan.objects.filter(pk=ba_trang_plan.pk).exists()


@pytest.mark.parametrize("who", ["commune_leader", "fatherland_front", "district_reviewer"])
def test_readers_may_not_discard(api, amendment, request, who):
    response = api(request.getfixturevalue(who)).post(
        _discard(amendment.pk), {"version": amendment.version}, format="json", headers=KEY
    )

    assert response.status_code == 403
    assert Plan.objects.filter(pk=amendment.pk).exists()


def test_another_commune_cannot_discard(api, amendment, other_commune_officer):
    response = api(other_commune_officer).post(
        _discard(amendment.pk), {"version": amendment.version}, format="json", headers=KEY
    )

    assert response.status_code == 404
    assert Plan.objects.filter(pk=amendment.pk).exists()
