"""The base of every endpoint.

- ``ApiView``: DRF authenticates (the site's login redirect is off for the API); a body larger
  than ``API_MAX_BODY`` is refused (413) before it is read; every request made with a token is
  in the audit trail with the token's prefix: the events its work committed (a record written, a
  personal record read), or else one ``api.token.used`` with the method, path and status.
- ``ApiList``: a list of what a selector lets the caller see, filtered by ``updated_since`` and
  cut into cursor pages: subclasses write ``select(actor)``; the queries per page stay fixed.
- Query parameters: ``query_date``, ``query_datetime``, ``query_int``, ``as_of``: a bad value is a
  400 naming the parameter.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.views import APIView

from duan8.api.errors import BadRequest, TooLarge
from duan8.api.models import ApiToken
from duan8.api.pagination import CursorPage
from duan8.core import audit


class ApiViewMixin:
    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        view = super().as_view(**initkwargs)  # type: ignore[misc]
        view.login_required = False  # DRF authenticates: a token, or the session
        return view

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not (length.isascii() and length.isdigit()) or int(length) > settings.API_MAX_BODY:
            raise TooLarge(
                _("The body is larger than %(most)s bytes.") % {"most": settings.API_MAX_BODY}
            )
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        token = getattr(request, "_auth", None)
        if isinstance(token, ApiToken) and not audit.token_recorded():
            audit.record(
                actor=token.user,
                action="api.token.used",
                message=f"{request.method} {request.get_full_path()[:300]} {response.status_code}",
            )
        return response


class ApiView(ApiViewMixin, APIView):
    pass


class ApiList(ApiViewMixin, generics.ListAPIView):
    """A paged list; ``select`` returns what the caller may see (through the access function)."""

    pagination_class = CursorPage
    updated_field = "updated_at"

    def select(self, actor: Any) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        queryset = self.select(self.request.user)
        since = query_datetime(self.request, "updated_since")
        if since is not None:
            queryset = queryset.filter(**{f"{self.updated_field}__gte": since})
        return queryset


def query_date(request: Request, name: str) -> datetime.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        value = parse_date(raw)
    except ValueError:
        value = None
    if value is None:
        raise BadRequest(name, _("Give a date as YYYY-MM-DD."), "invalid")
    return value


def as_of(request: Request) -> datetime.date:
    return query_date(request, "as_of") or timezone.localdate()


def query_datetime(request: Request, name: str) -> datetime.datetime | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            value = datetime.datetime.combine(day, datetime.time()) if day else None
    except ValueError:
        value = None
    if value is None:
        raise BadRequest(name, _("Give a time as ISO 8601 (2023-09-15T08:00:00+07:00)."))
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        # in UTC: PostgreSQL refuses offsets beyond ±15:59 (Python allows ±23:59)
        return value.astimezone(datetime.UTC)
    except (OverflowError, ValueError) as exc:
        raise BadRequest(name, _("Give a time as ISO 8601 (2023-09-15T08:00:00+07:00).")) from exc


def query_int(request: Request, name: str, *, low: int = 1, high: int = 2**31 - 1) -> int | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise BadRequest(
            name, _("Give a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        )
    return int(raw)
