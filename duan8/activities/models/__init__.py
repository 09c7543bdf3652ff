"""What is carried out under a plan: community groups and their members, events with their
participants, women cadres, difficulties; the rules that turn these records into indicator
values; and the locks that approval puts on a unit's data for a period.

Records belong to the unit where the work happens (a village, or the commune itself), so
progress rolls up by the unit path and survives later changes of the map.

The models live in one module per subject; every name is imported from here
(``from duan8.activities.models import Event``).
"""

from duan8.activities.models.common import (
    CHILD_AGE_LIMIT,
    AgeGroup,
    EthnicGroup,
    Sex,
    age_group_for,
)
from duan8.activities.models.events import Attachment, Event, Participant, ParticipantCount
from duan8.activities.models.groups import (
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
)
from duan8.activities.models.records import DataLock, Difficulty, IndicatorRule, WomanCadre

__all__ = [
    "CHILD_AGE_LIMIT",
    "AgeGroup",
    "Attachment",
    "CommunityGroup",
    "CommunityGroupMember",
    "CommunityGroupStatus",
    "DataLock",
    "Difficulty",
    "EthnicGroup",
    "Event",
    "IndicatorRule",
    "Participant",
    "ParticipantCount",
    "Sex",
    "WomanCadre",
    "age_group_for",
]
