"""User management, under URL names without a namespace (``user_list``, ``user_detail``…)."""

from django.urls import path

from duan8.orgunits.users import views

urlpatterns = [
    path("nguoi-dung/", views.user_list, name="user_list"),
    path("nguoi-dung/them/", views.user_create, name="user_create"),
    path("nguoi-dung/<int:pk>/", views.user_detail, name="user_detail"),
    path("nguoi-dung/<int:pk>/cap-vai-tro/", views.role_grant, name="role_grant"),
    path(
        "nguoi-dung/<int:pk>/vai-tro/<int:membership_pk>/ket-thuc/",
        views.role_end,
        name="role_end",
    ),
    path("nguoi-dung/<int:pk>/sua/", views.user_update, name="user_update"),
    path("nguoi-dung/<int:pk>/dat-lai-mat-khau/", views.password_reset, name="password_reset"),
    path("nguoi-dung/<int:pk>/ngung-hoat-dong/", views.user_deactivate, name="user_deactivate"),
]
