"""After an administrator has reset a password, its owner must choose a new one before anything
else: every page redirects to the change form until then (signing out and static files still
work)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# URL names still open while a change is due.
OPEN_WHILE_CHANGE_DUE = ("password_change", "logout", "language", "set_language")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not self._open(request.path_info)
        ):
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        return path.startswith(static) or path in {reverse(name) for name in OPEN_WHILE_CHANGE_DUE}
