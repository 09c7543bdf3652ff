# ruff: noqa: F811 (fixtures imported from budget_fixtures)
"""Spending norms over the API: the list, a correction and a new period by the norms'
administrator; refusals keyed by field with nothing saved; 403 for readers; one new period
however many retries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from duan8.finance.models import SpendingNorm
from duan8.finance.tests.budget_fixtures import administrator  # noqa: F401

pytestmark = pytest.mark.django_db
QUERIES = 4  # per page, however many norms


@pytest.fixture
def norm() -> SpendingNorm:
    return SpendingNorm.objects.create(
        code="api-communication",
        cost_line=SpendingNorm.CostLine.COMMUNICATION,
        name="Buổi truyền thông",
        unit="cuộc",
        amount=Decimal(500_000),
        valid_from=datetime.date(2022, 3, 4),
    )


def _detail(norm: SpendingNorm) -> str:
    return reverse("api:finance_norm_detail", args=[norm.pk])


def test_readers_of_money_list_the_norms(api, norm, commune_leader, django_assert_num_queries):
    client = api(commune_leader)
    client.get(reverse("api:finance_norm_list"))  # warm the token's caches

    SpendingNorm.objects.create(
        code="api-other",
        cost_line=SpendingNorm.CostLine.COMMUNICATION,
        name="Tài liệu",
        unit="bộ",
        amount=Decimal(50_000),
        valid_from=datetime.date(2022, 3, 4),
    )
    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("api:finance_norm_list"))

    assert response.status_code == 200
    assert norm.pk in [row["id"] for row in response.data["results"]]


def test_the_administrator_corrects_a_norm(api, norm, administrator):
    response = api(administrator, read_only=False).patch(
        _detail(norm), {"amount": 600_000}, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 200, response.data
    assert response.data["amount"] == 600_000
    norm.refresh_from_db()
    assert norm.amount == 600_000
    assert response["ETag"] == f'"{norm.version}"'


def test_a_wrong_correction_is_refused_by_field_nothing_saved(api, norm, administrator):
    client = api(administrator, read_only=False)

    response = client.patch(
        _detail(norm), {"valid_to": "2020-01-01"}, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 400
    assert "valid_to" in {error["field"] for error in response.data["errors"]}
    norm.refresh_from_db()
    assert norm.valid_to is None and norm.version == 1


def test_readers_may_not_change_norms(api, norm, commune_leader, commune_officer):
    for user in (commune_leader, commune_officer):
        client = api(user, read_only=False)
        assert client.patch(_detail(norm), {}, format="json").status_code == 403
        url = reverse("api:finance_norm_new_period", args=[norm.pk])
        headers = {"Idempotency-Key": f"k-norm-{user.pk:08d}"}
        assert client.post(url, {}, format="json", headers=headers).status_code == 403
    assert SpendingNorm.objects.filter(code=norm.code).count() == 1


def test_a_new_period_is_made_once_however_many_retries(api, norm, administrator):
    client = api(administrator, read_only=False)
    url = reverse("api:finance_norm_new_period", args=[norm.pk])
    body = {"version": 1, "valid_from": "2024-01-01", "amount": 700_000}
    headers = {"Idempotency-Key": "k-norm-period-0001"}

    first = client.post(url, body, format="json", headers=headers)
    again = client.post(url, body, format="json", headers=headers)

    assert first.status_code == 201, first.data
    assert again.json() == first.json()
    assert SpendingNorm.objects.filter(code=norm.code).count() == 2
    norm.refresh_from_db()
    assert norm.valid_to == datetime.date(2023, 12, 31)


def test_a_new_period_before_the_old_start_is_refused(api, norm, administrator):
    url = reverse("api:finance_norm_new_period", args=[norm.pk])
    response = api(administrator, read_only=False).post(
        url,
        {"version": 1, "valid_from": "2021-01-01"},
        format="json",
        headers={"Idempotency-Key": "k-norm-period-0002"},
    )

    assert response.status_code == 400
    assert "valid_from" in {error["field"] for error in response.data["errors"]}
    assert SpendingNorm.objects.filter(code=norm.code).count() == 1
