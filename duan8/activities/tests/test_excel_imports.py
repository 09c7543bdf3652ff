"""Excel uploads checked row by row: every error by row, column and reason, nothing saved unless
every row passes, then one transaction and one audit event."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from duan8.activities.excel.importers import excel_import_check, excel_import_save
from duan8.activities.excel.kinds import CADRES, DIFFICULTIES, EVENTS, GROUPS, MEMBERS, PARTICIPANTS
from duan8.activities.excel.lists import lists_build
from duan8.activities.excel.scope import excel_event_scope, excel_scope
from duan8.activities.excel.workbook import workbook_write
from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    DataLock,
    Difficulty,
    Event,
    Participant,
    ParticipantCount,
    WomanCadre,
)
from duan8.activities.services.events import CountInput, EventInput, event_create
from duan8.activities.tests.excel_support import fill
from duan8.core.models import AuditEvent
from duan8.programs.models import ProgramElement
from duan8.testing import event_samples

D = datetime.date
TEAM = "Tổ truyền thông thôn Nước Đang"


def template(actor, unit, kind, plan=None):
    scope = excel_scope(actor=actor, unit_id=unit.pk, plan_id=plan.pk if plan else None)
    lists = lists_build(scope, [c.choices for c in kind.columns])
    return scope, workbook_write(kind=kind, scope=scope, lists=lists, columns=kind.upload_columns)


def check(actor, unit, kind, rows):
    scope, blank = template(actor, unit, kind)
    source = io.BytesIO(fill(blank, rows))
    return excel_import_check(actor=actor, scope=scope, kind=kind, source=source, name="t.xlsx")


def save(actor, unit, kind, rows):
    scope, blank = template(actor, unit, kind)
    source = io.BytesIO(fill(blank, rows))
    return excel_import_save(actor=actor, scope=scope, kind=kind, source=source, name="t.xlsx")


def cells(result):
    """(row, column header) of each problem of a check: where the user is told to look."""
    headers = {c.key: c.header for c in result.kind.columns}
    return [(e.row, headers.get(e.field, "")) for e in result.errors]


def cell_error(row, column, message):
    return _("Row %(row)s, column “%(column)s”: %(message)s") % {
        "row": row,
        "column": column,
        "message": message,
    }


@pytest.fixture
def team(villages, ba_trang_plan, ethnic_groups):
    group = CommunityGroup.objects.create(
        kind="communication_team",
        name=TEAM,
        org_unit=villages["Nước Đang"],
        founded_on=D(2023, 10, 2),
    )
    CommunityGroupStatus.objects.create(group=group, status="founded", on=group.founded_on)
    return group


def member_row(name="Đinh Thị Lan", ethnicity="19 - Hrê", **changes):
    row = {
        "group": TEAM,
        "name": name,
        "sex": "Nữ",
        "ethnicity": ethnicity,
        "birth_year": 1985,
        "role": "leader",
        "joined": "02/10/2023",
        "left": None,
    }
    row.update(changes)
    return list(row.values())


# --- members ---------------------------------------------------------------------------------


def test_a_members_file_is_saved_whole_with_one_audit_event(ba_trang, commune_officer, team):
    rows = [member_row(), member_row("Đinh Văn Tư", sex="Nam", role=None, birth_year=1979)]

    _importer, result, counts = save(commune_officer, ba_trang, MEMBERS, rows)

    assert counts == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0}
    assert list(team.members.order_by("full_name").values_list("full_name", "sex", "role")) == [
        ("Đinh Thị Lan", "F", "leader"),
        ("Đinh Văn Tư", "M", "member"),
    ]
    audit = AuditEvent.objects.get(action="activities.members.imported")
    assert audit.after["created"] == 2 and audit.actor == commune_officer


def test_every_error_is_listed_by_row_column_and_reason_and_nothing_is_saved(
    ba_trang, commune_officer, team
):
    rows = [
        member_row(),
        member_row("Đinh Văn Tư", ethnicity="Kinh Hrê"),
        member_row("", joined="31/02/2023"),
        member_row("Hồ Thị Hoa", sex="Nữ giới", birth_year=-5),
        member_row("Phạm Văn Ba", group="Tổ không có", left="01/01/2020"),
    ]

    _importer, result = check(commune_officer, ba_trang, MEMBERS, rows)

    with translation.override("vi"):
        messages = result.messages
        assert messages == [
            cell_error(
                3, _("Ethnicity"), _("“%(value)s” is not in the list") % {"value": "Kinh Hrê"}
            ),
            cell_error(4, _("Full name"), _("required")),
            cell_error(
                4,
                _("Joined on"),
                _("“%(value)s” is not a date; write dd/mm/yyyy") % {"value": "31/02/2023"},
            ),
            cell_error(5, _("Sex"), _("“%(value)s” is not in the list") % {"value": "Nữ giới"}),
            cell_error(5, _("Year of birth"), _("cannot be negative (%(value)s)") % {"value": -5}),
            cell_error(
                6, _("Group"), _("“%(value)s” is not in the list") % {"value": "Tổ không có"}
            ),
        ]
    assert CommunityGroupMember.objects.count() == 0

    _importer, refused, counts = save(commune_officer, ba_trang, MEMBERS, rows)

    assert counts is None and refused.errors
    assert CommunityGroupMember.objects.count() == 0
    assert not AuditEvent.objects.filter(action="activities.members.imported").exists()


def test_a_service_check_lands_in_its_column(ba_trang, commune_officer, team):
    rows = [member_row(joined="05/10/2023", left="01/10/2023")]

    _importer, result = check(commune_officer, ba_trang, MEMBERS, rows)

    assert cells(result) == [(2, _("Left on"))]
    with translation.override("vi"):
        assert result.messages == ["Dòng 2, cột “Ngày rời”: trước ngày tham gia."]


def test_an_event_check_on_the_participants_lands_in_the_total_and_the_place_in_its_column(
    ba_trang, ba_trang_plan, commune_officer, team
):
    rows = [event_row(f_dt_adult=0, f_dt_child=0, m_dt_adult=0, total=None)]

    _importer, result = check(commune_officer, ba_trang, EVENTS, rows)

    with translation.override("vi"):
        assert result.messages == [
            "Dòng 2, cột “Tổng số người tham gia”: nhập số người tham gia hoặc danh sách."
        ]


def test_the_same_person_twice_in_a_file_is_refused_naming_the_first_row(
    ba_trang, commune_officer, team
):
    _importer, result = check(commune_officer, ba_trang, MEMBERS, [member_row(), member_row()])

    assert len(result.errors) == 1
    assert result.errors[0].row == 3
    assert result.errors[0].message == _("repeats row %(row)s (%(what)s)") % {
        "row": 2,
        "what": _("same group, name and year of birth"),
    }


def test_a_known_member_is_updated_not_added_twice(ba_trang, commune_officer, team):
    save(commune_officer, ba_trang, MEMBERS, [member_row()])

    _importer, result, counts = save(
        commune_officer, ba_trang, MEMBERS, [member_row(left="30/12/2023"), member_row("Mới")]
    )

    assert counts == {"rows": 2, "created": 1, "updated": 1, "unchanged": 0}
    lan = team.members.get(full_name="Đinh Thị Lan")
    assert lan.left_on == D(2023, 12, 30)
    assert team.members.count() == 2


def test_a_village_head_may_upload_only_rows_of_their_village(
    villages, village_head, team, ethnic_groups
):
    other = CommunityGroup.objects.create(
        kind="communication_team",
        name="Tổ Bùi Hui",
        org_unit=villages["Bùi Hui"],
        founded_on=D(2023, 10, 2),
    )
    rows = [member_row(), member_row("Đinh Văn Tư", group=other.name)]

    _importer, result = check(village_head, villages["Nước Đang"], MEMBERS, rows)

    assert len(result.errors) == 1
    error = result.errors[0]
    assert cells(result) == [(3, _("Group"))]
    assert "Bùi Hui" in error.message and "Nước Đang" in error.message
    assert CommunityGroupMember.objects.count() == 0


def test_a_village_head_cannot_upload_for_the_commune(ba_trang, village_head):
    from duan8.core.audit import NotVisible

    with pytest.raises(NotVisible):
        excel_scope(actor=village_head, unit_id=ba_trang.pk)


def test_a_reader_cannot_upload(ba_trang, commune_leader, team):
    with pytest.raises(PermissionDenied):
        check(commune_leader, ba_trang, MEMBERS, [member_row()])


def test_a_row_in_a_locked_period_is_refused(ba_trang, commune_officer, team):
    DataLock.objects.create(
        org_unit=ba_trang, period_start=D(2023, 1, 1), period_end=D(2023, 12, 31), reason="Đã duyệt"
    )

    _importer, result = check(commune_officer, ba_trang, MEMBERS, [member_row()])

    assert cells(result) == [(2, _("Joined on"))]
    assert "Đã duyệt" in result.errors[0].message


# --- events ----------------------------------------------------------------------------------


def event_row(**changes):
    row = {
        "activity": "ND1.HD2.2 - Hỗ trợ Tổ truyền thông",
        "kind": "Communication session",
        "title": "Truyền thông xóa bỏ tảo hôn",
        "held_on": "05/11/2023",
        "ended_on": None,
        "unit": "Thôn Nước Đang",
        "place": "Nhà văn hóa thôn",
        "organiser": "Chi hội phụ nữ thôn",
        "group": TEAM,
        "cost": 1500000,
        "f_dt_adult": 20,
        "f_dt_child": 3,
        "f_k_adult": 0,
        "f_k_child": 0,
        "m_dt_adult": 8,
        "m_dt_child": None,
        "m_k_adult": None,
        "m_k_child": None,
        "total": 31,
        "notes": "",
    }
    row.update(changes)
    return list(row.values())


def test_events_with_counts_are_saved_with_their_cells(
    ba_trang, ba_trang_plan, commune_officer, team
):
    _importer, result, counts = save(commune_officer, ba_trang, EVENTS, [event_row()])

    assert counts["created"] == 1, result.messages
    event = Event.objects.get()
    assert (event.kind, event.org_unit.name, event.group, event.cost) == (
        "communication",
        "Nước Đang",
        team,
        1500000,
    )
    assert event.activity.code == "1719.GD1.DA8.ND1.HD2.2"
    cells = set(event.counts.values_list("sex", "minority", "age_group", "count"))
    assert cells == {("F", True, "adult", 20), ("F", True, "child", 3), ("M", True, "adult", 8)}


def test_bad_events_are_refused_row_by_row(ba_trang, ba_trang_plan, commune_officer, team):
    rows = [
        event_row(activity="ND9.HD9 - không có"),
        event_row(held_on="05/11/2022", title="Năm trước"),
        event_row(f_dt_adult=-4, title="Âm"),
        event_row(total=99, title="Tổng sai"),
        event_row(unit="Thôn Không Có", title="Thôn lạ"),
        event_row(f_dt_adult=0, f_dt_child=0, m_dt_adult=0, total=None, title="Không ai"),
    ]

    _importer, result = check(commune_officer, ba_trang, EVENTS, rows)

    found = set(cells(result))
    assert found == {
        (2, _("Plan activity")),
        (3, _("Date held")),
        (4, _("Women, ethnic minority (16 and over)")),
        (5, _("Total participants")),
        (6, _("Village or commune")),
        (7, _("Total participants")),
    }
    messages = {e.row: e.message for e in result.errors}
    assert "05/11/2022" in messages[3] and "2023" in messages[3]  # the row's date, the plan's year
    not_the_sum = _("the total %(total)s is not the sum of the numbers, %(sum)s")
    assert messages[5] == not_the_sum % {"total": 99, "sum": 31}
    assert Event.objects.count() == 0


def test_numbers_that_contradict_a_recorded_list_are_refused(
    ba_trang, ba_trang_plan, villages, commune_officer, ethnic_groups
):
    event = event_samples(ba_trang_plan, villages, commune_officer)["event"]  # a list of 2
    row = event_row(
        activity="ND3.HD1.2",
        kind="dialogue",
        title=event.title,
        held_on="12/10/2023",
        unit="Bùi Hui",
        group=None,
        f_dt_adult=5,
        f_dt_child=None,
        m_dt_adult=None,
        total=None,
    )

    _importer, result = check(commune_officer, ba_trang, EVENTS, [row])

    assert cells(result) == [(2, _("Total participants"))]
    contradicts = _(
        "the numbers (%(given)s people) contradict the list of %(listed)s people "
        "recorded for this event; change the list instead"
    )
    assert result.errors[0].message == contradicts % {"given": 5, "listed": 2}


def test_an_event_uploaded_again_is_unchanged_or_updated_not_doubled(
    ba_trang, ba_trang_plan, commune_officer, team
):
    save(commune_officer, ba_trang, EVENTS, [event_row()])

    _i, _r, same = save(commune_officer, ba_trang, EVENTS, [event_row()])
    _i, _r, changed = save(commune_officer, ba_trang, EVENTS, [event_row(m_dt_adult=10, total=33)])

    assert same["unchanged"] == 1 and changed["updated"] == 1
    assert Event.objects.count() == 1
    assert ParticipantCount.objects.get(sex="M").count == 10
    assert Event.objects.get().version == 2


# --- participants of one event ---------------------------------------------------------------


def _participants(actor, event, rows):
    scope = excel_event_scope(actor=actor, event_id=event.pk)
    lists = lists_build(scope, [c.choices for c in PARTICIPANTS.columns])
    blank = workbook_write(kind=PARTICIPANTS, scope=scope, lists=lists)
    source = io.BytesIO(fill(blank, rows))
    return excel_import_save(
        actor=actor, scope=scope, kind=PARTICIPANTS, source=source, name="ds.xlsx"
    )


def test_a_nominee_list_replaces_the_list_and_the_counts_follow(
    ba_trang_plan, villages, commune_officer, ethnic_groups
):
    event = event_samples(ba_trang_plan, villages, commune_officer)["event"]
    rows = [
        ["Đinh Thị Bùi", "Nữ", "19 - Hrê", 1988, "Chi hội trưởng", "Bùi Hui"],
        ["Hồ Thị Mai", "Nữ", "30", 2010, "", "Bùi Hui"],
        ["Nguyễn Văn An", "Nam", "Kinh", 1980, "Cán bộ xã", "Xã Ba Trang"],
    ]

    _importer, result, counts = _participants(commune_officer, event, rows)

    assert counts is not None, result.messages
    assert list(event.participants.values_list("full_name", flat=True)) == [r[0] for r in rows]
    cells = set(event.counts.values_list("sex", "minority", "age_group", "count"))
    assert cells == {("F", True, "adult", 1), ("F", True, "child", 1), ("M", False, "adult", 1)}


def test_a_list_contradicting_the_typed_numbers_is_refused(
    ba_trang_plan, villages, commune_officer, ethnic_groups
):
    event = event_create(
        actor=commune_officer,
        data=EventInput(
            plan=ba_trang_plan,
            activity=ProgramElement.objects.get(code="1719.GD1.DA8.ND3.HD4.1"),
            kind="nomination",
            title="Cử cán bộ nữ đi tập huấn",
            held_on=D(2023, 10, 20),
            org_unit=ba_trang_plan.issuing_unit,
            counts=[CountInput("F", True, "adult", 3)],
        ),
    )

    _importer, result, counts = _participants(
        commune_officer, event, [["Phạm Thị Hoa", "Nữ", "19 - Hrê", 1990, "", ""]]
    )

    assert counts is None
    assert len(result.errors) == 1 and result.errors[0].row is None
    contradicts = _(
        "the counts (%(counts)s people) contradict the list of %(listed)s people; "
        "give one or make them agree."
    )
    assert result.errors[0].message == contradicts % {"counts": 3, "listed": 1}
    assert Participant.objects.filter(event=event).count() == 0


# --- groups, cadres, difficulties ------------------------------------------------------------


def test_groups_are_created_and_a_new_status_is_added(ba_trang, commune_officer, villages):
    row = [
        "communication_team",
        "Tổ truyền thông thôn Kon Riêng",
        "Kon Riêng",
        "",
        "02/10/2023",
        None,
        "Zalo group",
        "zalo.me/g/konrieng",
        "Loa kéo; micro",
        None,
        None,
        "",
    ]
    save(commune_officer, ba_trang, GROUPS, [row])
    row[9], row[10] = "Paused", "01/12/2023"

    _i, _r, counts = save(commune_officer, ba_trang, GROUPS, [row])

    group = CommunityGroup.objects.get()
    assert counts["updated"] == 1
    assert (group.channel, group.equipment) == ("zalo", "Loa kéo\nmicro")
    assert list(group.statuses.values_list("status", "on")) == [
        ("founded", D(2023, 10, 2)),
        ("paused", D(2023, 12, 1)),
    ]


def test_a_status_change_needs_its_date(ba_trang, commune_officer, villages):
    row = ["change_club", "CLB Thủ lĩnh", "Xã Ba Trang", "Trường THCS", "01/09/2023", None, None]
    row += ["", "", "Dissolved", None, ""]

    _importer, result = check(commune_officer, ba_trang, GROUPS, [row])

    assert cells(result) == [(2, _("Status since"))]


def test_women_cadres_must_be_of_an_ethnic_minority(ba_trang, commune_officer, ethnic_groups):
    rows = [
        [
            "Xã Ba Trang",
            "Phạm Thị Hoa",
            "19 - Hrê",
            1990,
            "Phó Chủ tịch Hội LHPN xã",
            "planned",
            "01/03/2023",
            None,
            "",
        ],
        [
            "Xã Ba Trang",
            "Nguyễn Thị Hà",
            "01 - Kinh",
            1985,
            "Cán bộ",
            "planned",
            "01/03/2023",
            None,
            "",
        ],
    ]

    _importer, result = check(commune_officer, ba_trang, CADRES, rows)

    assert cells(result) == [(3, _("Ethnicity"))]
    _importer, _result, counts = save(commune_officer, ba_trang, CADRES, rows[:1])
    assert counts["created"] == 1 and WomanCadre.objects.get().status == "planned"


def test_difficulties_are_raised_and_dates_outside_the_plan_year_refused(
    ba_trang, ba_trang_plan, commune_officer, villages
):
    rows = [
        ["Thôn Nước Đang", "Trưởng thôn", "02/11/2023", "Thiếu loa truyền thanh", "ND1.HD2.2"],
        ["Thôn Nước Đang", "Trưởng thôn", "02/11/2022", "Năm trước", None],
    ]

    _importer, result = check(commune_officer, ba_trang, DIFFICULTIES, rows)

    assert cells(result) == [(3, _("Raised on"))]
    _i, _r, counts = save(commune_officer, ba_trang, DIFFICULTIES, rows[:1])
    difficulty = Difficulty.objects.get()
    assert counts["created"] == 1 and difficulty.plan == ba_trang_plan
    assert difficulty.activity.code == "1719.GD1.DA8.ND1.HD2.2"


# --- files -----------------------------------------------------------------------------------


def test_a_file_with_other_headers_is_refused_before_any_row(ba_trang, commune_officer, team):
    scope, blank = template(commune_officer, ba_trang, MEMBERS)
    content = fill(blank, [["Họ tên", "Giới"]], start=1)

    with pytest.raises(ValidationError) as refused:
        excel_import_check(
            actor=commune_officer,
            scope=scope,
            kind=MEMBERS,
            source=io.BytesIO(content),
            name="x.xlsx",
        )

    text = " ".join(refused.value.messages)
    assert "“Họ tên”" in text and f"“{_('Group')}”" in text


def test_a_file_that_is_not_excel_is_refused(ba_trang, commune_officer, team):
    scope, _blank = template(commune_officer, ba_trang, MEMBERS)

    with pytest.raises(ValidationError) as refused:
        excel_import_check(
            actor=commune_officer,
            scope=scope,
            kind=MEMBERS,
            source=io.BytesIO(b"PK\x03\x04 not really a zip"),
            name="hong.xlsx",
        )

    assert "hong.xlsx" in refused.value.messages[0]
