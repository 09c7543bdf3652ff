"""One error format for every API answer that is not a success, in the request's language
(Vietnamese unless ``Accept-Language`` asks for English):

    {"detail": "…", "code": "invalid", "errors": [{"field", "row", "code", "message"}]}

``errors`` lists the problems keyed by field (``core.problems``) for a 400 or a 409 (a stale
version, code ``conflict``; a record in a locked period, code ``locked``); the other answers carry
``detail`` and ``code`` only. Refusals (403, and 404 for a record outside the
caller's units) are written to the audit trail, as the web pages' are.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from duan8.core import audit
from duan8.core.concurrency import EditConflict
from duan8.core.problems import WHOLE, Problem, as_json


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_code = "precondition_required"


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


class BadRequest(exceptions.APIException):
    """A 400 about one named part of the request (a header, a query parameter)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, field: str, message: str, code: str = "invalid") -> None:
        super().__init__(message, code)
        self.problem = Problem(field=field, message=message, code=code)


def body(detail: str, code: str, problems: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"detail": str(detail), "code": code}
    if problems is not None:
        data["errors"] = problems
    return data


def _drf_problems(detail: Any, prefix: str = "") -> Iterator[dict[str, Any]]:
    """A serializer's nested errors as problems with dotted fields (``participants.2.sex``)."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = WHOLE if key in ("non_field_errors", WHOLE) and not prefix else str(key)
            yield from _drf_problems(value, f"{prefix}.{name}" if prefix else name)
    elif isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail | str) for item in detail):
            for item in detail:
                yield {
                    "field": prefix or WHOLE,
                    "row": None,
                    "code": getattr(item, "code", "invalid"),
                    "message": str(item),
                }
        else:
            for index, item in enumerate(detail):
                if item:
                    yield from _drf_problems(item, f"{prefix}.{index}" if prefix else str(index))
    else:
        yield {
            "field": prefix or WHOLE,
            "row": None,
            "code": getattr(detail, "code", "invalid"),
            "message": str(detail),
        }


def _refused(context: dict[str, Any], message: str) -> None:
    request = context.get("request")
    if request is None:
        return
    audit.record(
        actor=request.user, action="access.denied", message=f"{request.method} {request.path[:200]}"
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:  # noqa: C901
    """DRF's exception handler (settings.REST_FRAMEWORK["EXCEPTION_HANDLER"])."""
    headers: dict[str, str] = {}
    if isinstance(exc, EditConflict):
        problems = as_json(exc)["errors"]
        detail = problems[0]["message"] if problems else _("The record was changed meanwhile.")
        return Response(body(detail, "conflict", problems), status=409)
    if isinstance(exc, DjangoValidationError):
        problems = as_json(exc)["errors"]
        if any(p["code"] == "locked" for p in problems):  # an approved period: not the data's fault
            locked = next(p for p in problems if p["code"] == "locked")
            return Response(body(locked["message"], "locked", problems), status=409)
        return Response(body(_("The data sent is not valid."), "invalid", problems), status=400)
    if isinstance(exc, BadRequest):
        problem = exc.problem
        entry = {
            "field": problem.field,
            "row": None,
            "code": problem.code,
            "message": problem.message,
        }
        return Response(body(problem.message, problem.code, [entry]), status=400)
    if isinstance(exc, exceptions.ValidationError):
        return Response(
            body(_("The data sent is not valid."), "invalid", list(_drf_problems(exc.detail))),
            status=400,
        )
    if isinstance(exc, exceptions.ParseError):
        return Response(body(_("The body is not valid JSON."), "parse_error", []), status=400)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return Response(
            body(_("Send the body as JSON (Content-Type: application/json)."), "unsupported_media"),
            status=415,
        )
    if isinstance(exc, exceptions.NotAcceptable):
        return Response(body(_("This API answers in JSON only."), "not_acceptable"), status=406)
    if isinstance(exc, exceptions.NotAuthenticated):
        return Response(
            body(
                _("Send an API token (Authorization: Token <key>) or sign in."), "not_authenticated"
            ),
            status=401,
            headers={"WWW-Authenticate": 'Token realm="duan8"'},
        )
    if isinstance(exc, exceptions.AuthenticationFailed):
        return Response(
            body(
                str(exc.detail),
                str(exc.get_codes()) if isinstance(exc.get_codes(), str) else "auth",
            ),
            status=401,
            headers={"WWW-Authenticate": 'Token realm="duan8"'},
        )
    if isinstance(exc, DjangoPermissionDenied | exceptions.PermissionDenied):
        message = str(exc.detail if isinstance(exc, exceptions.APIException) else exc)
        code = "permission_denied"
        if message.startswith("CSRF Failed"):  # a page's session whose token has changed
            message = _("The page's security check (CSRF) failed; reload the page.")
            code = "csrf_failed"
        message = message or _("You do not have the right to do this.")
        _refused(context, message)
        return Response(body(message, code), status=403)
    if isinstance(exc, Http404 | exceptions.NotFound):
        if isinstance(exc, audit.NotVisible):
            _refused(context, "not visible")
        return Response(body(_("Not found, or not yours to see."), "not_found"), status=404)
    if isinstance(exc, exceptions.MethodNotAllowed):
        request = context.get("request")
        method = request.method if request is not None else ""
        return Response(
            body(_("The method %(method)s is not allowed here.") % {"method": method}, "method"),
            status=405,
        )
    if isinstance(exc, exceptions.Throttled):
        wait = int(getattr(exc, "wait", None) or 1)
        headers["Retry-After"] = str(wait)
        return Response(
            body(
                _("Too many requests; try again in %(seconds)s seconds.") % {"seconds": wait},
                "throttled",
            ),
            status=429,
            headers=headers,
        )
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        return Response(
            body(str(exc.detail), codes if isinstance(codes, str) else str(exc.default_code)),
            status=exc.status_code,
        )
    return None
