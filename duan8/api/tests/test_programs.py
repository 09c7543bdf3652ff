"""The programs and plans endpoints: the structure, the plans one may see, their appendices, and
the writes of the plan pages (targets, allocation, approval) through the same services."""

from decimal import Decimal

import pytest
from django.urls import reverse

from duan8.core.models import AuditEvent
from duan8.programs.models import AllocationCell, AllocationRow, Plan, Target

TEAMS = "1719.GD1.DA8.ND1.HD1.1"  # communication teams: "-" for the commune, 01 for villages
PROGRAM = "1719"
KEY = {"Idempotency-Key": "k-12345678"}


def _detail(pk: int) -> str:
    return reverse("api:plan_detail", kwargs={"pk": pk})


def _targets(pk: int) -> str:
    return reverse("api:plan_targets", kwargs={"pk": pk})


def _allocation(pk: int) -> str:
    return reverse("api:plan_allocation", kwargs={"pk": pk})


def _approve(pk: int) -> str:
    return reverse("api:plan_approve", kwargs={"pk": pk})


def _fields(response) -> set[str]:
    return {problem["field"] for problem in response.json().get("errors", [])}


def _snapshot() -> tuple:
    return (
        tuple(Target.objects.order_by("pk").values_list("pk", "kind", "value", "text")),
        tuple(AllocationCell.objects.order_by("pk").values_list("pk", "value")),
        tuple(AllocationRow.objects.order_by("pk").values_list("pk", "difficult_villages")),
        tuple(Plan.objects.order_by("pk").values_list("pk", "status", "version")),
    )


def _leaf_and_total(plan: Plan) -> tuple[AllocationRow, AllocationRow, int]:
    """An agency row without children, its total row, and a column of the plan."""
    total = AllocationRow.objects.get(plan=plan, parent__isnull=True)
    leaf = next(
        row
        for row in AllocationRow.objects.filter(plan=plan, parent=total).order_by("order")
        if not row.children.exists()
    )
    return leaf, total, plan.allocation_columns.order_by("order").first().pk


def _cell(row: AllocationRow, column: int) -> Decimal:
    found = AllocationCell.objects.filter(row=row, column_id=column).first()
    return found.value if found else Decimal(0)


# --- programs ----------------------------------------------------------------------------------


def test_every_signed_in_user_reads_the_programs_with_their_phases(
    api, program_structure, village_head
):
    response = api(village_head).get(reverse("api:program_list"))

    assert response.status_code == 200
    programs = {item["code"]: item for item in response.json()["results"]}
    assert PROGRAM in programs
    assert [phase["code"] for phase in programs[PROGRAM]["phases"]] == ["1719.GD1"]


def test_a_programs_elements_form_a_tree_with_parents_and_phases(
    api, program_structure, commune_officer
):
    response = api(commune_officer).get(
        reverse("api:program_elements", kwargs={"code": PROGRAM}), {"page_size": 500}
    )

    assert response.status_code == 200
    elements = {item["code"]: item for item in response.json()["results"]}
    assert elements[PROGRAM]["parent"] is None
    assert elements[PROGRAM]["kind"] == "program"
    assert elements[TEAMS]["parent"] == "1719.GD1.DA8.ND1.HD1"
    assert elements[TEAMS]["phase"] == "1719.GD1"
    assert all(code == PROGRAM or code.startswith("1719.") for code in elements)
    assert all(item["parent"] in elements for code, item in elements.items() if code != PROGRAM)


def test_elements_filter_by_kind_and_refuse_an_unknown_kind(
    api, program_structure, commune_officer
):
    client = api(commune_officer)
    url = reverse("api:program_elements", kwargs={"code": PROGRAM})

    projects = client.get(url, {"kind": "project"})
    wrong = client.get(url, {"kind": "galaxy"})

    assert [item["code"] for item in projects.json()["results"]] == ["1719.GD1.DA8"]
    assert wrong.status_code == 400
    assert _fields(wrong) == {"kind"}


def test_an_element_that_is_not_a_program_has_no_tree(api, program_structure, commune_officer):
    client = api(commune_officer)

    assert (
        client.get(reverse("api:program_elements", kwargs={"code": "1719.GD1"})).status_code == 404
    )
    assert client.get(reverse("api:program_elements", kwargs={"code": "NOPE"})).status_code == 404
    assert client.get("/api/v1/programs/17%20%2519/elements/").status_code == 404


# --- plans: reading ----------------------------------------------------------------------------


def test_the_commune_officer_lists_her_plan_and_another_commune_sees_none(
    api, ba_trang_plan, commune_officer, other_commune_officer, village_head
):
    mine = api(commune_officer).get(reverse("api:plan_list"))
    theirs = api(other_commune_officer).get(reverse("api:plan_list"))
    village = api(village_head).get(reverse("api:plan_list"))

    assert [item["id"] for item in mine.json()["results"]] == [ba_trang_plan.pk]
    assert mine.json()["results"][0]["reference"] == "87/KH-UBND"
    assert theirs.status_code == 200 and theirs.json()["results"] == []
    assert village.status_code == 200 and village.json()["results"] == []


def test_the_plan_list_filters_by_year_unit_status_and_time(
    api, ba_trang_plan, ba_trang, commune_officer
):
    client = api(commune_officer)
    url = reverse("api:plan_list")

    def ids(**query):
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["results"]]

    assert ids(year=2023) == [ba_trang_plan.pk]
    assert ids(year=2024) == []
    assert ids(org_unit=ba_trang.pk) == [ba_trang_plan.pk]
    assert ids(org_unit=ba_trang.pk + 1000) == []
    assert ids(status="draft") == [ba_trang_plan.pk]
    assert ids(status="approved") == []
    assert ids(updated_since="2000-01-01") == [ba_trang_plan.pk]
    assert ids(updated_since="2999-01-01T00:00:00+07:00") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "sent"}, "status"),
        ({"year": "twenty"}, "year"),
        ({"org_unit": "-1"}, "org_unit"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(api, ba_trang_plan, commune_officer, query, field):
    response = api(commune_officer).get(reverse("api:plan_list"), query)

    assert response.status_code == 400
    assert _fields(response) == {field}


def _more_plans(plan: Plan, count: int) -> None:
    for year in range(2030, 2030 + count):
        Plan.objects.create(
            project=plan.project,
            issuing_unit=plan.issuing_unit,
            year=year,
            issuing_body=plan.issuing_body,
            title=f"Kế hoạch năm {year}",
        )


def test_the_plan_list_reads_a_fixed_number_of_queries(
    api, ba_trang_plan, commune_officer, django_assert_num_queries
):
    client = api(commune_officer)
    url = reverse("api:plan_list")
    client.get(url)  # the first call of a token is not the case measured
    with django_assert_num_queries(4) as one:
        first = client.get(url)
    _more_plans(ba_trang_plan, 5)

    with django_assert_num_queries(len(one.captured_queries)):
        more = client.get(url)

    assert len(first.json()["results"]) == 1
    assert len(more.json()["results"]) == 6


def test_the_plan_answers_its_targets_allocation_and_version(api, ba_trang_plan, commune_officer):
    response = api(commune_officer).get(_detail(ba_trang_plan.pk))

    assert response.status_code == 200
    assert response["ETag"] == f'"{ba_trang_plan.version}"'
    data = response.json()
    assert data["version"] == ba_trang_plan.version
    assert data["can_edit"] is True and data["can_approve"] is False
    teams = {(t["element"], t["scope"]): t for t in data["targets"]}
    assert teams[(TEAMS, "village")]["kind"] == "number"
    assert teams[(TEAMS, "village")]["display"] == "01"
    allocation = data["allocation"]
    assert len(allocation["cells"]) == len(allocation["rows"]) * len(allocation["columns"])
    assert {row["label"] for row in allocation["rows"]} >= {"Thôn Nước Đang", "Thôn Bùi Hui"}
    assert allocation["problems"] == []


@pytest.mark.parametrize("outsider", ["other_commune_officer", "village_head"])
def test_a_plan_outside_ones_units_is_not_found(api, ba_trang_plan, request, outsider):
    response = api(request.getfixturevalue(outsider)).get(_detail(ba_trang_plan.pk))

    assert response.status_code == 404
    assert "87/KH-UBND" not in response.content.decode()


# --- targets -----------------------------------------------------------------------------------


def test_the_officer_changes_a_target_with_the_version_she_read(
    api, ba_trang_plan, commune_officer
):
    client = api(commune_officer)
    body = {"targets": [{"element": TEAMS, "scope": "village", "kind": "number", "value": 3}]}

    response = client.patch(
        _targets(ba_trang_plan.pk), body, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    target = Target.objects.get(plan=ba_trang_plan, element__code=TEAMS, scope="village")
    assert target.value == 3
    assert AuditEvent.objects.filter(action="programs.targets.changed").count() == 1
    teams = {(t["element"], t["scope"]): t for t in response.json()["targets"]}
    assert teams[(TEAMS, "village")]["display"] == "03"


def test_an_empty_kind_removes_a_target_and_the_version_may_come_in_the_body(
    api, ba_trang_plan, commune_officer
):
    body = {"targets": [{"element": TEAMS, "scope": "commune", "kind": ""}], "version": 1}

    response = api(commune_officer).patch(_targets(ba_trang_plan.pk), body, format="json")

    assert response.status_code == 200, response.content
    assert not Target.objects.filter(plan=ba_trang_plan, element__code=TEAMS, scope="commune")


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (
            {"element": TEAMS, "scope": "village", "kind": "number"},
            f"targets.{TEAMS}.village.value",
        ),
        (
            {"element": TEAMS, "scope": "village", "kind": "number", "value": "-2"},
            f"targets.{TEAMS}.village.value",
        ),
        ({"element": TEAMS, "scope": "village", "kind": "text"}, f"targets.{TEAMS}.village.text"),
        ({"element": "NO.SUCH", "scope": "village", "kind": "none"}, "targets.0.element"),
        ({"element": TEAMS, "scope": "province", "kind": "none"}, "targets.0.scope"),
        (
            {"element": "1719.GD1", "scope": "village", "kind": "none"},
            "targets.1719.GD1.village.kind",
        ),
    ],
)
def test_a_bad_target_is_a_400_naming_its_cell_and_nothing_is_saved(
    api, ba_trang_plan, commune_officer, row, field
):
    before = _snapshot()

    response = api(commune_officer).patch(
        _targets(ba_trang_plan.pk), {"targets": [row]}, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 400, response.content
    assert field in _fields(response)
    assert _snapshot() == before


def test_the_same_target_twice_is_refused(api, ba_trang_plan, commune_officer):
    row = {"element": TEAMS, "scope": "village", "kind": "number", "value": "2"}

    response = api(commune_officer).patch(
        _targets(ba_trang_plan.pk),
        {"targets": [row, row]},
        format="json",
        headers={"If-Match": "1"},
    )

    assert response.status_code == 400
    assert _fields(response) == {"targets.1"}


def test_the_refusal_is_in_english_when_asked(api, ba_trang_plan, commune_officer):
    body = {"targets": [{"element": TEAMS, "scope": "village", "kind": "number", "value": ""}]}

    response = api(commune_officer, language="en").patch(
        _targets(ba_trang_plan.pk), body, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 400
    assert [p["message"] for p in response.json()["errors"]] == ["A number is required."]


def test_a_change_on_an_old_version_is_a_conflict_saying_what_changed(
    api, ba_trang_plan, commune_officer
):
    client = api(commune_officer)
    first = {"targets": [{"element": TEAMS, "scope": "village", "kind": "number", "value": "2"}]}
    second = {"targets": [{"element": TEAMS, "scope": "village", "kind": "number", "value": "5"}]}
    client.patch(_targets(ba_trang_plan.pk), first, format="json", headers={"If-Match": '"1"'})

    response = client.patch(
        _targets(ba_trang_plan.pk), second, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert len(response.json()["errors"]) >= 2  # the refusal, then who changed what
    assert Target.objects.get(plan=ba_trang_plan, element__code=TEAMS, scope="village").value == 2


def test_a_change_without_a_version_is_refused_428(api, ba_trang_plan, commune_officer):
    body = {"targets": [{"element": TEAMS, "scope": "village", "kind": "number", "value": "2"}]}

    response = api(commune_officer).patch(_targets(ba_trang_plan.pk), body, format="json")

    assert response.status_code == 428


@pytest.mark.parametrize("reader", ["fatherland_front", "district_reviewer", "commune_leader"])
def test_read_only_roles_cannot_change_the_communes_targets(api, ba_trang_plan, request, reader):
    plan = ba_trang_plan
    before = _snapshot()
    body = {"targets": [{"element": TEAMS, "scope": "village", "kind": "number", "value": "9"}]}

    response = api(request.getfixturevalue(reader)).patch(
        _targets(plan.pk), body, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 403
    assert _snapshot() == before


def test_another_commune_gets_404_even_for_a_bad_body(api, ba_trang_plan, other_commune_officer):
    before = _snapshot()

    response = api(other_commune_officer).patch(
        _targets(ba_trang_plan.pk), {"targets": "nonsense"}, format="json"
    )

    assert response.status_code == 404
    assert _snapshot() == before


# --- allocation --------------------------------------------------------------------------------


def test_the_officer_changes_a_row_and_its_total_together(api, ba_trang_plan, commune_officer):
    leaf, total, column = _leaf_and_total(ba_trang_plan)
    new_leaf, new_total = _cell(leaf, column) + 2, _cell(total, column) + 2
    body = {
        "cells": [
            {"row": leaf.pk, "column": column, "value": str(new_leaf)},
            {"row": total.pk, "column": column, "value": int(new_total)},
        ]
    }

    response = api(commune_officer).patch(
        _allocation(ba_trang_plan.pk), body, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    assert (_cell(leaf, column), _cell(total, column)) == (new_leaf, new_total)
    assert response.json()["allocation"]["problems"] == []
    assert AuditEvent.objects.filter(action="programs.allocation.changed").count() == 1


def test_an_allocation_that_does_not_add_up_is_refused_on_the_total(
    api, ba_trang_plan, commune_officer
):
    leaf, total, column = _leaf_and_total(ba_trang_plan)
    before = _snapshot()
    body = {"cells": [{"row": leaf.pk, "column": column, "value": str(_cell(leaf, column) + 1)}]}

    response = api(commune_officer).patch(
        _allocation(ba_trang_plan.pk), body, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 400
    problems = response.json()["errors"]
    assert [(p["field"], p["code"]) for p in problems] == [(f"values.{total.pk}.{column}", "sum")]
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("abc", "values.{row}.{column}"),
        ("-1", "values.{row}.{column}"),
        ("1" * 15, "cells.0.value"),
        ("1.234", "cells.0.value"),
        (True, "cells.0.value"),
    ],
)
def test_a_bad_cell_is_a_400_naming_it(api, ba_trang_plan, commune_officer, value, field):
    leaf, _total, column = _leaf_and_total(ba_trang_plan)
    before = _snapshot()
    body = {"cells": [{"row": leaf.pk, "column": column, "value": value}]}

    response = api(commune_officer).patch(
        _allocation(ba_trang_plan.pk), body, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 400, response.content
    assert field.format(row=leaf.pk, column=column) in _fields(response)
    assert _snapshot() == before


def test_a_cell_of_another_plan_is_refused(api, ba_trang_plan, commune_officer):
    body = {"cells": [{"row": 999_999, "column": 1, "value": "1"}]}

    response = api(commune_officer).patch(
        _allocation(ba_trang_plan.pk), body, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 400
    assert _fields(response) == {"values.999999.1"}


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("40000", "difficult_villages.0.value"),
        ("²", "difficult_villages.{row}"),
        ("1.5", "difficult_villages.{row}"),
    ],
)
def test_a_bad_number_of_difficult_villages_is_refused(
    api, ba_trang_plan, commune_officer, value, field
):
    leaf, _total, _column = _leaf_and_total(ba_trang_plan)

    response = api(commune_officer).patch(
        _allocation(ba_trang_plan.pk),
        {"difficult_villages": [{"row": leaf.pk, "value": value}]},
        format="json",
        headers={"If-Match": '"1"'},
    )

    assert response.status_code == 400, response.content
    assert _fields(response) == {field.format(row=leaf.pk)}


def test_an_allocation_on_an_old_version_is_a_conflict(api, ba_trang_plan, commune_officer):
    leaf, total, column = _leaf_and_total(ba_trang_plan)
    client = api(commune_officer)
    body = {
        "cells": [
            {"row": leaf.pk, "column": column, "value": str(_cell(leaf, column) + 1)},
            {"row": total.pk, "column": column, "value": str(_cell(total, column) + 1)},
        ]
    }
    Plan.objects.filter(pk=ba_trang_plan.pk).update(version=5)
    before = _snapshot()

    response = client.patch(
        _allocation(ba_trang_plan.pk), body, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 409
    assert _snapshot() == before


@pytest.mark.parametrize("reader", ["fatherland_front", "district_reviewer"])
def test_read_only_roles_cannot_change_the_allocation(api, ba_trang_plan, request, reader):
    leaf, _total, column = _leaf_and_total(ba_trang_plan)
    before = _snapshot()

    response = api(request.getfixturevalue(reader)).patch(
        _allocation(ba_trang_plan.pk),
        {"cells": [{"row": leaf.pk, "column": column, "value": "x"}]},
        format="json",
        headers={"If-Match": '"1"'},
    )

    assert response.status_code == 403
    assert _snapshot() == before


# --- the plan's text ---------------------------------------------------------------------------


def test_the_officer_changes_the_plans_title_and_only_that(api, ba_trang_plan, commune_officer):
    before = Plan.objects.get(pk=ba_trang_plan.pk)

    response = api(commune_officer).patch(
        _detail(ba_trang_plan.pk),
        {"title": "Triển khai Dự án 8 năm 2023 (sửa)"},
        format="json",
        headers={"If-Match": '"1"'},
    )

    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    after = Plan.objects.get(pk=ba_trang_plan.pk)
    assert after.title == "Triển khai Dự án 8 năm 2023 (sửa)"
    assert (after.purposes, after.number, after.signer_name) == (
        before.purposes,
        before.number,
        before.signer_name,
    )
    assert AuditEvent.objects.filter(action="programs.plan.texts_changed").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"signer_authority": "CHỦ TỊCH"}, "signer_authority"),
        ({"symbol": "K" * 41}, "symbol"),
        ({"number": 0}, "number"),
        ({"issued_on": "25/9/2023"}, "issued_on"),
        ({"budget_source": 999_999}, "budget_source"),
        ({"status": "approved"}, "status"),
    ],
)
def test_a_bad_text_is_a_400_naming_its_field_and_nothing_is_saved(
    api, ba_trang_plan, commune_officer, body, field
):
    before = (_snapshot(), Plan.objects.values_list("title", "symbol", "signer_authority").get())

    response = api(commune_officer).patch(
        _detail(ba_trang_plan.pk), body, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 400, response.content
    assert field in _fields(response)
    assert (
        _snapshot(),
        Plan.objects.values_list("title", "symbol", "signer_authority").get(),
    ) == before


@pytest.mark.parametrize("reader", ["fatherland_front", "district_reviewer", "commune_leader"])
def test_read_only_roles_cannot_change_the_plans_text(api, ba_trang_plan, request, reader):
    response = api(request.getfixturevalue(reader)).patch(
        _detail(ba_trang_plan.pk), {"title": "Đổi"}, format="json", headers={"If-Match": '"1"'}
    )

    assert response.status_code == 403
    assert Plan.objects.get(pk=ba_trang_plan.pk).title == ba_trang_plan.title


# --- approval ----------------------------------------------------------------------------------


def test_the_commune_leader_approves_and_a_retry_replays_the_answer(
    api, ba_trang_plan, commune_leader
):
    client = api(commune_leader)

    first = client.post(
        _approve(ba_trang_plan.pk), {}, format="json", headers={**KEY, "If-Match": '"1"'}
    )
    again = client.post(
        _approve(ba_trang_plan.pk), {}, format="json", headers={**KEY, "If-Match": '"1"'}
    )

    assert first.status_code == 200, first.content
    assert first.json()["status"] == "approved"
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    ba_trang_plan.refresh_from_db()
    assert ba_trang_plan.status == Plan.Status.APPROVED
    assert AuditEvent.objects.filter(action="programs.plan.approved").count() == 1


def test_an_approved_plan_takes_no_more_targets(
    api, ba_trang_plan, commune_leader, commune_officer
):
    api(commune_leader).post(_approve(ba_trang_plan.pk), {"version": 1}, format="json", headers=KEY)
    body = {"targets": [{"element": TEAMS, "scope": "village", "kind": "number", "value": "2"}]}

    response = api(commune_officer, language="en").patch(
        _targets(ba_trang_plan.pk), body, format="json", headers={"If-Match": '"2"'}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "This plan is approved and can no longer be changed."
    )


def test_approving_twice_is_a_400(api, ba_trang_plan, commune_leader):
    client = api(commune_leader)
    client.post(_approve(ba_trang_plan.pk), {"version": 1}, format="json", headers=KEY)

    response = client.post(
        _approve(ba_trang_plan.pk),
        {"version": 2},
        format="json",
        headers={**KEY, "Idempotency-Key": "k-second-1"},
    )

    assert response.status_code == 400


def test_an_allocation_that_does_not_add_up_blocks_approval(api, ba_trang_plan, commune_leader):
    leaf, _total, column = _leaf_and_total(ba_trang_plan)
    AllocationCell.objects.update_or_create(row=leaf, column_id=column, defaults={"value": 99})

    response = api(commune_leader).post(
        _approve(ba_trang_plan.pk), {"version": 1}, format="json", headers=KEY
    )

    assert response.status_code == 400
    assert Plan.objects.get(pk=ba_trang_plan.pk).status == Plan.Status.DRAFT


@pytest.mark.parametrize("who", ["commune_officer", "fatherland_front", "district_reviewer"])
def test_those_who_may_not_approve_are_refused(api, ba_trang_plan, request, who):
    before = _snapshot()

    response = api(request.getfixturevalue(who)).post(
        _approve(ba_trang_plan.pk), {"version": 1}, format="json", headers=KEY
    )

    assert response.status_code == 403
    assert _snapshot() == before


def test_another_commune_cannot_approve(api, ba_trang_plan, other_commune_officer):
    response = api(other_commune_officer).post(
        _approve(ba_trang_plan.pk), {"version": 1}, format="json", headers=KEY
    )

    assert response.status_code == 404
    assert Plan.objects.get(pk=ba_trang_plan.pk).status == Plan.Status.DRAFT
