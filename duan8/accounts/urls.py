"""URL names without a namespace: LOGIN_URL, LOGIN_REDIRECT_URL, LOGOUT_REDIRECT_URL use them."""

from django.urls import path

from duan8.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("language/", views.language_set, name="language"),
    path("doi-mat-khau/", views.password_change, name="password_change"),
]
