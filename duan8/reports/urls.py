"""URLs of reports, dashboards and exports. Each area keeps its routes in its own section."""

from django.urls import path  # noqa: F401

app_name = "reports"
urlpatterns: list = []

# --- reports: schedules, filling, approval, completeness (views/workflow.py) ---
urlpatterns += []

# --- aggregate data, dashboards and exports (views/data.py) ---
urlpatterns += []
