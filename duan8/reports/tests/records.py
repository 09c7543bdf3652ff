"""Small builders of records for the roll-up tests (written straight to the database: the
services that check them are tested in activities)."""

import datetime

from duan8.activities.models import CommunityGroup, CommunityGroupStatus, Event, ParticipantCount
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement, Target

PROJECT = "1719.GD1.DA8"
SESSIONS = "1719.GD1.DA8.ND1.HD2.2"  # communication sessions held by the teams
TEAMS = "1719.GD1.DA8.ND1.HD1.1"  # community communication teams
DIALOGUES = "1719.GD1.DA8.ND3.HD1.2"  # policy dialogues


def plan_for(commune: OrgUnit, year: int, **targets: int) -> Plan:
    """A minimal plan of ``commune`` for ``year``; ``targets`` by element code with "." → "_"."""
    plan = Plan.objects.create(
        project=ProgramElement.objects.get(code=PROJECT),
        issuing_unit=commune,
        year=year,
        number=len(Plan.objects.filter(issuing_unit=commune)) + 1,
        issuing_body=f"UBND {commune.full_name}",
        title=f"Kế hoạch thực hiện Dự án 8 năm {year}",
    )
    for code, value in targets.items():
        Target.objects.create(
            plan=plan,
            element=ProgramElement.objects.get(code=code.replace("_", ".")),
            scope=Target.Scope.COMMUNE,
            kind=Target.Kind.NUMBER,
            value=value,
        )
    return plan


def session(
    plan: Plan,
    unit: OrgUnit,
    held_on: datetime.date,
    *,
    women: int = 0,
    men: int = 0,
    kinh_women: int = 0,
    girls: int = 0,
    kind: str = Event.Kind.COMMUNICATION,
    activity: str = SESSIONS,
) -> Event:
    """A communication session (by default) with participants: minority adults unless said."""
    event = Event.objects.create(
        plan=plan,
        activity=ProgramElement.objects.get(code=activity),
        kind=kind,
        title="Truyền thông xóa bỏ tảo hôn",
        held_on=held_on,
        org_unit=unit,
    )
    cells = [
        ("F", True, "adult", women),
        ("M", True, "adult", men),
        ("F", False, "adult", kinh_women),
        ("F", True, "child", girls),
    ]
    ParticipantCount.objects.bulk_create(
        ParticipantCount(event=event, sex=sex, minority=minority, age_group=age, count=n)
        for sex, minority, age, n in cells
        if n
    )
    return event


def team(unit: OrgUnit, founded_on: datetime.date) -> CommunityGroup:
    group = CommunityGroup.objects.create(
        kind=CommunityGroup.Kind.COMMUNICATION_TEAM,
        name=f"Tổ truyền thông cộng đồng {unit.full_name}",
        org_unit=unit,
        founded_on=founded_on,
    )
    CommunityGroupStatus.objects.create(group=group, status="founded", on=founded_on)
    return group
