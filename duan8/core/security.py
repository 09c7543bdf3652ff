"""Headers and guards for every request and response.

- Content-Security-Policy: only our own scripts, styles and images. Django 5.2 has no CSP support
  of its own. The policy is strict in development as well, so a template with an inline script or
  style attribute fails in the browser tests, not in production.
- ``Cache-Control: no-store`` on every page a signed-in user sees.
- A NUL character anywhere in the input is refused (400) before any view runs.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


class NoStoreForUsersMiddleware:
    """Pages seen by a signed-in user are never stored by the browser or a proxy.

    They carry names, figures and the audit trail; a shared computer's back button or disk cache
    must not show them after sign-out. Static files are answered before this (whitenoise) and
    keep their long caching; anonymous pages (the sign-in page) are left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and "no-store" not in response.get("Cache-Control", "")
        ):
            add_never_cache_headers(response)
        return response


def _has_nul(data: QueryDict | MultiValueDict) -> bool:
    """True when a key or a value (a file's name, for uploads) holds a NUL character."""
    for key, values in data.lists():
        if "\x00" in key:
            return True
        for value in values:
            text = value if isinstance(value, str) else getattr(value, "name", "") or ""
            if "\x00" in text:
                return True
    return False


class RefuseNulCharactersMiddleware:
    """A NUL character in the address, the query or a posted field is refused with 400.

    No form or search has a use for it, and PostgreSQL refuses it in any text (a 500 wherever a
    value reaches a query unvalidated). Refused here, once, before any view sees it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._carries_nul(request):
            if request.path_info.startswith("/api/"):  # the API's one error format
                return JsonResponse(
                    {"detail": _("The request carries a NUL character."), "code": "nul_character"},
                    status=400,
                )
            return render(request, "core/bad_input.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path or _has_nul(request.GET):
            return True
        # A malformed or oversized body raises here as it would in the view: Django answers 400.
        return request.method == "POST" and (_has_nul(request.POST) or _has_nul(request.FILES))
