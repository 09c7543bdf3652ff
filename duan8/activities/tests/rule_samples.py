"""Rules that name every filter of every source, and records that each filter splits.

The readings of a rule (``rule_queryset``'s query, the engine's FILTER columns in
``activities.values``, the grouped rows of the records listed under text targets) are tested
against each other on these; the
tests also check that ``EVERY_FILTER`` keeps up with ``rule_filters.SOURCES``, so a new filter
cannot go untested.
"""

import datetime

from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    Difficulty,
    EthnicGroup,
    WomanCadre,
)
from duan8.activities.tests.progress_data import year_of_records
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan

# Every filter a rule can name, alone and combined, on every kind of record.
EVERY_FILTER: list[tuple[str, dict]] = [
    ("groups", {}),
    ("groups", {"kinds": ["livelihood_group"], "women_leadership": ["lead", "co_lead"]}),
    ("groups", {"women_leadership": ["co_lead"]}),
    ("groups", {"kinds": ["communication_team"], "has_channel": True}),
    ("groups", {"has_channel": False}),  # false: no narrowing
    ("groups", {"founded_in_year": True}),
    ("groups", {"kinds": ["change_club", "communication_team"], "founded_in_year": True}),
    ("members", {}),
    ("members", {"kinds": ["communication_team"], "sex": "M"}),
    ("members", {"sex": "F"}),
    ("members", {"kinds": ["change_club", "livelihood_group"]}),
    ("events", {}),
    ("events", {"kinds": ["dialogue", "broadcast"]}),
    ("events", {"activities": ["1719.GD1.DA8.ND1"]}),
    ("events", {"kinds": ["communication"], "activities": ["1719.GD1.DA8.ND1.HD2.2"]}),
    ("events", {"kinds": [], "activities": []}),  # empty lists: no narrowing
    ("participants", {}),
    ("participants", {"sex": "F", "minority": True}),
    ("participants", {"minority": False}),
    ("participants", {"age_group": "child", "activities": ["1719.GD1.DA8.ND1.HD2.2"]}),
    ("participants", {"kinds": ["training"], "sex": "M", "age_group": "adult"}),
    ("participants", {"kinds": ["communication", "dialogue"], "activities": ["1719.GD1.DA8.ND3"]}),
    ("cadres", {}),
    ("cadres", {"statuses": ["in_position"]}),
    ("cadres", {"statuses": ["planned", "trained"]}),
    ("difficulties", {}),
    ("difficulties", {"statuses": ["open", "escalated"]}),
    ("difficulties", {"statuses": ["resolved"]}),
]


def varied_records(*, plan: Plan, villages: list[OrgUnit], events_per_village: int) -> None:
    """``year_of_records``, then changed so that every filter value keeps some records of its
    source and leaves others: groups co-led by a woman, cadres of every status, in office
    or out of it, difficulties of every status, members who left, a group dissolved."""
    year_of_records(plan=plan, villages=villages, events_per_village=events_per_village)
    D = datetime.date
    unit_ids = [v.pk for v in villages]
    livelihood = CommunityGroup.objects.filter(
        org_unit_id__in=unit_ids, kind=CommunityGroup.Kind.LIVELIHOOD_GROUP
    ).order_by("pk")
    CommunityGroup.objects.filter(pk__in=livelihood.values("pk")[:1]).update(
        women_leadership=CommunityGroup.WomenLeadership.CO_LEAD, founded_on=D(plan.year, 4, 1)
    )
    club = CommunityGroup.objects.filter(
        org_unit_id__in=unit_ids, kind=CommunityGroup.Kind.CHANGE_CLUB
    ).first()
    if club is not None:
        CommunityGroupStatus.objects.create(
            group=club, status=CommunityGroupStatus.Status.DISSOLVED, on=D(plan.year - 1, 12, 1)
        )
    members = list(
        CommunityGroupMember.objects.filter(group__org_unit_id__in=unit_ids).order_by("pk")
    )
    for member in members[::7]:  # some leave in the year, some before it
        member.left_on = member.joined_on + datetime.timedelta(days=40)
    CommunityGroupMember.objects.bulk_update(members[::7], ["left_on"])
    minority = EthnicGroup.objects.get(code="19")
    WomanCadre.objects.bulk_create(
        WomanCadre(
            org_unit=village,
            full_name=f"Hồ Thị {status}",
            ethnic_group=minority,
            position="Hội viên",
            status=status,
            since=D(plan.year - 1, 3, 1),
            until=D(plan.year - 1, 12, 31) if n % 2 else D(plan.year, 4, 15),
            plan=plan,
        )
        for village in villages
        for n, status in enumerate(WomanCadre.Status.values)
    )
    Difficulty.objects.bulk_create(
        Difficulty(
            org_unit=village,
            plan=plan,
            raised_by=f"Trưởng {village.full_name}",
            raised_on=D(plan.year, 1 + (3 * n + i) % 12, 10),
            description="Thiếu nơi sinh hoạt",
            status=status,
        )
        for i, village in enumerate(villages)
        for n, status in enumerate(Difficulty.Status.values)
    )
