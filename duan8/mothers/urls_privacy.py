"""URLs of the registry's privacy part (merged in mothers.urls)."""

from django.urls import URLPattern, path

from duan8.mothers import views_privacy as views

urlpatterns: list[URLPattern] = [
    path("me/<int:pk>/dong-y/", views.consents_view, name="consents"),
    path("me/<int:pk>/phieu-dong-y/", views.consent_form_view, name="consent_form"),
    path("dong-y/<int:pk>/rut-lai/", views.consent_withdraw_view, name="consent_withdraw"),
    path("me/<int:pk>/du-lieu-ca-nhan/", views.subject_export_view, name="subject_export"),
    path("don-vi/<int:pk>/so-lieu/", views.counts_view, name="counts"),
]
