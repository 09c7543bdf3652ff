"""Programs and plans: the program structure (programs, phases and their elements), the plans the
caller may see with their two appendices (targets; allocation rows, columns and cells), and the
writes the plan pages allow, through the same services and the same rule (``plan_access``):
the plan's text (``plan_texts_update``), targets (``targets_set``), allocation
(``allocation_set``), approval (``plan_approve``), a unit's new plan (``plan_new``), and an
approved plan's amendment started or its draft discarded (``plan_amend``,
``plan_amendment_discard``), and its legal bases, focus contents and responsibilities
(``plan_legal_bases``, ``plan_focus``, ``plan_responsibilities``).

There is no "submit" step for a plan (a draft is approved, or amended later), so no endpoint
for it. Each write answers the plan as it is now, with its version as the ETag.
"""

from django.urls import path

from duan8.api.endpoints.programs.elements import ProgramElementListApi, ProgramListApi
from duan8.api.endpoints.programs.plan_lifecycle import (
    PlanAmendApi,
    PlanAmendmentDiscardApi,
    PlanNewApi,
)
from duan8.api.endpoints.programs.plan_parts import (
    PlanFocusApi,
    PlanLegalBasesApi,
    PlanResponsibilitiesApi,
)
from duan8.api.endpoints.programs.plan_read import PlanDetailApi, PlanListApi
from duan8.api.endpoints.programs.plan_write import (
    PlanAllocationApi,
    PlanApproveApi,
    PlanTargetsApi,
)

urlpatterns = [
    path("programs/", ProgramListApi.as_view(), name="program_list"),
    path("programs/<str:code>/elements/", ProgramElementListApi.as_view(), name="program_elements"),
    path("plans/", PlanListApi.as_view(), name="plan_list"),
    path("plans/<int:pk>/", PlanDetailApi.as_view(), name="plan_detail"),
    path("plans/<int:pk>/targets/", PlanTargetsApi.as_view(), name="plan_targets"),
    path("plans/<int:pk>/allocation/", PlanAllocationApi.as_view(), name="plan_allocation"),
    path("plans/<int:pk>/legal-bases/", PlanLegalBasesApi.as_view(), name="plan_legal_bases"),
    path("plans/<int:pk>/focus/", PlanFocusApi.as_view(), name="plan_focus"),
    path(
        "plans/<int:pk>/responsibilities/",
        PlanResponsibilitiesApi.as_view(),
        name="plan_responsibilities",
    ),
    path("plans/<int:pk>/approve/", PlanApproveApi.as_view(), name="plan_approve"),
    path("org-units/<int:pk>/plans/", PlanNewApi.as_view(), name="plan_new"),
    path("plans/<int:pk>/amendments/", PlanAmendApi.as_view(), name="plan_amend"),
    path(
        "plans/<int:pk>/amendment/discard/",
        PlanAmendmentDiscardApi.as_view(),
        name="plan_amendment_discard",
    ),
]
