import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from duan8.activities.models import Event
from duan8.activities.selectors.progress import plan_progress
from duan8.activities.services.events import CountInput, EventInput, PersonInput, event_create
from duan8.activities.services.groups import GroupInput, community_group_create
from duan8.activities.services.members import MemberInput
from duan8.programs.models import ProgramElement

D = datetime.date


def test_progress_counts_team_and_sessions_per_village(
    ba_trang_plan, villages, commune_officer, indicator_rules, ethnic_groups
):
    nuoc_dang = villages["Nước Đang"]
    team = community_group_create(
        actor=commune_officer,
        data=GroupInput(
            kind="communication_team",
            name="Tổ truyền thông thôn Nước Đang",
            org_unit=nuoc_dang,
            founded_on=D(2023, 10, 2),
            plan=ba_trang_plan,
            channel="zalo",
        ),
        members=[
            MemberInput("Đinh Thị Lan", "F", ethnic_groups["19"], D(2023, 10, 2), 1985, "leader"),
            MemberInput("Đinh Văn Tư", "M", ethnic_groups["19"], D(2023, 10, 2), 1979),
        ],
    )
    activity = ProgramElement.objects.get(code="1719.GD1.DA8.ND1.HD2.2")
    event_create(
        actor=commune_officer,
        data=EventInput(
            plan=ba_trang_plan,
            activity=activity,
            kind="communication",
            title="Truyền thông xóa bỏ tảo hôn",
            held_on=D(2023, 11, 5),
            org_unit=nuoc_dang,
            group=team,
            counts=[CountInput("F", True, "adult", 20), CountInput("M", True, "adult", 8)],
        ),
    )
    progress = plan_progress(actor=commune_officer, plan=ba_trang_plan)
    by_code = {line.element.code: line for line in progress.lines}
    teams = by_code["1719.GD1.DA8.ND1.HD1.1"]
    assert teams.actual == 1
    village_values = {v.unit.name: v.actual for v in teams.villages}
    assert village_values == {"Bùi Hui": 0, "Kon Riêng": 0, "Nước Đang": 1}
    assert by_code["1719.GD1.DA8.ND1.HD2.2"].actual == 1


def test_counts_contradicting_the_list_are_refused(
    ba_trang_plan, villages, commune_officer, ethnic_groups, program_structure
):
    activity = ProgramElement.objects.get(code="1719.GD1.DA8.ND3.HD4.1")
    data = EventInput(
        plan=ba_trang_plan,
        activity=activity,
        kind="nomination",
        title="Cử cán bộ nữ đi tập huấn",
        held_on=D(2023, 10, 20),
        org_unit=ba_trang_plan.issuing_unit,
        counts=[CountInput("F", True, "adult", 3)],
        participants=[PersonInput("Phạm Thị Hoa", "F", ethnic_groups["19"], 1990)],
    )
    with pytest.raises(ValidationError) as exc:
        event_create(actor=commune_officer, data=data)
    contradicts = _(
        "the counts (%(counts)s people) contradict the list of %(listed)s people; "
        "give one or make them agree."
    )
    assert exc.value.message_dict == {"participants": [contradicts % {"counts": 3, "listed": 1}]}
    assert not Event.objects.exists()
    data.held_on = D(2024, 1, 3)
    data.counts = []
    with pytest.raises(ValidationError) as exc:
        event_create(actor=commune_officer, data=data)
    outside = _("%(date)s is outside the plan's year %(year)s.")
    assert outside % {"date": "03/01/2024", "year": 2023} in exc.value.message_dict["held_on"]
