import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.core.tests.test_field_partial import missing_pointers
from duan8.programs.forms import TargetsForm
from duan8.programs.models import AllocationCell, AllocationRow, Plan, Target
from duan8.programs.selectors import plan_appendix
from duan8.programs.tests import builders


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids, whatever the Vietnamese catalogue says."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def plan(ba_trang, villages):
    return builders.plan(ba_trang, list(villages.values()))


def plan_url(name, plan):
    return reverse(f"programs:{name}", args=[plan.pk])


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def cell(plan, row_label, column_order):
    return AllocationCell.objects.get(
        row__plan=plan, row__label=row_label, column__order=column_order
    )


def targets_post_data(plan):
    """What the targets form posts back when nothing is changed."""
    form = TargetsForm(plan=plan, lines=plan_appendix(plan=plan))
    return {name: form[name].value() or "" for name in form.fields}


def cell_errors(html, element, scope):
    """The messages shown inside one cell of the targets form."""
    found = re.search(
        rf'<fieldset class="target-cell[^"]*" id="cell-{element.pk}-{scope}">(.*?)</fieldset>',
        html,
        re.S,
    )
    assert found, f"no cell {element.code} {scope}"
    return re.findall(r'<p class="field-error">(.*?)</p>', found.group(1))


def highlighted_inputs(html):
    """The names of the allocation form's inputs whose cell is marked as a problem."""
    return re.findall(r'<td class="count problem"[^>]*>\s*<input[^>]*name="([^"]+)"', html)


def allocation_post_data(client, plan):
    """Every input of the allocation form, as rendered."""
    form = client.get(plan_url("plan_allocation_edit", plan)).context["form"]
    return {name: form[name].value() for name in form.fields}


# Home


def test_home_lists_the_plans_and_roles_of_the_user(client, commune_officer, plan, ba_trang):
    client.force_login(commune_officer)

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "87/KH-UBND" in html
    assert "25/09/2023" in html
    assert plan_url("plan_detail", plan) in html
    assert "Cán bộ Hội LHPN xã" in html
    assert reverse("orgunits:unit_detail", args=[ba_trang.pk]) in html


def test_home_filters_plans_by_year(client, commune_officer, ba_trang, villages):
    builders.plan(ba_trang, list(villages.values()), year=2023, number=87)
    builders.plan(ba_trang, list(villages.values()), year=2024, number=12)
    client.force_login(commune_officer)

    response = client.get(reverse("home"), {"year": "2024"})

    html = response.content.decode()
    assert "12/KH-UBND" in html
    assert "87/KH-UBND" not in html
    assert '<option value="2024" selected>' in html


def test_home_ignores_a_malformed_year(client, commune_officer, plan):
    client.force_login(commune_officer)

    response = client.get(reverse("home"), {"year": "năm ngoái"})

    assert response.status_code == 200
    assert "87/KH-UBND" in response.content.decode()


def test_home_shows_no_ba_trang_plan_to_another_commune(client, other_commune_officer, plan):
    client.force_login(other_commune_officer)

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "87/KH-UBND" not in html
    assert plan_url("plan_detail", plan) not in html


def test_home_sends_anonymous_visitors_to_the_login_page(client, plan):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_home_runs_a_fixed_number_of_queries(
    client, commune_officer, ba_trang, villages, django_assert_num_queries, settings
):
    settings.PAGE_SIZE = 10
    builders.plan(ba_trang, list(villages.values()), year=2000)
    client.force_login(commune_officer)
    with_one_plan = queries(client, reverse("home"))
    for year in range(2001, 2031):
        builders.plan(ba_trang, [], year=year)

    with django_assert_num_queries(with_one_plan):
        response = client.get(reverse("home"))

    assert len(response.context["page"].object_list) == 10


# Plan page


def test_plan_page_lays_out_the_two_appendices_as_the_seed(client, commune_officer, plan):
    client.force_login(commune_officer)

    response = client.get(plan_url("plan_detail", plan))

    html = response.content.decode()
    assert response.status_code == 200
    assert "No.: 87/KH-UBND" in html
    assert "UBND huyện Ba Tơ" in html
    # Appendix 1: content spanning, activity in italics, indicators numbered, suspension spanning
    assert '<th scope="rowgroup" colspan="4">Nội dung 1: Tuyên truyền' in html
    assert '<tr class="row-activity">' in html
    assert "Targets for 2023" in html
    assert "Xã rà soát danh sách gửi cho huyện" in html
    assert (
        '<td colspan="2" class="note-suspended" data-label="Commune and village">'
        "Tạm dừng hoạt động cho đến khi có văn bản" in html
    )
    # Appendix 2: groups, headings, the rows and counts as printed
    assert '<th scope="colgroup" colspan="1">Nội dung 1</th>' in html
    assert "Thành lập mới và duy trì tổ truyền thông cộng đồng (tổ)" in html
    assert '<th scope="row">Thôn Nước Đang</th>' in html
    assert re.search(r'<td class="count"[^>]*>01</td>', html)  # data-label: the phone's card
    assert re.search(r'<td class="count"[^>]*>03</td>', html)
    assert "problem" not in html


def test_plan_page_shows_ba_trang_plan_87_as_printed(client, commune_officer, ba_trang_plan):
    client.force_login(commune_officer)

    response = client.get(plan_url("plan_detail", ba_trang_plan))

    html = response.content.decode()
    assert (
        "(Attached to plan No. 87/KH-UBND dated 25/09/2023 of Ủy ban nhân dân xã Ba Trang)" in html
    )
    assert "Nội dung 2: Xây dựng và nhân rộng" in html
    assert (
        '<td colspan="2" class="note-suspended" data-label="Commune and village">'
        "Tạm dừng hoạt động cho đến khi có văn bản hướng dẫn của Trung ương</td>" in html
    )
    assert '<td class="target" data-label="Village">Thôn rà soát danh sách gửi cho xã</td>' in html
    assert '<th scope="colgroup" colspan="2">Nội dung 3</th>' in html
    assert '<th scope="colgroup" colspan="3">Nội dung 4</th>' in html
    assert "Đối thoại chính sách cấp xã và cụm thôn bản (120 cuộc x 2 đợt) (cuộc)" in html
    assert "does not add up" not in html


def test_plan_page_shows_the_edit_buttons_to_the_commune_officer_only(
    client, commune_officer, plan
):
    client.force_login(commune_officer)

    html = client.get(plan_url("plan_detail", plan)).content.decode()

    assert plan_url("plan_targets_edit", plan) in html
    assert plan_url("plan_allocation_edit", plan) in html
    assert plan_url("plan_approve", plan) not in html


def test_plan_page_shows_the_approve_button_to_the_commune_leader(client, commune_leader, plan):
    client.force_login(commune_leader)

    html = client.get(plan_url("plan_detail", plan)).content.decode()

    assert plan_url("plan_approve", plan) in html
    assert plan_url("plan_targets_edit", plan) not in html


@pytest.mark.parametrize("persona", ["district_reviewer", "fatherland_front"])
def test_plan_page_shows_no_buttons_to_readers(client, request, plan, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(plan_url("plan_detail", plan))

    html = response.content.decode()
    assert response.status_code == 200  # they read the plan ...
    assert "87/KH-UBND" in html
    for name in ("plan_targets_edit", "plan_allocation_edit", "plan_approve"):
        assert plan_url(name, plan) not in html  # ... but are offered no change


def test_plan_page_is_not_found_for_a_village_head(client, village_head, plan):
    client.force_login(village_head)

    response = client.get(plan_url("plan_detail", plan))

    assert response.status_code == 404
    assert "87/KH-UBND" not in response.content.decode()


def test_district_reviewer_reads_the_plan(client, district_reviewer, plan):
    client.force_login(district_reviewer)

    response = client.get(plan_url("plan_detail", plan))

    assert response.status_code == 200
    assert "Thôn Nước Đang" in response.content.decode()


def test_plan_page_is_not_found_for_another_commune(client, other_commune_officer, plan):
    client.force_login(other_commune_officer)

    response = client.get(plan_url("plan_detail", plan))

    assert response.status_code == 404
    assert "Nước Đang" not in response.content.decode()


def test_plan_page_hides_buttons_once_approved(client, commune_officer, plan):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    client.force_login(commune_officer)

    response = client.get(plan_url("plan_detail", plan))

    html = response.content.decode()
    assert response.status_code == 200 and "87/KH-UBND" in html
    assert plan_url("plan_targets_edit", plan) not in html


def test_plan_page_marks_cells_that_do_not_add_up(client, commune_officer, plan):
    AllocationCell.objects.filter(pk=cell(plan, "Thôn Bùi Hui", 0).pk).update(value=Decimal(2))
    client.force_login(commune_officer)

    html = client.get(plan_url("plan_detail", plan)).content.decode()

    assert "Row “II UBND xã”" in html
    assert "The total is 01 but its rows add up to 03." in html
    assert re.search(r'<td class="count problem"[^>]*>01', html)


def test_plan_page_runs_the_same_queries_for_3_or_30_villages(
    client, commune_officer, ba_trang, villages
):
    small = builders.plan(ba_trang, list(villages.values()))
    client.force_login(commune_officer)
    small_count = queries(client, plan_url("plan_detail", small))

    big = builders.plan(
        ba_trang, builders.extra_villages(ba_trang, 30), year=2024, extra_indicators=25
    )

    assert queries(client, plan_url("plan_detail", big)) == small_count
    assert AllocationRow.objects.filter(plan=big).count() == 33


# Approval


def test_commune_leader_approves_the_plan(client, commune_leader, plan):
    client.force_login(commune_leader)

    response = client.post(plan_url("plan_approve", plan), {"version": plan.version}, follow=True)

    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    assert plan.approved_by == commune_leader
    assert "The plan was approved." in response.content.decode()


def test_approval_is_refused_when_the_allocation_does_not_add_up(client, commune_leader, plan):
    AllocationCell.objects.filter(pk=cell(plan, "Thôn Bùi Hui", 0).pk).update(value=Decimal(2))
    client.force_login(commune_leader)

    response = client.post(plan_url("plan_approve", plan), {"version": plan.version}, follow=True)

    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert "The allocation table does not add up:" in response.content.decode()


def test_approval_forged_by_the_commune_officer_is_forbidden(client, commune_officer, plan):
    client.force_login(commune_officer)

    response = client.post(plan_url("plan_approve", plan))

    plan.refresh_from_db()
    assert response.status_code == 403
    assert plan.status == Plan.Status.DRAFT


def test_approval_forged_from_another_commune_finds_no_plan(client, other_commune_officer, plan):
    client.force_login(other_commune_officer)

    response = client.post(plan_url("plan_approve", plan))

    plan.refresh_from_db()
    assert response.status_code == 404
    assert plan.status == Plan.Status.DRAFT


def test_approval_asks_for_confirmation_first(client, commune_leader, plan):
    client.force_login(commune_leader)

    response = client.get(plan_url("plan_approve", plan))

    plan.refresh_from_db()
    assert response.status_code == 200
    assert plan.status == Plan.Status.DRAFT  # a GET (a tap on the plan page) approves nothing


# Targets form


def test_targets_form_lists_every_line_with_its_current_targets(client, commune_officer, plan):
    client.force_login(commune_officer)

    response = client.get(plan_url("plan_targets_edit", plan))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="target-cell"') == 2 * len(plan_appendix(plan=plan))
    assert 'inputmode="numeric"' in html
    assert "Xã rà soát danh sách gửi cho huyện</textarea>" in html


def test_targets_form_saves_the_changed_cells(client, commune_officer, plan):
    indicator, other = builders.element("T8.ND1.HD1.1"), builders.element("T8.ND4.1")
    data = targets_post_data(plan)
    data[f"t-{indicator.pk}-village-value"] = "2"
    data[f"t-{other.pk}-commune-kind"] = Target.Kind.TEXT
    data[f"t-{other.pk}-commune-text"] = "Xã rà soát danh sách gửi cho huyện"
    client.force_login(commune_officer)

    response = client.post(plan_url("plan_targets_edit", plan), data)

    assert response.status_code == 302
    assert response.url == plan_url("plan_detail", plan)
    village = Target.objects.get(plan=plan, element=indicator, scope=Target.Scope.VILLAGE)
    assert village.value == Decimal(2)
    assert Target.objects.get(plan=plan, element=other, scope=Target.Scope.COMMUNE).kind == "text"


def test_targets_form_saves_nothing_when_a_cell_is_wrong(client, commune_officer, plan):
    indicator, other = builders.element("T8.ND1.HD1.1"), builders.element("T8.ND4.1")
    data = targets_post_data(plan)
    data[f"t-{indicator.pk}-village-value"] = "2"  # valid, but must not be kept
    data[f"t-{other.pk}-commune-kind"] = Target.Kind.NUMBER
    data[f"t-{other.pk}-commune-value"] = "hai"
    data[f"t-{other.pk}-village-kind"] = Target.Kind.SUSPENDED
    client.force_login(commune_officer)

    response = client.post(plan_url("plan_targets_edit", plan), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved." in html
    # at the top, each message names its cell; in the cell, the message alone
    assert "Content 4, line 1 (Tập huấn giám sát" in html
    assert "— Commune: “hai” is not a number." in html
    assert "— Village: Write the instruction or the reason." in html
    assert cell_errors(html, other, "commune") == ["“hai” is not a number."]
    assert cell_errors(html, other, "village") == ["Write the instruction or the reason."]
    assert cell_errors(html, indicator, "village") == []
    assert 'value="hai"' in html
    assert missing_pointers(html) == []  # what each input's aria-describedby names is there
    village = Target.objects.get(plan=plan, element=indicator, scope=Target.Scope.VILLAGE)
    assert village.value == Decimal(1)
    assert not Target.objects.filter(plan=plan, element=other).exists()


def test_targets_form_forged_by_a_reader_is_forbidden(client, district_reviewer, plan):
    indicator = builders.element("T8.ND1.HD1.1")
    data = targets_post_data(plan)
    data[f"t-{indicator.pk}-village-value"] = "5"
    client.force_login(district_reviewer)

    response = client.post(plan_url("plan_targets_edit", plan), data)

    assert response.status_code == 403
    village = Target.objects.get(plan=plan, element=indicator, scope=Target.Scope.VILLAGE)
    assert village.value == Decimal(1)


@pytest.mark.parametrize(
    ("persona", "status"), [("commune_leader", 403), ("other_commune_officer", 404)]
)
def test_targets_form_is_closed_to_users_without_the_right(client, request, plan, persona, status):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(plan_url("plan_targets_edit", plan)).status_code == status


def test_targets_form_of_an_approved_plan_goes_back_to_the_plan(client, commune_officer, plan):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    client.force_login(commune_officer)

    response = client.get(plan_url("plan_targets_edit", plan), follow=True)

    assert response.redirect_chain[-1][0] == plan_url("plan_detail", plan)
    assert "can no longer be changed" in response.content.decode()


# Allocation form


def test_allocation_form_saves_a_table_that_adds_up(client, commune_officer, plan):
    client.force_login(commune_officer)
    data = allocation_post_data(client, plan)
    bui_hui, nuoc_dang = cell(plan, "Thôn Bùi Hui", 0), cell(plan, "Thôn Nước Đang", 0)
    data[f"cell-{bui_hui.row_id}-{bui_hui.column_id}"] = "01"
    data[f"cell-{nuoc_dang.row_id}-{nuoc_dang.column_id}"] = "0"

    response = client.post(plan_url("plan_allocation_edit", plan), data)

    assert response.status_code == 302
    assert cell(plan, "Thôn Bùi Hui", 0).value == Decimal(1)
    assert cell(plan, "Thôn Nước Đang", 0).value == Decimal(0)


def test_allocation_form_names_the_wrong_cells_and_saves_nothing(client, commune_officer, plan):
    client.force_login(commune_officer)
    data = allocation_post_data(client, plan)
    bui_hui, kon_rieng = cell(plan, "Thôn Bùi Hui", 0), cell(plan, "Thôn Kon Riêng", 1)
    data[f"cell-{bui_hui.row_id}-{bui_hui.column_id}"] = "01"
    data[f"cell-{kon_rieng.row_id}-{kon_rieng.column_id}"] = "một"

    response = client.post(plan_url("plan_allocation_edit", plan), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved." in html
    assert "Row “2 Thôn Kon Riêng”, column “Tổ nhóm sinh kế" in html
    assert "“một” is not a number." in html
    assert 'value="một"' in html
    assert 'aria-invalid="true"' in html
    assert cell(plan, "Thôn Bùi Hui", 0).value == Decimal(0)


def test_allocation_form_refuses_totals_that_do_not_add_up(client, commune_officer, plan):
    client.force_login(commune_officer)
    data = allocation_post_data(client, plan)
    bui_hui = cell(plan, "Thôn Bùi Hui", 0)
    data[f"cell-{bui_hui.row_id}-{bui_hui.column_id}"] = "01"

    response = client.post(plan_url("plan_allocation_edit", plan), data)

    html = response.content.decode()
    assert "Row “II UBND xã”, column “" in html
    assert "The total is 01 but its rows add up to 02." in html
    ubnd = cell(plan, "UBND xã", 0)
    assert highlighted_inputs(html) == [f"cell-{ubnd.row_id}-{ubnd.column_id}"]
    assert cell(plan, "Thôn Bùi Hui", 0).value == Decimal(0)


def test_allocation_form_marks_the_cell_that_is_not_a_number(client, commune_officer, plan):
    client.force_login(commune_officer)
    data = allocation_post_data(client, plan)
    nuoc_dang = cell(plan, "Thôn Nước Đang", 0)
    data[f"cell-{nuoc_dang.row_id}-{nuoc_dang.column_id}"] = "hai"

    response = client.post(plan_url("plan_allocation_edit", plan), data)

    html = response.content.decode()
    assert "Nothing was saved." in html
    assert (
        f"Row “{nuoc_dang.row}”, column “{nuoc_dang.column.heading}”: “hai” is not a number."
        in (html.replace("&quot;", '"'))
    )
    assert highlighted_inputs(html) == [f"cell-{nuoc_dang.row_id}-{nuoc_dang.column_id}"]
    assert response.context["form"].errors == {
        f"cell-{nuoc_dang.row_id}-{nuoc_dang.column_id}": ["“hai” is not a number."]
    }


def test_allocation_form_forged_by_the_commune_leader_is_forbidden(
    client, commune_officer, commune_leader, plan
):
    client.force_login(commune_officer)
    data = allocation_post_data(client, plan)
    bui_hui, nuoc_dang = cell(plan, "Thôn Bùi Hui", 0), cell(plan, "Thôn Nước Đang", 0)
    data[f"cell-{bui_hui.row_id}-{bui_hui.column_id}"] = "01"
    data[f"cell-{nuoc_dang.row_id}-{nuoc_dang.column_id}"] = "0"
    client.force_login(commune_leader)

    response = client.post(plan_url("plan_allocation_edit", plan), data)

    assert response.status_code == 403
    assert cell(plan, "Thôn Nước Đang", 0).value == Decimal(1)


def test_allocation_form_for_a_user_of_a_village_is_closed(client, plan, villages):
    user = UserFactory(username="chihoi.nuocdang")
    membership(user, villages["Nước Đang"], "commune_wu_officer")
    client.force_login(user)

    response = client.get(plan_url("plan_allocation_edit", plan))

    assert response.status_code == 404
