"""URL names without a namespace: LOGIN_URL, LOGIN_REDIRECT_URL, LOGOUT_REDIRECT_URL use them."""

from django.urls import path

from duan8.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("language/", views.language_set, name="language"),
    path("doi-mat-khau/", views.password_change, name="password_change"),
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
