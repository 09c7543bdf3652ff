"""The money's pages, under /ngan-sach/; each part keeps its own list."""

from duan8.finance import urls_budget, urls_reports, urls_spending

app_name = "finance"
urlpatterns = [*urls_budget.urlpatterns, *urls_spending.urlpatterns, *urls_reports.urlpatterns]
