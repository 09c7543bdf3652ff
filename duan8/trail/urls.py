"""Audit pages. Read-only: no URL edits or deletes an audit event."""

from django.urls import path

from duan8.trail import views

app_name = "trail"
urlpatterns = [
    path("nhat-ky/", views.audit_list, name="audit_list"),
    path("ke-hoach/<int:pk>/lich-su/", views.plan_history_view, name="plan_history"),
    path("don-vi/<int:pk>/lich-su/", views.unit_history_view, name="unit_history"),
]
