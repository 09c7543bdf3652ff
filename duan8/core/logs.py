"""Logging filters and formatters (wired in ``settings.LOGGING``)."""

import datetime
import json
import logging

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, empty

from duan8.core.request_id import current_request, current_request_id


class OneLineRefusals(logging.Filter):
    """A refused request (403) is logged as one line, without the exception's traceback.

    Django logs ``PermissionDenied`` with the exception attached; refusals are ordinary events
    (and audited as ``access.denied``), so a traceback per refusal only buries real errors.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True


class RequestContext(logging.Filter):
    """Adds ``request_id`` and ``user_id`` (never a name) to every record written during a request.

    Outside a request both are None. The user is read only when authentication has already
    resolved it: a log call never triggers a database query of its own.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        record.user_id = _user_id(current_request.get())
        return True


def _user_id(request: HttpRequest | None) -> int | None:
    user = getattr(request, "user", None) if request is not None else None
    if isinstance(user, SimpleLazyObject):
        user = user._wrapped  # type: ignore[attr-defined]  # noqa: SLF001 (loaded only)
        if user is empty:
            return None
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "pk", None)


# Fields of the access line (``core/request_id.py``) copied into its JSON object.
_ACCESS_FIELDS = ("method", "path", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    """One JSON object per line (``LOG_FORMAT=json``), for a log collector.

    Keys: time (ISO 8601, UTC), level, logger, message, request_id, user_id, and ``exception``
    (the traceback text) when the record carries one; an access line adds method, path, status
    and duration_ms.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id.get(),
            "user_id": getattr(record, "user_id", None),
        }
        for field in _ACCESS_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The plain console format (``LOG_FORMAT=text``, the default), with the request id if any."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_label)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        record.request_label = getattr(record, "request_id", None) or "-"
        return super().format(record)
