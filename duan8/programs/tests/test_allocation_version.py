"""Issue 10, point 7: an allocation form that does not say which version of the plan it was made
on is refused, not saved over whatever was saved since."""

from decimal import Decimal

import pytest
from django.urls import reverse

from duan8.programs.models import AllocationCell
from duan8.programs.tests import builders


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def plan(ba_trang, villages):
    return builders.plan(ba_trang, list(villages.values()))


def edit_url(plan):
    return reverse("programs:plan_allocation_edit", args=[plan.pk])


def cell(plan, row_label, column_order):
    return AllocationCell.objects.get(
        row__plan=plan, row__label=row_label, column__order=column_order
    )


def form_data(client, plan):
    form = client.get(edit_url(plan)).context["form"]
    return {name: form[name].value() for name in form.fields}


def test_an_allocation_without_its_version_is_refused_and_changes_nothing(
    client, commune_officer, plan
):
    client.force_login(commune_officer)
    data = form_data(client, plan)
    bui_hui, nuoc_dang = cell(plan, "Thôn Bùi Hui", 0), cell(plan, "Thôn Nước Đang", 0)
    before = (bui_hui.value, nuoc_dang.value)
    data[f"cell-{bui_hui.row_id}-{bui_hui.column_id}"] = "01"
    data[f"cell-{nuoc_dang.row_id}-{nuoc_dang.column_id}"] = "0"
    del data["version"]

    response = client.post(edit_url(plan), data)

    assert response.status_code == 200
    assert "does not say which version" in response.content.decode()
    assert (cell(plan, "Thôn Bùi Hui", 0).value, cell(plan, "Thôn Nước Đang", 0).value) == before
    plan.refresh_from_db()
    assert plan.version == 1


def test_of_two_sessions_on_the_same_allocation_the_second_is_refused(
    client, commune_officer, plan
):
    client.force_login(commune_officer)
    first, second = form_data(client, plan), form_data(client, plan)
    bui_hui, nuoc_dang = cell(plan, "Thôn Bùi Hui", 0), cell(plan, "Thôn Nước Đang", 0)
    first[f"cell-{bui_hui.row_id}-{bui_hui.column_id}"] = "01"
    first[f"cell-{nuoc_dang.row_id}-{nuoc_dang.column_id}"] = "0"

    saved = client.post(edit_url(plan), first)
    refused = client.post(
        edit_url(plan),
        {
            **second,
            **{k: v for k, v in first.items() if k.startswith("cell-")},
            f"cell-{bui_hui.row_id}-{bui_hui.column_id}": "0",
            f"cell-{nuoc_dang.row_id}-{nuoc_dang.column_id}": "01",
        },
    )

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert (cell(plan, "Thôn Bùi Hui", 0).value, cell(plan, "Thôn Nước Đang", 0).value) == (
        Decimal(1),
        Decimal(0),
    )
