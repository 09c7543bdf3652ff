from django.urls import path

from duan8.programs import views

app_name = "programs"
urlpatterns = [
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:pk>/chi-tieu/", views.plan_targets_edit, name="plan_targets_edit"),
    path("ke-hoach/<int:pk>/phan-bo/", views.plan_allocation_edit, name="plan_allocation_edit"),
    path("ke-hoach/<int:pk>/phe-duyet/", views.plan_approve_view, name="plan_approve"),
]
