"""Vietnamese first: the page language is Vietnamese unless the user chose another one.

Many officials' browsers and phones are set to English; Django's LocaleMiddleware would follow the
browser's Accept-Language header. This middleware, placed just before it, hides that header so
only the user's own choice (the language cookie set by the switch in the footer) or the default
(LANGUAGE_CODE = "vi") decides.

The API (``/api/``) is the exception: a program asks for its language with Accept-Language
(Vietnamese without it), and has no cookie to choose with.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class VietnameseFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
