"""The batch services (one write path for records, issue 11): all rows or none, each problem on its
row and field, the locks and the versions checked before anything is written, one audit entry for
an upload."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from duan8.activities.models import CommunityGroupMember, DataLock, Difficulty, WomanCadre
from duan8.activities.services.cadres import (
    CadreChange,
    CadreInput,
    woman_cadre_save,
    woman_cadres_save_many,
)
from duan8.activities.services.difficulties import DifficultyInput, difficulties_save_many
from duan8.activities.services.groups import GroupInput, community_group_create
from duan8.activities.services.members import MemberInput, MemberNew, members_save_many
from duan8.activities.services.shared import Upload
from duan8.core.concurrency import EditConflict
from duan8.core.models import AuditEvent
from duan8.core.problems import Invalid

D = datetime.date


@pytest.fixture
def team(commune_officer, villages):
    data = GroupInput("communication_team", "Tổ Nước Đang", villages["Nước Đang"], D(2023, 3, 1))
    return community_group_create(actor=commune_officer, data=data)


def member(name, ethnic_group, **changes):
    values = {"full_name": name, "sex": "F", "ethnic_group": ethnic_group}
    values |= {"joined_on": D(2023, 4, 1), **changes}
    return MemberInput(**values)


def test_a_batch_is_saved_whole_or_not_at_all_each_problem_on_its_row_and_field(
    commune_officer, team, ethnic_groups
):
    hre = ethnic_groups["19"]
    rows = [
        MemberNew(team, member("Đinh Thị Lan", hre)),
        MemberNew(team, member("Đinh Văn Tư", hre, sex="X")),
        MemberNew(team, member("Hồ Thị Hoa", None, left_on=D(2023, 3, 1))),
    ]

    with translation.override("en"), pytest.raises(Invalid) as refused:
        members_save_many(actor=commune_officer, new=rows)

    assert [(p.row, p.field, p.message) for p in refused.value.problems] == [
        (2, "sex", "must be Nam or Nữ."),
        (3, "ethnic_group", "required."),
        (3, "left_on", "before the date joined."),
    ]
    assert not CommunityGroupMember.objects.filter(group=team).exists()


def test_a_row_in_a_locked_period_is_refused_naming_its_row_and_date(
    commune_officer, team, ethnic_groups, ba_trang
):
    DataLock.objects.create(
        org_unit=ba_trang, period_start=D(2023, 5, 1), period_end=D(2023, 5, 31), reason="Đã duyệt"
    )
    rows = [
        MemberNew(team, member("Đinh Thị Lan", ethnic_groups["19"])),
        MemberNew(team, member("Đinh Thị Mai", ethnic_groups["19"], joined_on=D(2023, 5, 2))),
    ]

    with pytest.raises(Invalid) as refused:
        members_save_many(actor=commune_officer, new=rows)

    [problem] = refused.value.problems
    assert (problem.row, problem.field, problem.code) == (2, "joined_on", "locked")
    assert "Đã duyệt" in problem.message
    assert not CommunityGroupMember.objects.filter(group=team).exists()


def test_a_batch_needs_the_right_on_every_unit(village_head, villages, ethnic_groups):
    rows = [
        CadreInput(unit, "Phạm Thị Hoa", ethnic_groups["19"], "Cán bộ", "planned", D(2023, 3, 1))
        for unit in (villages["Nước Đang"], villages["Bùi Hui"])
    ]

    with pytest.raises(PermissionDenied):
        woman_cadres_save_many(actor=village_head, new=rows)

    assert not WomanCadre.objects.exists()


def test_a_change_made_on_an_old_version_is_refused_naming_who_saved_first(
    commune_officer, ba_trang, ethnic_groups
):
    data = CadreInput(
        ba_trang, "Phạm Thị Hoa", ethnic_groups["19"], "Cán bộ", "planned", D(2023, 3, 1)
    )
    cadre = woman_cadre_save(actor=commune_officer, data=data)
    loaded = cadre.version
    data.position = "Phó Chủ tịch Hội LHPN xã"
    woman_cadre_save(actor=commune_officer, data=data, cadre=cadre, expected_version=loaded)
    data.position = "Chủ tịch Hội LHPN xã"

    with translation.override("en"), pytest.raises(EditConflict) as refused:
        woman_cadres_save_many(
            actor=commune_officer,
            changes=[CadreChange(WomanCadre.objects.get(), data, loaded)],
            upload=Upload("cadres", "t.xlsx", rows=1, unchanged=0, org_unit=ba_trang),
        )

    assert refused.value.messages[0].startswith(
        f"This record was changed by {commune_officer.username} at "
    )
    assert WomanCadre.objects.get().position == "Phó Chủ tịch Hội LHPN xã"


def test_an_upload_is_audited_once_with_its_counts(commune_officer, ba_trang, villages):
    rows = [
        DifficultyInput(villages["Nước Đang"], "Trưởng thôn", D(2023, 11, 2), "Thiếu loa"),
        DifficultyInput(villages["Bùi Hui"], "Trưởng thôn", D(2023, 11, 3), "Thiếu micro"),
    ]
    upload = Upload("difficulties", "vuong-mac.xlsx", rows=3, unchanged=1, org_unit=ba_trang)

    saved = difficulties_save_many(actor=commune_officer, new=rows, upload=upload)

    assert len(saved) == 2 and Difficulty.objects.count() == 2
    entry = AuditEvent.objects.get(action="activities.difficulties.imported")
    assert entry.after == {
        "rows": 3,
        "created": 2,
        "updated": 0,
        "unchanged": 1,
        "file": "vuong-mac.xlsx",
    }
    assert not AuditEvent.objects.filter(action="activities.difficulty.raised").exists()
