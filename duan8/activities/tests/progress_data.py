"""A year of a commune's records, built fast (bulk inserts), for the progress page's query-count
test and for bench/bench_progress_page.py. The figures are plausible, not real: each village has
a communication team with members, a share of villages a club and a women-led livelihood group,
and events of the kinds the indicator rules count, every one with participant counts.
"""

import datetime
import random

from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    Difficulty,
    EthnicGroup,
    Event,
    ParticipantCount,
    WomanCadre,
)
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.services import org_unit_save_with_path
from duan8.programs.models import Plan, ProgramElement

# (event kind, activity code) pairs the indicator rules count.
EVENT_KINDS = [
    ("communication", "1719.GD1.DA8.ND1.HD2.2"),
    ("campaign", "1719.GD1.DA8.ND1.HD2.2"),
    ("communication", "1719.GD1.DA8.ND1.HD1.1"),
    ("dialogue", "1719.GD1.DA8.ND3.HD1.2"),
    ("broadcast", "1719.GD1.DA8.ND3.HD1.3"),
    ("training", "1719.GD1.DA8.ND1.HD1.3"),
    ("contest", "1719.GD1.DA8.ND1.HD3.1"),
    ("supervision", "1719.GD1.DA8.ND1.HD4.3"),
    ("review", "1719.GD1.DA8.ND3.HD3.1"),
    ("training", "1719.GD1.DA8.ND4.3"),
]
FIRST_NAMES = ["Lan", "Hoa", "Mai", "Tư", "Nước", "Hùng", "Thương", "Liên", "Sáu", "Bảy"]


def add_villages(commune: OrgUnit, count: int, *, start: int = 1) -> list[OrgUnit]:
    """``count`` villages "Thôn 01", "Thôn 02", ... under ``commune``."""
    return [
        org_unit_save_with_path(
            OrgUnit(
                code_scheme=OrgUnit.CodeScheme.LOCAL,
                code=f"{commune.code}-T{n:03d}",
                name=f"Thôn {n:02d}",
                level=OrgUnit.Level.VILLAGE,
                kind="Thôn",
                parent=commune,
                valid_to=commune.valid_to,
            )
        )
        for n in range(start, start + count)
    ]


def year_of_records(
    *,
    plan: Plan,
    villages: list[OrgUnit],
    events_per_village: int = 100,
    members_per_team: int = 15,
    seed: int = 8,
) -> dict[str, int]:
    """Bulk-insert a year of work in ``villages`` under ``plan``; returns what was written."""
    rng = random.Random(seed)
    year = plan.year
    activities = {
        e.code: e
        for e in ProgramElement.objects.filter(code__in={code for _kind, code in EVENT_KINDS})
    }
    minority, kinh = EthnicGroup.objects.get(code="19"), EthnicGroup.objects.get(code="01")
    groups: list[CommunityGroup] = []
    for index, village in enumerate(villages):
        groups.append(
            CommunityGroup(
                kind=CommunityGroup.Kind.COMMUNICATION_TEAM,
                name=f"Tổ truyền thông {village.full_name}",
                org_unit=village,
                founded_on=datetime.date(year, 1 + index % 6, 2),
                plan=plan,
                channel=CommunityGroup.Channel.ZALO if index % 2 else "",
            )
        )
        if index % 3 == 0:
            groups.append(
                CommunityGroup(
                    kind=CommunityGroup.Kind.CHANGE_CLUB,
                    name=f"CLB Thủ lĩnh của sự thay đổi {village.full_name}",
                    org_unit=village,
                    school=f"Trường THCS {village.name}",
                    founded_on=datetime.date(year, 3, 1),
                    plan=plan,
                )
            )
        if index % 4 == 0:
            groups.append(
                CommunityGroup(
                    kind=CommunityGroup.Kind.LIVELIHOOD_GROUP,
                    name=f"Tổ sinh kế {village.full_name}",
                    org_unit=village,
                    founded_on=datetime.date(year - 1, 6, 1),
                    women_leadership=CommunityGroup.WomenLeadership.LEAD,
                )
            )
    groups = CommunityGroup.objects.bulk_create(groups)
    CommunityGroupStatus.objects.bulk_create(
        CommunityGroupStatus(group=g, status=CommunityGroupStatus.Status.FOUNDED, on=g.founded_on)
        for g in groups
    )
    members = [
        CommunityGroupMember(
            group=group,
            full_name=f"{'Đinh Thị' if n % 3 else 'Đinh Văn'} {FIRST_NAMES[n % len(FIRST_NAMES)]}",
            sex="F" if n % 3 else "M",
            ethnic_group=minority if n % 5 else kinh,
            birth_year=1970 + n % 30,
            role=CommunityGroupMember.Role.LEADER if n == 0 else CommunityGroupMember.Role.MEMBER,
            joined_on=group.founded_on,
        )
        for group in groups
        for n in range(members_per_team)
    ]
    CommunityGroupMember.objects.bulk_create(members, batch_size=2000)
    team_of = {g.org_unit_id: g for g in groups if g.kind == CommunityGroup.Kind.COMMUNICATION_TEAM}

    events = []
    for village in villages:
        for n in range(events_per_village):
            kind, code = EVENT_KINDS[n % len(EVENT_KINDS)]
            held_on = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
            events.append(
                Event(
                    plan=plan,
                    activity=activities[code],
                    kind=kind,
                    title=f"Buổi {n + 1} tại {village.full_name}",
                    held_on=held_on,
                    org_unit=village,
                    group=team_of.get(village.pk) if kind == "communication" else None,
                    cost=50000,
                )
            )
    events = Event.objects.bulk_create(events, batch_size=2000)
    counts = [
        ParticipantCount(event=event, sex=sex, minority=is_minority, age_group=age, count=count)
        for event in events
        if event.kind != "broadcast"
        for sex, is_minority, age, count in (
            ("F", True, "adult", rng.randint(5, 30)),
            ("M", True, "adult", rng.randint(2, 15)),
            ("F", False, "adult", rng.randint(0, 3)),
            ("F", True, "child", rng.randint(0, 10)),
        )
    ]
    ParticipantCount.objects.bulk_create(counts, batch_size=5000)
    cadres = [
        WomanCadre(
            org_unit=village,
            full_name=f"Phạm Thị {FIRST_NAMES[i % len(FIRST_NAMES)]}",
            ethnic_group=minority,
            position="Chi hội trưởng phụ nữ thôn",
            status=WomanCadre.Status.IN_POSITION,
            since=datetime.date(year - 2, 1, 1),
            plan=plan,
        )
        for i, village in enumerate(villages)
    ]
    WomanCadre.objects.bulk_create(cadres)
    difficulties = [
        Difficulty(
            org_unit=village,
            plan=plan,
            raised_by=f"Trưởng {village.full_name}",
            raised_on=datetime.date(year, 5, 1 + i % 28),
            description="Thiếu kinh phí tổ chức sinh hoạt tổ truyền thông",
        )
        for i, village in enumerate(villages)
        if i % 5 == 0
    ]
    Difficulty.objects.bulk_create(difficulties)
    return {
        "groups": len(groups),
        "members": len(members),
        "events": len(events),
        "participant_cells": len(counts),
        "cadres": len(cadres),
        "difficulties": len(difficulties),
    }
