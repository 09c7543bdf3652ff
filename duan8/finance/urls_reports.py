"""URLs of the money's reports part (merged in ``finance.urls``): a unit's disbursement, its chart
and files; the year's settlement, its draft, approval and files."""

from django.urls import URLPattern, path

from duan8.finance import views_reports as views

urlpatterns: list[URLPattern] = [
    path("don-vi/<int:pk>/giai-ngan/", views.disbursement_view, name="disbursement"),
    path(
        "don-vi/<int:pk>/giai-ngan/bieu-do.svg",
        views.disbursement_chart,
        name="disbursement_chart",
    ),
    path(
        "don-vi/<int:pk>/giai-ngan/<int:year>/tai/<str:fmt>/",
        views.disbursement_file,
        name="disbursement_file",
    ),
    path("don-vi/<int:pk>/quyet-toan/<int:year>/", views.settlement_view, name="settlement"),
    path(
        "don-vi/<int:pk>/quyet-toan/<int:year>/lap/",
        views.settlement_draft_view,
        name="settlement_draft",
    ),
    path(
        "don-vi/<int:pk>/quyet-toan/<int:year>/phe-duyet/",
        views.settlement_approve_view,
        name="settlement_approve",
    ),
    path(
        "don-vi/<int:pk>/quyet-toan/<int:year>/tai/<str:fmt>/",
        views.settlement_file,
        name="settlement_file",
    ),
]
