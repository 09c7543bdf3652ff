"""Supervision pages, under /giam-sat/ ("giám sát")."""

from django.urls import URLPattern, path

from duan8.supervision import views, views_feedback

app_name = "supervision"
urlpatterns: list[URLPattern] = [
    path("don-vi/<int:pk>/", views.session_list_view, name="session_list"),
    path("don-vi/<int:pk>/moi/", views.session_create_view, name="session_create"),
    path(
        "don-vi/<int:pk>/bao-cao/<int:year>/<str:file_format>/",
        views.year_report_view,
        name="year_report",
    ),
    path("<int:pk>/", views.session_detail_view, name="session_detail"),
    path("<int:pk>/sua/", views.session_edit_view, name="session_edit"),
    path("<int:pk>/bien-ban/", views.minutes_upload_view, name="minutes_upload"),
    path("<int:pk>/bien-ban/tai-ve/", views.minutes_download_view, name="minutes_download"),
    path("<int:pk>/phat-hien/moi/", views.finding_create_view, name="finding_create"),
    path("phat-hien/<int:pk>/sua/", views.finding_edit_view, name="finding_edit"),
    path("<int:pk>/kien-nghi/moi/", views.recommendation_create_view, name="recommendation_create"),
    path(
        "kien-nghi/<int:pk>/tra-loi/",
        views.recommendation_answer_view,
        name="recommendation_answer",
    ),
    path(
        "kien-nghi/<int:pk>/danh-gia/",
        views.recommendation_review_view,
        name="recommendation_review",
    ),
    path(
        "ke-hoach/<int:pk>/phan-bien/",
        views_feedback.plan_comment_create_view,
        name="plan_comment_create",
    ),
    path(
        "phan-bien/<int:pk>/xu-ly/",
        views_feedback.plan_comment_handle_view,
        name="plan_comment_handle",
    ),
]
