"""Supervision pages, under /giam-sat/ ("giám sát")."""

from django.urls import URLPattern, path

from duan8.supervision import views

app_name = "supervision"
urlpatterns: list[URLPattern] = [
    path("don-vi/<int:pk>/", views.session_list_view, name="session_list"),
    path("don-vi/<int:pk>/moi/", views.session_create_view, name="session_create"),
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
]
