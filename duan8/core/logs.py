"""Logging filters (wired in ``settings.LOGGING``)."""

import logging


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
