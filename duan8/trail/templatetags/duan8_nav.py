"""The header's links (base.html, on every page) and the links to pages only some users may use.

The header is drawn on every page, so it asks the user's rights once (``header_nav``) and reverses
its URLs once a process (``nav_url``), not on every page.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django import template
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from duan8.accounts.permissions import (
    AUDIT_VIEW,
    FINANCE_VIEW,
    MOTHERS_PROPOSE,
    RECORDS_EDIT,
    USERS_MANAGE,
)
from duan8.activities.selectors.progress import records_units_of
from duan8.orgunits.access import can, holds_somewhere
from duan8.orgunits.models import OrgUnit
from duan8.trail.selectors import may_read_plan_history

register = template.Library()


@register.simple_tag(takes_context=True)
def holds_permission(context: template.Context, permission: str) -> bool:
    """True when the signed-in user holds ``permission`` in at least one unit."""
    user = context.get("user")
    return user is not None and holds_somewhere(user, permission)


@register.simple_tag(takes_context=True)
def may_read_audit(context: template.Context, unit: OrgUnit) -> bool:
    """True when the signed-in user may read the audit trail of ``unit`` (its history pages)."""
    user = context.get("user")
    return user is not None and can(user, AUDIT_VIEW, unit)


@register.simple_tag(takes_context=True)
def may_read_history_of_plan(context: template.Context, unit: OrgUnit) -> bool:
    """True when the signed-in user may read the history of a plan of ``unit``."""
    user = context.get("user")
    return user is not None and may_read_plan_history(user, unit)


@dataclass(frozen=True, slots=True)
class HeaderNav:
    """What the header offers the signed-in user: the unit of its work links (the highest unit
    where the user reads records) and the links that need a right held in at least one unit."""

    unit: OrgUnit | None = None
    users: bool = False  # users.manage
    audit: bool = False  # audit.view
    finance: bool = False  # finance.view
    records: bool = False  # records.edit: entry without signal
    propose: bool = False  # mothers.propose: entry without signal


@register.simple_tag(takes_context=True)
def header_nav(context: template.Context) -> HeaderNav:
    """The header's links for the signed-in user, from the memberships read once per request
    (``active_memberships``): no query but a superuser's top units."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return HeaderNav()
    units = records_units_of(user)
    return HeaderNav(
        unit=units[0] if units else None,
        users=holds_somewhere(user, USERS_MANAGE),
        audit=holds_somewhere(user, AUDIT_VIEW),
        finance=holds_somewhere(user, FINANCE_VIEW),
        records=holds_somewhere(user, RECORDS_EDIT),
        propose=holds_somewhere(user, MOTHERS_PROPOSE),
    )


@lru_cache(maxsize=2048)
def _reversed(resolver: Any, prefix: str, language: str | None, name: str, args: tuple) -> str:
    return reverse(name, args=args)


@register.simple_tag
def nav_url(name: str, *args: Any) -> str:
    """``{% url name args %}`` reversed once a process: a URL depends on the URL patterns (the
    request's ``urlconf`` or ROOT_URLCONF, whose resolver a change of either replaces), the
    script prefix and the language (translated patterns), which make the cache's key. The
    header's ~20 links cost some 0.6 ms of CPU on each page when reversed every time."""
    return _reversed(get_resolver(get_urlconf()), get_script_prefix(), get_language(), name, args)
