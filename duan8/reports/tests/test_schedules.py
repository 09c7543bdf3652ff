"""Report schedules as data: the shipped rules, their loading, and the deadlines they give."""

import datetime
import json

import pytest
from django.utils import translation

from duan8.core.schemas import FileInvalid
from duan8.orgunits.models import OrgUnit
from duan8.reports.models import ReportSchedule
from duan8.reports.schedules import schedule_files, schedules_load, schedules_read
from duan8.reports.selectors import deadline_find, deadlines_for_year, schedule_deadlines

D = datetime.date
FIELDS = [
    "code",
    "name",
    "kind",
    "channel",
    "reporting_level",
    "recipient_level",
    "recipients",
    "due_month",
    "due_day",
    "due_year_offset",
    "period_kind",
    "valid_from",
    "valid_to",
    "document",
    "legal_basis",
    "order",
]


def _rows() -> list[tuple]:
    return list(ReportSchedule.objects.order_by("code").values_list(*FIELDS))


def test_the_migration_loads_every_shipped_schedule_as_the_loader_does(db):
    by_migration = _rows()

    count = schedules_load()

    assert count == sum(len(schedules_read(p)) for p in schedule_files()) == len(by_migration)
    assert _rows() == by_migration


def _due(schedules, year, code):
    return [
        (d.due_on, d.period_start, d.period_end) for d in schedule_deadlines(schedules[code], year)
    ]


def test_phase_i_deadlines_of_2023_follow_tt_01_2022_and_the_womens_union_channel(
    report_schedules,
):
    deadlines = {(d.schedule.code, d.due_on): d for d in deadlines_for_year(2023)}

    assert set(deadlines) >= {
        ("ubnd-xac-thuc-10-9", D(2023, 9, 10)),
        ("hlhpn-ket-qua-15-9", D(2023, 9, 15)),
        ("ubnd-bao-cao-15-9", D(2023, 9, 15)),
        ("ubnd-so-ket-15-12", D(2023, 12, 15)),
        ("ubnd-xac-thuc-25-01", D(2024, 1, 25)),
        ("hlhpn-cap-nhat-31-01", D(2024, 1, 31)),
        ("ubnd-cap-nhat-31-01", D(2024, 1, 31)),
        ("thu-thap-quy", D(2023, 3, 31)),
        ("thu-thap-quy", D(2023, 12, 31)),
    }
    results = deadlines[("hlhpn-ket-qua-15-9", D(2023, 9, 15))]
    assert (results.period_start, results.period_end) == (D(2023, 1, 1), D(2023, 9, 15))
    assert results.schedule.recipient_level == OrgUnit.Level.DISTRICT
    update = deadlines[("hlhpn-cap-nhat-31-01", D(2024, 1, 31))]
    assert (update.period_start, update.period_end) == (D(2023, 1, 1), D(2023, 12, 31))
    assert deadlines[("ubnd-xac-thuc-10-9", D(2023, 9, 10))].schedule.recipient_level == (
        OrgUnit.Level.COMMUNE
    )
    assert not any(d.schedule.is_on_request for d in deadlines.values())


def test_from_1_7_2025_reports_go_to_the_province(report_schedules):
    deadlines = deadlines_for_year(2025)
    by_due = {}
    for d in deadlines:
        by_due.setdefault(d.due_on, set()).add(d.schedule.recipient_level)

    assert by_due[D(2025, 6, 30)] == {OrgUnit.Level.COMMUNE}  # the last phase-I quarter
    assert OrgUnit.Level.DISTRICT not in by_due[D(2025, 9, 15)]
    assert OrgUnit.Level.PROVINCE in by_due[D(2025, 9, 15)]
    assert OrgUnit.Level.PROVINCE in by_due[D(2026, 1, 31)]  # the update of 2025
    assert _due(report_schedules, 2025, "hlhpn-ket-qua-15-9") == []
    assert _due(report_schedules, 2024, "hlhpn-cap-nhat-31-01") == [
        (D(2025, 1, 31), D(2024, 1, 1), D(2024, 12, 31))
    ]


def test_no_deadline_falls_before_tt_01_2022_came_into_force(report_schedules):
    dues = [d.due_on for d in deadlines_for_year(2022)]

    assert min(dues) == D(2022, 9, 10)
    assert D(2022, 6, 30) not in dues


def test_a_deadline_is_found_by_its_schedule_and_day(report_schedules):
    found = deadline_find(report_schedules["hlhpn-cap-nhat-31-01"], D(2024, 1, 31))

    assert found is not None and found.period_end == D(2023, 12, 31)
    assert deadline_find(report_schedules["hlhpn-cap-nhat-31-01"], D(2024, 1, 30)) is None


def _file(tmp_path, schedules, **top):
    data = {
        "format": "duan8.report_schedules/1",
        "valid_from": "2022-07-15",
        **top,
        "schedules": schedules,
    }
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


GOOD = {
    "code": "thu",
    "name": "Thử",
    "kind": "annual",
    "channel": "women_union",
    "reporting_level": 3,
    "recipient_level": 2,
    "due": {"month": 6, "day": 30},
    "period": "year_to_date",
}


@pytest.mark.usefixtures("english")
def test_a_bad_file_is_refused_with_every_problem_named(tmp_path, db):
    bad = [
        {**GOOD, "kind": "monthly"},
        {**GOOD, "code": "b", "due": {"month": 2, "day": 30}},
        {**GOOD, "code": "c", "recipient_level": 4},
        {**GOOD, "code": "d", "document": {"colour": "red"}},
        {**GOOD, "code": "e", "reporting_level": "3"},
    ]

    with pytest.raises(FileInvalid) as refused:
        schedules_load(paths=[_file(tmp_path, bad)])

    assert refused.value.lines() == [
        "rules.json: schedules.1.kind (thu): "
        "“monthly” is not one of “annual”, “quarterly”, “ad_hoc”, “mid_term”, “final”",
        "rules.json: schedules.2 (b): a yearly report needs a valid due day and month.",
        "rules.json: schedules.3.recipient_level (c): "
        "the recipient must be at or above the reporter.",
        "rules.json: schedules.4.document.colour (d): unknown field",
        "rules.json: schedules.5.reporting_level (e): must be a whole number",
    ]
    assert ReportSchedule.objects.filter(code__in=["thu", "b", "c", "d", "e"]).count() == 0


def test_a_period_ending_before_it_starts_and_a_code_used_twice_are_refused(tmp_path, db):
    bad = [GOOD, {**GOOD, "code": "e", "valid_to": "2021-01-01"}, GOOD]

    with translation.override("vi"), pytest.raises(FileInvalid) as refused:
        schedules_load(paths=[_file(tmp_path, bad)])

    assert refused.value.lines() == [
        "rules.json: schedules.2.valid_to (e): "
        "ngày hết hiệu lực (valid_to) trước ngày có hiệu lực (valid_from).",
        "rules.json: schedules.3.code (thu): mã thu bị dùng hai lần",
    ]
    assert ReportSchedule.objects.filter(code__in=["thu", "e"]).count() == 0


def test_loading_again_updates_a_changed_rule(tmp_path, db):
    schedules_load(paths=[_file(tmp_path, [GOOD])])

    schedules_load(paths=[_file(tmp_path, [{**GOOD, "due": {"month": 7, "day": 5}}])])

    assert ReportSchedule.objects.get(code="thu").due_month == 7
