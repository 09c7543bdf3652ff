"""The REST API under ``/api/v1/`` (issue 16): tokens, one error format, idempotent POSTs,
versioned updates, cursor pages and the OpenAPI schema; endpoints per area in ``endpoints/``.

Every endpoint translates input and output only: it calls the same services and selectors as the
web pages, so the same access rule, validation, locks and audit apply (CommCare's API once ignored
the location restrictions its pages enforced; this one cannot).
"""
