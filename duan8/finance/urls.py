"""The money's pages, under /ngan-sach/; each part keeps its own list."""

from django.urls import path

from duan8.finance import urls_budget, urls_reports, urls_spending
from duan8.finance.views_home import finance_home_view

app_name = "finance"
urlpatterns = [
    path("", finance_home_view, name="home"),
    *urls_budget.urlpatterns,
    *urls_spending.urlpatterns,
    *urls_reports.urlpatterns,
]
