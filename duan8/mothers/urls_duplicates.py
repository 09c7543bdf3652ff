"""URLs of the registry's duplicates part and of the proposal list in Excel (merged in
mothers.urls)."""

from django.urls import URLPattern, path

from duan8.mothers import views_duplicates, views_excel

urlpatterns: list[URLPattern] = [
    path(
        "xa/<int:pk>/trung-lap/",
        views_duplicates.duplicate_list_view,
        name="duplicate_list",
    ),
    path(
        "trung-lap/<int:pk>/xac-nhan/",
        views_duplicates.duplicate_confirm_view,
        name="duplicate_confirm",
    ),
    path(
        "trung-lap/<int:pk>/bo-qua/",
        views_duplicates.duplicate_dismiss_view,
        name="duplicate_dismiss",
    ),
    # the health station's proposal list in Excel (issue 13, point 6)
    path(
        "xa/<int:pk>/de-nghi-excel/",
        views_excel.proposal_upload_view,
        name="proposal_upload",
    ),
    path(
        "xa/<int:pk>/de-nghi-excel/mau.xlsx",
        views_excel.proposal_template_view,
        name="proposal_template",
    ),
    path(
        "xa/<int:pk>/de-nghi-excel/kiem-tra/",
        views_excel.proposal_preview_view,
        name="proposal_preview",
    ),
]
