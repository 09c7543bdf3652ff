"""Recording an allocation over the API (POST /api/v1/finance/allocations/): the money page's
form, through allocation_record and its checks; access before the body."""

import pytest

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.core.models import AuditEvent
from duan8.finance.models import Allocation
from duan8.finance.tests.budget_fixtures import allocate, qd73

URL = "/api/v1/finance/allocations/"


@pytest.fixture
def accountant(ba_trang, program_structure):
    user = UserFactory(username="kt.batrang.api")
    membership(user, ba_trang, "commune_accountant")
    return user


def _body(ba_trang, **changes):
    body = {
        "holder": ba_trang.pk,
        "document": qd73().pk,
        "allocator": ba_trang.parent_id,
        "year": 2023,
        "element": "1719.GD1.DA8",
        "source": "nstw",
        "kind": "supplement",
        "amount": 5_000_000,
        "note": "Bổ sung đợt 2",
    }
    return {**body, **changes}


def test_the_accountant_records_a_supplement_once_over_retries(api, accountant, ba_trang):
    allocate(ba_trang, 10_000_000)
    client = api(accountant)
    key = {"Idempotency-Key": "alloc-0001-abcd"}

    first = client.post(URL, _body(ba_trang), format="json", headers=key)
    again = client.post(URL, _body(ba_trang), format="json", headers=key)

    assert first.status_code == again.status_code == 201, first.content[:300]
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["balance"]["allocated"] == 15_000_000
    assert Allocation.objects.filter(kind="supplement", holder=ba_trang).count() == 1
    assert AuditEvent.objects.filter(action="finance.allocation.recorded").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"element": "1719.GD1.DA1"}, "element"),
        ({"kind": "gift"}, "kind"),
        ({"allocator": 999999}, "allocator"),
        ({"amount": 0}, "amount"),
        ({"kind": "reduction", "amount": 50_000_000}, "amount"),
        ({"document": None, "number": "", "issuer": ""}, "decision.number"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_saved(
    api, accountant, ba_trang, changes, field
):
    allocate(ba_trang, 10_000_000)
    before = Allocation.objects.count()

    answer = api(accountant).post(
        URL, _body(ba_trang, **changes), format="json", headers={"Idempotency-Key": "alloc-bad-1"}
    )

    assert answer.status_code == 400, answer.content[:300]
    assert field in {problem["field"] for problem in answer.json()["errors"]}
    assert Allocation.objects.count() == before


def test_readers_are_refused_and_outsiders_see_nothing(
    api, accountant, ba_trang, commune_leader, fatherland_front, other_commune_officer
):
    before = Allocation.objects.count()
    answers = {
        who.username: api(who)
        .post(
            URL,
            {"holder": ba_trang.pk, "amount": "x"},
            format="json",
            headers={"Idempotency-Key": f"alloc-{who.pk}-refused"},
        )
        .status_code
        for who in (commune_leader, fatherland_front, other_commune_officer)
    }

    assert answers == {
        commune_leader.username: 403,
        fatherland_front.username: 403,
        other_commune_officer.username: 404,
    }
    assert Allocation.objects.count() == before
