"""The audit trail: ``record`` is called by services (never by views), so web, API and CLI agree.

The request's address and browser come from a context variable set by
``AuditContextMiddleware``; commands and tests leave them empty.
"""

import contextvars
import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse

from duan8.core.client_ip import client_ip
from duan8.core.models import AuditEvent

_request_meta: contextvars.ContextVar[tuple[str | None, str]] = contextvars.ContextVar(
    "duan8_audit_request", default=(None, "")
)
# The API token of the request (its public prefix), set by the API's authentication: every event
# the request records names the token it came with.
_via_token: contextvars.ContextVar[str] = contextvars.ContextVar("duan8_audit_token", default="")
# Whether an event naming that token was committed during the request: then the request is in the
# trail already and the API's own "token used" entry would only repeat it.
_token_recorded: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "duan8_audit_token_recorded", default=False
)


def via_token(prefix: str) -> None:
    """Mark the rest of this request as made with the API token ``prefix``."""
    _via_token.set(prefix)


def token_recorded() -> bool:
    """Whether this request committed an audit event naming its API token."""
    return _token_recorded.get()


def client_address(request: HttpRequest) -> str | None:
    # REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address they forwarded.
    return client_ip(request)


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_meta.set(
            (client_address(request), request.META.get("HTTP_USER_AGENT", "")[:255])
        )
        by_token = _via_token.set("")
        recorded = _token_recorded.set(False)
        try:
            return self.get_response(request)
        finally:
            _token_recorded.reset(recorded)
            _via_token.reset(by_token)
            _request_meta.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """Refusals are audited: a forbidden action, or a record the user may not see."""
        if isinstance(exception, PermissionDenied | NotVisible):
            record(
                actor=request.user,
                action="access.denied",
                message=f"{request.method} {request.path[:200]}",
            )


class NotVisible(Http404):
    """A record outside the user's units: answered as 404 (its existence is not confirmed)."""


def plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        # fixed-point always: 200000 normalised alone would be written "2E+5"
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a row, as JSON-friendly data (foreign keys as ids)."""
    names = list(fields) if fields is not None else None
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in ("created_at", "updated_at"):
            continue
        if names is not None and field.name not in names:
            continue
        data[field.name] = plain(getattr(instance, field.attname))
    return data


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, tuple]:
    """Fields whose value differs between two snapshots: name → (before, after)."""
    before, after = before or {}, after or {}
    return {
        name: (before.get(name), after.get(name))
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    org_unit: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
    actor_name: str = "",
    version: int | None = None,
) -> AuditEvent:
    address, agent = _request_meta.get()
    user = (
        actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None
    )
    token = _via_token.get()
    if token:
        # counted once committed: an event rolled back with its work is not in the trail
        transaction.on_commit(lambda: _token_recorded.set(True))
    return AuditEvent.objects.create(
        actor=user,
        actor_name=actor_name or (actor.get_username() if user else ""),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        target_version=version,
        org_unit=org_unit,
        ip_address=address,
        user_agent=agent,
        # dates, amounts or rows anywhere in the values are stored as text and ids (a date left
        # in a dict was a 500: "date is not JSON serializable", issue 10)
        before=plain(before),
        after=plain(after),
        message=message,
        via_token=token,
    )


# --- personal data in the trail ------------------------------------------------------------------
#
# Names, ethnicity and years of birth of persons (members, participants, cadres), and anything else
# sensitive, are personal data (NĐ 13/2023/NĐ-CP): the trail shows them only to holders of
# ``records.personal`` on the event's unit, masked for every other reader. What is personal is
# declared here, once, by the stored kind of record and by action, so rows written before this
# declaration (the demo's, an archive's) are masked as well. ``AuditEvent`` rows stay as recorded.

MASK = "•••"


@dataclass(frozen=True)
class Personal:
    """The parts of an event that name or describe a person."""

    keys: frozenset[str] = frozenset()  # keys of the before/after snapshots
    title: bool = False  # the record's title (``str()`` of the row) is a person's name

    def __or__(self, other: "Personal") -> "Personal":
        return Personal(self.keys | other.keys, self.title or other.title)


# Keys that are personal in any snapshot, whatever the record (a safety net for new snapshots);
# the accounts app's records are the staff's own accounts, not persons the program serves.
PERSONAL_KEYS = frozenset(
    {
        "full_name",
        "birth_year",
        "date_of_birth",
        "ethnic_group",
        "id_number",
        "phone",
        "address",
        "health",
        "health_status",
        "disability",
        "victim",
        "is_victim",
    }
)
STAFF_APPS = ("accounts.",)

_PERSON = frozenset({"full_name", "birth_year", "ethnic_group"})
_MOTHERS_HEALTH = frozenset(
    {"expected_on", "delivered_on", "place", "facility", "mode", "babies", "days_at_facility"}
)
PERSONAL_BY_KIND: dict[str, Personal] = {
    "activities.womancadre": Personal(_PERSON | {"position", "notes"}, title=True),
    "activities.communitygroupmember": Personal(_PERSON, title=True),
    "activities.participant": Personal(_PERSON | {"position", "workplace"}, title=True),
    # the mothers' registry (issue 13): her identity, and every health value of her cases; the
    # titles of a case, a visit and a child name her or carry a date of her pregnancy
    "mothers.mother": Personal(
        _PERSON | {"name_key", "birth_date", "phone", "id_number", "household"}, title=True
    ),
    "mothers.pregnancy": Personal(_MOTHERS_HEALTH | {"carer_name", "status_reason"}, title=True),
    "mothers.antenatalvisit": Personal(frozenset({"visited_on", "facility"}), title=True),
    "mothers.child": Personal(frozenset({"sex", "born_on"}), title=True),
    "mothers.consent": Personal(frozenset({"signer_name", "withdrawal_note"})),
    "mothers.duplicatecandidate": Personal(frozenset({"reasons", "note"})),
    "mothers.entitlementline": Personal(frozenset({"explanation"})),
    "mothers.payment": Personal(frozenset({"reason"})),
}
PERSONAL_BY_ACTION: dict[str, Personal] = {
    # on the group: the names of the members who joined or left
    "activities.group.members_added": Personal(frozenset({"members"})),
    "activities.group.member_left": Personal(frozenset({"member"})),
    # the locked record a request to unlock is about: may be a cadre, named
    "activities.data.unlock_requested": Personal(frozenset({"record"})),
}


def personal_parts(event: AuditEvent) -> Personal:
    """What of ``event`` is personal: declared by kind and action, and keys personal anywhere."""
    parts = PERSONAL_BY_KIND.get(event.target_type, Personal()) | PERSONAL_BY_ACTION.get(
        event.action, Personal()
    )
    if not event.target_type.startswith(STAFF_APPS):
        parts = parts | Personal(PERSONAL_KEYS)
    return parts


@dataclass(frozen=True)
class Masked:
    """An event's title and snapshots as one reader may see them."""

    title: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    personal: bool  # the event holds personal data (shown, or masked)


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {})


def _mask_snapshot(snap: Any, keys: frozenset[str]) -> Any:
    if not isinstance(snap, dict):
        return snap
    return {k: (MASK if k in keys and _filled(v) else v) for k, v in snap.items()}


def mask(event: AuditEvent, *, show_personal: bool) -> Masked:
    """The one masking of audit events, for every page (and export) that shows them.

    ``show_personal``: the reader holds ``records.personal`` on the event's unit. Otherwise the
    personal snapshot values and a title naming a person are replaced by ``MASK``.
    """
    parts = personal_parts(event)
    snaps = [s for s in (event.before, event.after) if isinstance(s, dict)]
    personal = (parts.title and bool(event.target_repr)) or any(
        k in parts.keys and _filled(v) for s in snaps for k, v in s.items()
    )
    if show_personal or not personal:
        return Masked(event.target_repr, event.before, event.after, personal)
    return Masked(
        MASK if parts.title and event.target_repr else event.target_repr,
        _mask_snapshot(event.before, parts.keys),
        _mask_snapshot(event.after, parts.keys),
        personal,
    )
