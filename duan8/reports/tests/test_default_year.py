"""The report and completeness pages open on the latest year with data in the viewer's area
(issue 10, point 15), not on an empty current year; a year asked for is still shown."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from duan8.reports.services import report_open, report_save, report_submit
from duan8.testing import report_session

D = datetime.date


@pytest.fixture
def worked_2023(ba_trang_plan, villages, commune_officer, indicator_rules):
    """Two sessions in 2023 in xã Ba Trang's villages; nothing since."""
    return [
        report_session(ba_trang_plan, villages["Bùi Hui"], D(2023, 5, 20), commune_officer),
        report_session(ba_trang_plan, villages["Nước Đang"], D(2023, 7, 2), commune_officer),
    ]


@pytest.fixture
def reported_2023(report_schedules, ba_trang, commune_officer, worked_2023):
    report = report_open(
        actor=commune_officer,
        schedule=report_schedules["hlhpn-ket-qua-15-9"],
        unit=ba_trang,
        due_on=D(2023, 9, 15),
    )
    report_save(
        actor=commune_officer,
        report=report,
        results="a",
        difficulties="b",
        proposals="c",
        expected_version=report.version,
    )
    return report_submit(actor=commune_officer, report=report, expected_version=report.version)


def _year_of(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.context["year"]


def test_the_communes_report_page_opens_on_the_last_year_it_reported(
    client, reported_2023, ba_trang, commune_officer
):
    assert timezone.localdate().year > 2023  # the years after are empty
    client.force_login(commune_officer)

    year = _year_of(client, reverse("reports:unit_reports", kwargs={"pk": ba_trang.pk}))

    assert year == 2023


def test_records_alone_are_enough_to_choose_the_year(
    client, worked_2023, report_schedules, ba_trang, commune_officer
):
    client.force_login(commune_officer)

    year = _year_of(client, reverse("reports:unit_reports", kwargs={"pk": ba_trang.pk}))

    assert year == 2023


def test_the_completeness_page_opens_on_the_last_year_with_reports_in_the_area(
    client, reported_2023, ba_to, district_reviewer
):
    client.force_login(district_reviewer)

    year = _year_of(client, reverse("reports:completeness", kwargs={"pk": ba_to.pk}))

    assert year == 2023


def test_a_year_asked_for_is_shown_even_when_empty(
    client, reported_2023, ba_trang, commune_officer
):
    client.force_login(commune_officer)
    url = reverse("reports:unit_reports", kwargs={"pk": ba_trang.pk})

    assert _year_of(client, f"{url}?year=2024") == 2024


def test_without_any_data_the_page_opens_on_this_year_or_the_units_last(
    client, report_schedules, ba_kham, other_commune_officer, commune_officer, worked_2023
):
    # xã Ba Trang's records do not choose the year of xã Ba Khâm
    client.force_login(other_commune_officer)

    response = client.get(reverse("reports:unit_reports", kwargs={"pk": ba_kham.pk}))

    last = min(timezone.localdate(), ba_kham.valid_to or timezone.localdate()).year
    assert response.context["year"] == last == response.context["years"][-1]
