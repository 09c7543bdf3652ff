"""URLs of the money's budget part (merged in ``finance.urls``)."""

from django.urls import URLPattern, path

from duan8.finance import views_budget as views

urlpatterns: list[URLPattern] = [
    path("don-vi/<int:pk>/phan-bo/", views.allocations_view, name="allocations"),
    path("don-vi/<int:pk>/phan-bo/ghi/", views.allocation_record_view, name="allocation_record"),
    path("dinh-muc/", views.norms_view, name="norms"),
    path("dinh-muc/<int:pk>/sua/", views.norm_edit_view, name="norm_edit"),
    path("dinh-muc/<int:pk>/giai-doan-moi/", views.norm_new_period_view, name="norm_new_period"),
]
