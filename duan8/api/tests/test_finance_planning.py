# ruff: noqa: F811 (fixtures imported from budget_fixtures)
"""A plan's estimate over the API: read it, add and remove lines, approve it; refusals keyed by
field with nothing saved; 404 outside, 403 for readers; one line however many retries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from duan8.finance.models import Estimate, EstimateLine, Source
from duan8.finance.tests.budget_fixtures import accountant, allocate  # noqa: F401
from duan8.programs.models import Plan, ProgramElement

pytestmark = pytest.mark.django_db

ACTIVITY = "1719.GD1.DA8.ND1.HD1"


def _key(n: int = 1) -> dict[str, str]:
    return {"Idempotency-Key": f"k-estimate-{n:08d}"}


@pytest.fixture
def funded_plan(ba_trang_plan: Plan) -> Plan:
    allocate(ba_trang_plan.issuing_unit, 10_000_000)
    return ba_trang_plan


def _body(**changes: object) -> dict:
    data: dict[str, object] = {
        "version": 1,
        "activity": ProgramElement.objects.get(code=ACTIVITY).pk,
        "source": Source.CENTRAL,
        "quantity": 2,
        "unit_amount": 1_500_000,
        "description": "Hội nghị truyền thông",
    }
    data.update(changes)
    return data


def _fields(response) -> set[str]:
    return {error["field"] for error in response.data["errors"]}


def _lines_url(plan: Plan) -> str:
    return reverse("api:finance_estimate_line_add", args=[plan.pk])


def test_read_an_empty_estimate(api, funded_plan, commune_leader):
    response = api(commune_leader).get(
        reverse("api:finance_estimate_detail", args=[funded_plan.pk])
    )

    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert response.data["status"] == "draft"
    assert response.data["lines"] == []
    assert response.data["balances"][0]["allocated"] == 10_000_000


def test_the_officer_adds_a_line_once_however_many_retries(api, funded_plan, commune_officer):
    client = api(commune_officer, read_only=False)

    first = client.post(_lines_url(funded_plan), _body(), format="json", headers=_key())
    again = client.post(_lines_url(funded_plan), _body(), format="json", headers=_key())

    assert first.status_code == 201, first.data
    assert again.status_code == 201
    assert again.json() == first.json()
    assert first.data["total"] == 3_000_000
    assert first.data["lines"][0]["amount"] == 3_000_000
    assert first["ETag"] == f'"{first.data["version"]}"'
    assert EstimateLine.objects.filter(estimate__plan=funded_plan).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"source": "nowhere"}, "source"),
        ({"activity": 999_999}, "activity"),
        ({"quantity": 10, "unit_amount": 2_000_000}, "amount"),  # above the allocation
    ],
)
def test_a_wrong_line_is_refused_by_field_nothing_saved(
    api, funded_plan, commune_officer, changes, field
):
    client = api(commune_officer, read_only=False)

    response = client.post(_lines_url(funded_plan), _body(**changes), format="json", headers=_key())

    assert response.status_code == 400
    assert field in _fields(response)
    assert not EstimateLine.objects.filter(estimate__plan=funded_plan).exists()


def test_a_missing_version_is_428_and_a_stale_one_409(api, funded_plan, commune_officer):
    client = api(commune_officer, read_only=False)
    body = _body()
    del body["version"]

    assert (
        client.post(_lines_url(funded_plan), body, format="json", headers=_key(1)).status_code
        == 428
    )
    client.post(_lines_url(funded_plan), _body(), format="json", headers=_key(2))
    stale = client.post(_lines_url(funded_plan), _body(), format="json", headers=_key(3))

    assert stale.status_code == 409
    assert EstimateLine.objects.filter(estimate__plan=funded_plan).count() == 1


def test_readers_get_403_and_outsiders_404_before_the_body(
    api, funded_plan, commune_leader, other_commune_officer
):
    leader = api(commune_leader, read_only=False)
    outsider = api(other_commune_officer, read_only=False)

    assert (
        leader.post(_lines_url(funded_plan), {}, format="json", headers=_key(1)).status_code == 403
    )
    assert (
        outsider.post(_lines_url(funded_plan), {}, format="json", headers=_key(2)).status_code
        == 404
    )
    detail = reverse("api:finance_estimate_detail", args=[funded_plan.pk])
    assert outsider.get(detail).status_code == 404
    assert not EstimateLine.objects.exists()


def test_remove_a_line_with_the_version(api, funded_plan, commune_officer, commune_leader):
    client = api(commune_officer, read_only=False)
    made = client.post(_lines_url(funded_plan), _body(), format="json", headers=_key())
    line_url = reverse("api:finance_estimate_line_remove", args=[made.data["lines"][0]["id"]])

    assert (
        api(commune_leader, read_only=False)
        .delete(line_url, headers={"If-Match": made["ETag"]})
        .status_code
        == 403
    )
    assert client.delete(line_url).status_code == 428
    assert client.delete(line_url, headers={"If-Match": made["ETag"]}).status_code == 204
    assert not EstimateLine.objects.exists()


def test_the_leader_approves_with_the_plan(api, funded_plan, commune_officer, commune_leader):
    made = api(commune_officer, read_only=False).post(
        _lines_url(funded_plan), _body(), format="json", headers=_key(1)
    )
    url = reverse("api:finance_estimate_approve", args=[funded_plan.pk])
    leader = api(commune_leader, read_only=False)
    version = {"version": made.data["version"]}

    refused = leader.post(url, version, format="json", headers=_key(2))
    assert refused.status_code == 400
    assert "status" in _fields(refused)
    assert Estimate.objects.get(plan=funded_plan).status == Estimate.Status.DRAFT

    assert (
        api(commune_officer, read_only=False)
        .post(url, version, format="json", headers=_key(3))
        .status_code
        == 403
    )

    Plan.objects.filter(pk=funded_plan.pk).update(status=Plan.Status.APPROVED)
    done = leader.post(url, version, format="json", headers=_key(4))
    again = leader.post(url, version, format="json", headers=_key(4))

    assert done.status_code == 200, done.data
    assert done.data["status"] == "approved"
    assert again.json() == done.json()
    assert Estimate.objects.get(plan=funded_plan).status == Estimate.Status.APPROVED
    assert Decimal(done.data["total"]) == Decimal(3_000_000)
