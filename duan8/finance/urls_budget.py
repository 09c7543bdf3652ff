"""URLs of the money's budget part (merged in ``finance.urls``)."""

from django.urls import URLPattern, path

from duan8.finance import views_budget as views

urlpatterns: list[URLPattern] = [
    path("don-vi/<int:pk>/phan-bo/", views.allocations_view, name="allocations"),
    path("don-vi/<int:pk>/phan-bo/ghi/", views.allocation_record_view, name="allocation_record"),
    path("dinh-muc/", views.norms_view, name="norms"),
    path("dinh-muc/<int:pk>/sua/", views.norm_edit_view, name="norm_edit"),
    path("dinh-muc/<int:pk>/giai-doan-moi/", views.norm_new_period_view, name="norm_new_period"),
    path("ke-hoach/<int:pk>/du-toan/", views.estimate_page_view, name="estimate"),
    path(
        "ke-hoach/<int:pk>/du-toan/them-dong/",
        views.estimate_line_add_view,
        name="estimate_line_add",
    ),
    path(
        "du-toan/dong/<int:pk>/xoa/", views.estimate_line_remove_view, name="estimate_line_remove"
    ),
    path(
        "ke-hoach/<int:pk>/du-toan/phe-duyet/",
        views.estimate_approve_view,
        name="estimate_approve",
    ),
]
