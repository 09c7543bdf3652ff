"""The caller of an endpoint, as the services want it: a signed-in ``User`` (the API's default
permission, ``IsAuthenticated``, has let no one else through)."""

from typing import cast

from rest_framework.request import Request

from duan8.accounts.models import User


def actor(request: Request) -> User:
    return cast(User, request.user)
