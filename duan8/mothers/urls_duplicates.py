"""URLs of the registry's duplicates part (merged in mothers.urls)."""

from django.urls import URLPattern, path

from duan8.mothers import views_duplicates

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
]
