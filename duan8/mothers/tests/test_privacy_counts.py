"""Counts with small-cell suppression (issue 13, point 5; acceptance): readers outside the commune
see "<5" for counts of 1 to 4, never a name; the figures that would give a hidden one away by
subtraction are hidden too."""

import datetime

import pytest
from django.urls import reverse

from duan8.mothers.counts import HIDDEN, SHOWN_SMALL, mothers_counts
from duan8.mothers.models import Pregnancy
from duan8.mothers.tests.privacy_cases import case_make, case_pay

YEAR = 2025
NAMES = ["Đinh Thị Lan", "Hồ Thị Mai", "Phạm Thị Nga"]


@pytest.fixture
def counted(mothers_world):
    group = mothers_world.ethnic_groups["19"]
    approved = Pregnancy.Status.APPROVED
    ba_trang = [
        case_make(village=mothers_world.village, ethnic_group=group, name=n, status=approved)
        for n in NAMES
    ]
    for case in ba_trang[:2]:
        case_pay(case, by=mothers_world.accountant, amount=2_200_000)
    ba_kham = [
        case_make(
            village=mothers_world.other_village,
            ethnic_group=group,
            name=f"Y Bak {i}",
            status=approved,
        )
        for i in range(7)
    ]
    for case in ba_kham:
        case_pay(case, by=mothers_world.accountant, amount=2_400_000)
    # a case of another year and a duplicate are not counted
    case_make(
        village=mothers_world.village,
        ethnic_group=group,
        name="Năm khác",
        delivered_on=datetime.date(2024, 5, 1),
    )
    case_make(
        village=mothers_world.village,
        ethnic_group=group,
        name="Trùng",
        status=Pregnancy.Status.DUPLICATE,
    )
    return ba_trang, ba_kham


def _row(table, unit):
    return next(row for row in table.rows if row.unit == unit)


def test_the_province_reviewer_sees_small_counts_as_under_five(mothers_world, counted):
    table = mothers_counts(mothers_world.province_reviewer, mothers_world.province, YEAR)

    ba_trang = _row(table, mothers_world.commune)
    ba_kham = _row(table, mothers_world.other_commune)
    assert ba_trang["proposed"].text == SHOWN_SMALL
    assert ba_trang["paid"].text == SHOWN_SMALL
    assert ba_trang["amount"].hidden  # 4.400.000 ÷ 2.200.000 would give the count away
    assert ba_kham["proposed"].text == "7"
    assert ba_kham["paid"].text == "7"
    assert ba_kham["amount"].text == "16.800.000"
    assert table.total is not None
    assert table.total["proposed"].hidden  # 10 − 7 would give Ba Trang's 3
    assert table.total["amount"].hidden


def test_in_a_commune_one_small_village_hides_another(mothers_world, counted):
    group = mothers_world.ethnic_groups["19"]
    for i in range(6):
        case_make(village=mothers_world.villages["Bùi Hui"], ethnic_group=group, name=f"B {i}")

    table = mothers_counts(mothers_world.province_reviewer, mothers_world.commune, YEAR)

    assert table.by_village
    assert _row(table, mothers_world.village)["proposed"].text == SHOWN_SMALL
    # the commune's 9 is shown on the province's table: Bùi Hui's 6 would give Nước Đang's 3
    assert _row(table, mothers_world.villages["Bùi Hui"])["proposed"].text == HIDDEN
    assert _row(table, mothers_world.villages["Kon Riêng"])["proposed"].text == "0"


def test_the_commune_reads_its_own_figures_exactly(mothers_world, counted):
    table = mothers_counts(mothers_world.officer, mothers_world.commune, YEAR)

    row = _row(table, mothers_world.village)
    assert (row["proposed"].text, row["approved"].text, row["paid"].text) == ("3", "3", "2")
    assert row["amount"].text == "4.400.000"
    assert table.total is not None and table.total["proposed"].text == "3"
    assert not table.any_hidden


def test_the_counts_page_shows_counts_never_names(
    client, mothers_world, counted, django_assert_max_num_queries
):
    client.force_login(mothers_world.province_reviewer)
    url = reverse("mothers:counts", args=[mothers_world.province.pk]) + f"?year={YEAR}"

    with django_assert_max_num_queries(12):
        response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;5" in html
    assert ">7<" in html
    for name in [*NAMES, "Y Bak 0"]:
        assert name not in html


def test_the_fatherland_front_sees_its_commune_with_small_cells_hidden(
    client, mothers_world, counted
):
    client.force_login(mothers_world.fatherland_front)

    response = client.get(reverse("mothers:counts", args=[mothers_world.commune.pk]))

    assert response.status_code == 200
    table = mothers_counts(mothers_world.fatherland_front, mothers_world.commune, YEAR)
    assert _row(table, mothers_world.village)["proposed"].text == SHOWN_SMALL
    assert "Đinh Thị Lan" not in response.content.decode()


def test_the_counts_page_must_not_show_other_units(client, mothers_world, counted):
    client.force_login(mothers_world.other_officer)
    response = client.get(reverse("mothers:counts", args=[mothers_world.commune.pk]))
    assert response.status_code == 404
    client.force_login(mothers_world.fatherland_front)
    response = client.get(reverse("mothers:counts", args=[mothers_world.province.pk]))
    assert response.status_code == 404


def test_a_case_not_yet_delivered_counts_in_the_local_year_it_was_proposed(mothers_world):
    """Before the delivery a case counts in the year of its proposal, by the date in Việt Nam:
    proposed at 23:30 on 31/12 (16:30 UTC) it is of that year, at 00:30 on 1/1 of the next."""
    group = mothers_world.ethnic_groups["19"]
    vietnam = datetime.timezone(datetime.timedelta(hours=7))
    proposed = {
        "Cuối năm": datetime.datetime(YEAR, 12, 31, 23, 30, tzinfo=vietnam),
        "Đầu năm sau": datetime.datetime(YEAR + 1, 1, 1, 0, 30, tzinfo=vietnam),
        "Đầu năm": datetime.datetime(YEAR, 1, 1, 0, 30, tzinfo=vietnam),
    }
    for name, at in proposed.items():
        case = case_make(village=mothers_world.village, ethnic_group=group, name=name)
        Pregnancy.objects.filter(pk=case.pk).update(delivered_on=None, created_at=at)

    def proposed_in(year: int) -> int:
        table = mothers_counts(mothers_world.officer, mothers_world.commune, year)
        return int(_row(table, mothers_world.village)["proposed"].value)

    assert (proposed_in(YEAR - 1), proposed_in(YEAR), proposed_in(YEAR + 1)) == (0, 2, 1)
