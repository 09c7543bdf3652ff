from django.urls import path

from duan8.programs import views, views_amend, views_assign, views_edit, views_new

app_name = "programs"
urlpatterns = [
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:pk>/chi-tieu/", views.plan_targets_edit, name="plan_targets_edit"),
    path("ke-hoach/<int:pk>/phan-bo/", views.plan_allocation_edit, name="plan_allocation_edit"),
    path("ke-hoach/<int:pk>/phe-duyet/", views.plan_approve_view, name="plan_approve"),
    path("ke-hoach/<int:pk>/van-ban/", views_edit.plan_text_edit, name="plan_text_edit"),
    path(
        "ke-hoach/<int:pk>/can-cu/",
        views_edit.plan_legal_bases_edit,
        name="plan_legal_bases_edit",
    ),
    path("ke-hoach/<int:pk>/trong-tam/", views_edit.plan_focus_edit, name="plan_focus_edit"),
    path(
        "ke-hoach/<int:pk>/trach-nhiem/",
        views_edit.plan_responsibilities_edit,
        name="plan_responsibilities_edit",
    ),
    path("don-vi/<int:pk>/ke-hoach-moi/", views_new.plan_new_view, name="plan_new"),
    path("ke-hoach/<int:pk>/dieu-chinh/", views_amend.plan_amend_view, name="plan_amend"),
    path(
        "ke-hoach/<int:pk>/huy-du-thao-dieu-chinh/",
        views_amend.plan_amendment_discard_view,
        name="plan_amendment_discard",
    ),
    path("ke-hoach/<int:pk>/thay-doi/", views_amend.plan_changes_view, name="plan_changes"),
    path(
        "don-vi/<int:pk>/chi-tieu-giao/",
        views_assign.assignment_table_view,
        name="assignment_table",
    ),
]
