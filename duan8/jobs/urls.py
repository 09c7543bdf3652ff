from django.urls import path

from duan8.jobs import views

app_name = "jobs"
urlpatterns = [
    path("viec/", views.job_list_view, name="job_list"),
    path("viec/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("viec/<uuid:job_id>/trang-thai.json", views.job_status, name="job_status"),
    path("viec/<uuid:job_id>/tai-ve", views.job_download, name="job_download"),
    path("viec/<uuid:job_id>/thu-lai/", views.job_retry_view, name="job_retry"),
]
