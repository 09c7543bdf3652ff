"""URLs of the money's spending part (merged in ``finance.urls``)."""

from django.urls import URLPattern, path

from duan8.finance import views_spending as views

urlpatterns: list[URLPattern] = [
    path("don-vi/<int:pk>/chung-tu/", views.vouchers_view, name="vouchers"),
    path("don-vi/<int:pk>/chung-tu/ghi/", views.voucher_record_view, name="voucher_record"),
    path("chung-tu/<int:pk>/huy/", views.voucher_reverse_view, name="voucher_reverse"),
    path("chung-tu/<int:pk>/bien-lai/", views.voucher_receipt_view, name="voucher_receipt"),
    path("don-vi/<int:pk>/de-nghi-thanh-toan/", views.requests_view, name="requests"),
    path(
        "don-vi/<int:pk>/de-nghi-thanh-toan/moi/",
        views.request_propose_view,
        name="request_propose",
    ),
    path("de-nghi-thanh-toan/<int:pk>/tu-choi/", views.request_refuse_view, name="request_refuse"),
]
