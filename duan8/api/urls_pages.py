"""The web pages of API tokens, under URL names without a namespace (the API itself is under
``api:`` at /api/v1/): one's own tokens on the account pages, and an administrator's revoking
beside the user management pages."""

from django.urls import path

from duan8.api import views

urlpatterns = [
    path("tai-khoan/khoa-api/", views.api_tokens, name="api_tokens"),
    path(
        "tai-khoan/khoa-api/<str:prefix>/thu-hoi/",
        views.api_token_revoke_own,
        name="api_token_revoke",
    ),
    path(
        "nguoi-dung/<int:pk>/khoa-api/<str:prefix>/thu-hoi/",
        views.user_api_token_revoke,
        name="user_api_token_revoke",
    ),
]
