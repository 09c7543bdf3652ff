# ruff: noqa: F811 (fixtures imported from budget_fixtures)
"""The year's settlement over the API: the accountant computes the draft (once however many
retries), the commune leader approves it; 403 for readers, 404 outside, 428 without a version."""

import pytest
from django.urls import reverse

from duan8.finance.models import Settlement
from duan8.finance.tests.budget_fixtures import accountant, allocate  # noqa: F401
from duan8.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db
YEAR = 2023


@pytest.fixture
def funded(ba_trang: OrgUnit) -> OrgUnit:
    allocate(ba_trang, 10_000_000, year=YEAR)
    return ba_trang


def _url(name: str, unit: OrgUnit) -> str:
    return reverse(f"api:finance_settlement_{name}", args=[unit.pk, YEAR])


def _key(n: int) -> dict[str, str]:
    return {"Idempotency-Key": f"k-settle-{n:08d}"}


def test_the_accountant_drafts_once_and_the_leader_approves(
    api, funded, accountant, commune_leader
):
    client = api(accountant, read_only=False)

    first = client.post(_url("draft", funded), {}, format="json", headers=_key(1))
    again = client.post(_url("draft", funded), {}, format="json", headers=_key(1))

    assert first.status_code == 201, first.data
    assert again.json() == first.json()
    assert first.data["totals"]["allocated"] == 10_000_000
    assert Settlement.objects.filter(holder=funded, year=YEAR).count() == 1
    assert client.get(_url("detail", funded)).data["status"] == "draft"

    leader = api(commune_leader, read_only=False)
    done = leader.post(
        _url("approve", funded), {"version": first.data["version"]}, format="json", headers=_key(2)
    )
    assert done.status_code == 200, done.data
    assert done.data["status"] == "approved"
    refused = client.post(
        _url("draft", funded), {"version": done.data["version"]}, format="json", headers=_key(3)
    )
    assert refused.status_code == 400


def test_refreshing_a_draft_needs_the_version(api, funded, accountant):
    client = api(accountant, read_only=False)
    client.post(_url("draft", funded), {}, format="json", headers=_key(1))

    assert client.post(_url("draft", funded), {}, format="json", headers=_key(2)).status_code == 428


def test_readers_403_outsiders_404_nothing_saved(
    api, funded, commune_leader, accountant, other_commune_officer
):
    assert (
        api(commune_leader, read_only=False)
        .post(_url("draft", funded), {}, format="json", headers=_key(1))
        .status_code
        == 403
    )
    outsider = api(other_commune_officer, read_only=False)
    assert (
        outsider.post(_url("draft", funded), {}, format="json", headers=_key(2)).status_code == 404
    )
    assert outsider.get(_url("detail", funded)).status_code == 404
    assert not Settlement.objects.exists()
    api(accountant, read_only=False).post(_url("draft", funded), {}, format="json", headers=_key(3))
    approve = api(accountant, read_only=False).post(
        _url("approve", funded), {"version": 1}, format="json", headers=_key(4)
    )
    assert approve.status_code == 403
    assert Settlement.objects.get().status == Settlement.Status.DRAFT
