"""The registry's pages, under /me-an-toan/ ("mẹ an toàn"); each part keeps its own list."""

from django.urls import path

from duan8.mothers import urls_duplicates, urls_payments, urls_privacy, urls_registry, urls_rules
from duan8.mothers.views_home import mothers_home_view

app_name = "mothers"
urlpatterns = [
    path("", mothers_home_view, name="home"),
    *urls_registry.urlpatterns,
    *urls_rules.urlpatterns,
    *urls_duplicates.urlpatterns,
    *urls_payments.urlpatterns,
    *urls_privacy.urlpatterns,
]
