"""URLs of the registry's payments part (merged in mothers.urls)."""

from django.urls import URLPattern, path

from duan8.mothers import views_payments as views

urlpatterns: list[URLPattern] = [
    path("xa/<int:pk>/chi-tra/", views.payment_lists_view, name="payment_lists"),
    path(
        "xa/<int:pk>/chi-tra/lap-danh-sach/",
        views.payment_list_create_view,
        name="payment_list_create",
    ),
    path(
        "danh-sach-chi-tra/<int:pk>/",
        views.payment_list_detail_view,
        name="payment_list_detail",
    ),
    path(
        "danh-sach-chi-tra/<int:pk>/phe-duyet/",
        views.payment_list_approve_view,
        name="payment_list_approve",
    ),
    path(
        "danh-sach-chi-tra/<int:pk>/tai-ve/<str:file_format>/",
        views.payment_list_download_view,
        name="payment_list_download",
    ),
    path("chi-tra/muc/<int:pk>/ghi/", views.payment_record_view, name="payment_record"),
    path("chi-tra/<int:pk>/huy/", views.payment_reverse_view, name="payment_reverse"),
]
