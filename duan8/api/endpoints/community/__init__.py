"""Community groups (teams, clubs, trusted addresses, livelihood groups) with their members,
ethnic-minority women cadres, and difficulties raised in villages and communes.

Reads go through ``activities.selectors.community`` (404 outside the caller's units); writes
through the services the web pages call (``activities.services``: groups, members, cadres,
difficulties), which check rights, locks, versions and write the audit trail. Access is checked
before the body is read: an outsider's write is 403/404, never a 400 about a record it may not
see. Names, ethnicity and years of birth of persons (members, cadres) go only to holders of
``records.personal`` on the record's unit, through the selectors that audit each such read.
"""

from django.urls import path

from duan8.api.endpoints.community.cadres import WomanCadreDetailApi, WomanCadreListApi
from duan8.api.endpoints.community.changes import (
    CommunityGroupStatusApi,
    CommunityMemberLeaveApi,
)
from duan8.api.endpoints.community.difficulties import (
    DifficultyDetailApi,
    DifficultyEscalateApi,
    DifficultyListApi,
)
from duan8.api.endpoints.community.groups import CommunityGroupDetailApi, CommunityGroupListApi
from duan8.api.endpoints.community.members import CommunityGroupMembersApi

urlpatterns = [
    path("community-groups/", CommunityGroupListApi.as_view(), name="community_group_list"),
    path(
        "community-groups/<int:pk>/",
        CommunityGroupDetailApi.as_view(),
        name="community_group_detail",
    ),
    path(
        "community-groups/<int:pk>/members/",
        CommunityGroupMembersApi.as_view(),
        name="community_group_members",
    ),
    path(
        "community-groups/<int:pk>/members/<int:member_pk>/leave/",
        CommunityMemberLeaveApi.as_view(),
        name="community_member_leave",
    ),
    path(
        "community-groups/<int:pk>/status/",
        CommunityGroupStatusApi.as_view(),
        name="community_group_status",
    ),
    path("women-cadres/", WomanCadreListApi.as_view(), name="woman_cadre_list"),
    path("women-cadres/<int:pk>/", WomanCadreDetailApi.as_view(), name="woman_cadre_detail"),
    path("difficulties/", DifficultyListApi.as_view(), name="difficulty_list"),
    path("difficulties/<int:pk>/", DifficultyDetailApi.as_view(), name="difficulty_detail"),
    path(
        "difficulties/<int:pk>/escalate/",
        DifficultyEscalateApi.as_view(),
        name="difficulty_escalate",
    ),
]
