"""Who calls the API: a personal token (``Authorization: Token <key>`` or ``Bearer <key>``), or
the signed-in browser session (with its CSRF check), for the documentation page and the web app's
own scripts. What a token may do: a read-only token reads only."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from duan8.api.models import ApiToken
from duan8.api.text import doc
from duan8.api.tokens import api_token_authenticate

KEYWORDS = (b"token", b"bearer")


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(
                _("Send the token as “Authorization: Token <key>”."), code="token_header"
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise AuthenticationFailed(_("This API token is not valid."), "token_invalid") from exc
        token = api_token_authenticate(key)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Token realm="duan8"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session; a POST, PUT, PATCH or DELETE must carry the CSRF token."""


class TokenScope(BasePermission):
    """A read-only token may only read."""

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if isinstance(token, ApiToken) and token.read_only and request.method not in SAFE_METHODS:
            self.message = _("This API token may only read; make a read-and-write token to write.")
            return False
        return True


class TokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes the token (registered by being defined)."""

    target_class = "duan8.api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": doc(
                "Khoá API cá nhân: `Token <khoá>` (tạo ở trang tài khoản).",
                "A personal API token: `Token <key>` (made on the account page).",
            ),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "duan8.api.authentication.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
