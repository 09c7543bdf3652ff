"""Supervision (giám sát) by the Fatherland Front, the Women's Union or a community board: sessions
with their findings and recommendations, the recommendations followed to their answer, and the
social feedback (phản biện xã hội) on a draft plan.

Reads go through ``supervision.selectors`` (``records.view`` on the supervised unit, or
``supervision.answer`` on a recommendation's responsible unit); writes through the services the
pages call, which check ``supervision.record`` / ``supervision.answer`` and audit. The members'
names appear only to those the page shows them to (``members_visible``); the minutes are not served
here: the session carries a link to the page's guarded (and audited) download.
"""

from django.urls import path

from duan8.api.endpoints.supervision.plan_comments import PlanCommentsApi
from duan8.api.endpoints.supervision.recommendations import (
    RecommendationAcceptApi,
    RecommendationAnswerApi,
    RecommendationCreateApi,
    RecommendationKeepOpenApi,
    RecommendationListApi,
)
from duan8.api.endpoints.supervision.sessions import (
    FindingCreateApi,
    SessionDetailApi,
    SessionListApi,
)

urlpatterns = [
    path("supervision/sessions/", SessionListApi.as_view(), name="supervision_session_list"),
    path(
        "supervision/sessions/<int:pk>/",
        SessionDetailApi.as_view(),
        name="supervision_session_detail",
    ),
    path(
        "supervision/sessions/<int:pk>/findings/",
        FindingCreateApi.as_view(),
        name="supervision_finding_create",
    ),
    path(
        "supervision/sessions/<int:pk>/recommendations/",
        RecommendationCreateApi.as_view(),
        name="supervision_recommendation_create",
    ),
    path(
        "supervision/recommendations/",
        RecommendationListApi.as_view(),
        name="supervision_recommendation_list",
    ),
    path(
        "supervision/recommendations/<int:pk>/answer/",
        RecommendationAnswerApi.as_view(),
        name="supervision_recommendation_answer",
    ),
    path(
        "supervision/recommendations/<int:pk>/accept/",
        RecommendationAcceptApi.as_view(),
        name="supervision_recommendation_accept",
    ),
    path(
        "supervision/recommendations/<int:pk>/keep-open/",
        RecommendationKeepOpenApi.as_view(),
        name="supervision_recommendation_keep_open",
    ),
    path("plans/<int:pk>/comments/", PlanCommentsApi.as_view(), name="supervision_plan_comments"),
]
