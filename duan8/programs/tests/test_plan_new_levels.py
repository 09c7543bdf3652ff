"""A new plan of a province (before 1/7/2025 also of a district) starts with an allocation row for
each commune under it in the plan's year (issue 12, point 3): the reviewer enters the communes'
values on the allocation page, nobody has to add the rows by hand."""

import datetime
import re

import pytest
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.tests.factories import make_unit
from duan8.programs.assignments import assigned_targets
from duan8.programs.models import AllocationRow, Plan
from duan8.programs.plan_edit import plan_update
from duan8.programs.plan_new import EMPTY, PREVIOUS, plan_new
from duan8.programs.services import plan_approve
from duan8.testing import NEW, REFORM

L = OrgUnit.Level
YEAR = 2027


def new_commune(province: OrgUnit, code: str, name: str, **dates: datetime.date | None) -> OrgUnit:
    return make_unit(
        code=code, name=name, level=L.COMMUNE, kind="Xã", parent=province, scheme=NEW,
        valid_from=dates.get("valid_from", REFORM), valid_to=dates.get("valid_to"),
    )  # fmt: skip


def commune_rows(plan: Plan) -> list[AllocationRow]:
    return list(
        plan.allocation_rows.filter(kind=AllocationRow.Kind.VILLAGE)
        .select_related("village", "parent")
        .order_by("order", "pk")
    )


@pytest.fixture
def an_khe(new_quang_ngai):
    return new_commune(new_quang_ngai, "21530", "Ba Tô")


@pytest.fixture
def ended(new_quang_ngai):
    """A commune of the new province that ended before 2027."""
    return new_commune(new_quang_ngai, "21540", "Ba Xa", valid_to=datetime.date(2026, 6, 30))


@pytest.fixture
def province_reviewer(new_quang_ngai):
    user = UserFactory(username="hlhpn.quangngai", full_name="Lê Thị Ngãi")
    membership(user, new_quang_ngai, "province_reviewer")
    return user


@pytest.fixture
def dtt_officer(ba_trang_merger):
    user = UserFactory(username="hlhpn.dangthuytram", full_name="Hồ Thị Trâm")
    membership(user, ba_trang_merger, "commune_wu_officer")
    return user


def test_a_province_plan_of_2027_has_a_row_per_commune_of_the_year_and_none_for_ended_ones(
    program_structure, new_quang_ngai, ba_trang_merger, villages, an_khe, ended, province_reviewer
):
    result = plan_new(actor=province_reviewer, unit=new_quang_ngai, year=YEAR, source=EMPTY)

    rows = commune_rows(result.plan)
    assert [row.village for row in rows] == [ba_trang_merger, an_khe]  # no Ba Xa, no old commune
    assert [row.label for row in rows] == ["Xã Đặng Thùy Trâm", "Xã Ba Tô"]
    assert [row.number for row in rows] == ["1", "2"]
    total = rows[0].parent
    assert total is not None and total.kind == AllocationRow.Kind.TOTAL
    assert {row.parent_id for row in rows} == {total.pk}
    assert result.rows == 3


def test_a_district_plan_of_2024_has_its_communes_and_the_old_province_reaches_them(
    program_structure, ba_to, ba_trang, ba_kham, quang_ngai, villages
):
    district = plan_new(actor=None, unit=ba_to, year=2024, source=EMPTY).plan
    province = plan_new(actor=None, unit=quang_ngai, year=2024, source=EMPTY).plan

    assert {row.village for row in commune_rows(district)} == {ba_trang, ba_kham}
    assert {row.village for row in commune_rows(province)} == {ba_trang, ba_kham}  # via huyện Ba Tơ


def test_next_years_province_plan_drops_an_ended_commune_and_adds_a_new_one(
    program_structure, new_quang_ngai, ba_trang_merger, an_khe
):
    plan_new(actor=None, unit=new_quang_ngai, year=YEAR, source=EMPTY)
    an_khe.valid_to = datetime.date(2027, 12, 31)
    an_khe.save(update_fields=["valid_to"])
    later = new_commune(new_quang_ngai, "21550", "Ba Vì", valid_from=datetime.date(2028, 1, 1))

    result = plan_new(actor=None, unit=new_quang_ngai, year=2028, source=PREVIOUS)

    assert [row.village for row in commune_rows(result.plan)] == [ba_trang_merger, later]
    assert result.dropped_villages == ["Xã Ba Tô"]


def _header(plan: Plan, actor) -> Plan:
    return plan_update(
        plan=plan,
        actor=actor,
        expected_version=plan.version,
        number=141,
        issued_on=datetime.date(2026, 12, 1),
    )


def test_the_reviewer_enters_a_communes_value_on_the_allocation_page_and_its_draft_shows_it(
    client, program_structure, new_quang_ngai, ba_trang_merger, an_khe, province_reviewer,
    dtt_officer,
):  # fmt: skip
    plan = plan_new(actor=province_reviewer, unit=new_quang_ngai, year=YEAR, source=EMPTY).plan
    plan = _header(plan, province_reviewer)
    draft = plan_new(actor=dtt_officer, unit=ba_trang_merger, year=YEAR, source=EMPTY).plan
    row = plan.allocation_rows.get(village=ba_trang_merger)
    column = plan.allocation_columns.order_by("order").first()
    assert column is not None and row.parent_id is not None
    edit = reverse("programs:plan_allocation_edit", kwargs={"pk": plan.pk})
    client.force_login(province_reviewer)
    form = client.get(edit).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data[f"cell-{row.pk}-{column.pk}"] = data[f"cell-{row.parent_id}-{column.pk}"] = "9"

    saved = client.post(edit, data)
    plan.refresh_from_db()
    plan_approve(plan=plan, actor=province_reviewer, expected_version=plan.version)
    client.force_login(dtt_officer)
    page = client.get(reverse("programs:plan_detail", kwargs={"pk": draft.pk}))

    assert saved.status_code == 302
    assigned = assigned_targets(unit=ba_trang_merger, year=YEAR)
    assert assigned[column.element_id].value == 9
    assert assigned_targets(unit=an_khe, year=YEAR)[column.element_id].value == 0  # left empty
    panel = page.content.decode().split('id="assigned-targets"', 1)[1].split("</section>")[0]
    assert plan.reference in panel
    assert re.search(rf"{re.escape(column.heading)}</th>\s*<td>9</td>", panel)


def test_a_commune_officer_may_not_enter_the_communes_values_of_the_province_plan(
    client, program_structure, new_quang_ngai, ba_trang_merger, province_reviewer, dtt_officer
):
    plan = plan_new(actor=province_reviewer, unit=new_quang_ngai, year=YEAR, source=EMPTY).plan
    row = plan.allocation_rows.get(village=ba_trang_merger)
    column = plan.allocation_columns.order_by("order").first()
    assert column is not None
    edit = reverse("programs:plan_allocation_edit", kwargs={"pk": plan.pk})
    client.force_login(dtt_officer)

    page = client.get(edit)
    posted = client.post(edit, {f"cell-{row.pk}-{column.pk}": "50", "version": plan.version})

    assert page.status_code == 404 and posted.status_code == 404  # not hers to see
    assert not row.cells.exists()


# --- a commune missing from the draft (created after it was started) ---------------------------


def _table(unit: OrgUnit) -> str:
    return reverse("programs:assignment_table", kwargs={"pk": unit.pk})


def test_the_reviewer_adds_the_row_of_a_commune_created_after_the_plan_was_started(
    client, program_structure, new_quang_ngai, ba_trang_merger, province_reviewer
):
    plan = plan_new(actor=province_reviewer, unit=new_quang_ngai, year=YEAR, source=EMPTY).plan
    later = new_commune(new_quang_ngai, "21560", "Ba Điền", valid_from=datetime.date(2027, 3, 1))
    client.force_login(province_reviewer)

    page = client.get(_table(new_quang_ngai), {"year": YEAR}).content.decode()
    first = client.post(_table(new_quang_ngai), {"year": YEAR, "version": plan.version})
    again = client.post(_table(new_quang_ngai), {"year": YEAR, "version": plan.version})
    edit = client.get(reverse("programs:plan_allocation_edit", kwargs={"pk": plan.pk}))

    assert 'id="missing-rows"' in page and "Xã Ba Điền" in page.split('id="missing-rows"')[1]
    assert first.status_code == 302 and again.status_code == 302
    rows = commune_rows(plan)
    assert [row.village for row in rows] == [ba_trang_merger, later]
    assert rows[1].number == "2" and rows[1].parent_id == rows[0].parent_id
    column = plan.allocation_columns.order_by("order").first()
    assert column is not None
    assert f'name="cell-{rows[1].pk}-{column.pk}"' in edit.content.decode()
    plan.refresh_from_db()
    assert plan.version == 2  # one change: the second click found nothing missing
    assert (
        'id="missing-rows"'
        not in client.get(_table(new_quang_ngai), {"year": YEAR}).content.decode()
    )


def test_a_reader_of_the_province_sees_no_button_and_may_not_add_rows(
    client, program_structure, new_quang_ngai, ba_trang_merger, province_reviewer, dtt_officer
):
    plan = plan_new(actor=province_reviewer, unit=new_quang_ngai, year=YEAR, source=EMPTY).plan
    new_commune(new_quang_ngai, "21560", "Ba Điền", valid_from=datetime.date(2027, 3, 1))
    reader = UserFactory(username="mttq.quangngai")
    membership(reader, new_quang_ngai, "fatherland_front")
    client.force_login(reader)

    page = client.get(_table(new_quang_ngai), {"year": YEAR})
    posted = client.post(_table(new_quang_ngai), {"year": YEAR, "version": plan.version})
    client.force_login(dtt_officer)
    hidden = client.post(_table(new_quang_ngai), {"year": YEAR, "version": plan.version})

    assert page.status_code == 200 and 'id="missing-rows"' not in page.content.decode()
    assert posted.status_code == 403 and hidden.status_code == 404
    assert len(commune_rows(plan)) == 1
