"""URLs of what is carried out. Each area keeps its routes in its own section."""

from django.urls import path  # noqa: F401

app_name = "activities"
urlpatterns: list = []

# --- events (views/events.py) ---
urlpatterns += []

# --- community groups, women cadres, difficulties (views/community.py) ---
urlpatterns += []

# --- progress and the commune's work page (views/progress.py) ---
urlpatterns += []

# --- Excel templates, uploads and exports (views/excel.py) ---
urlpatterns += []
