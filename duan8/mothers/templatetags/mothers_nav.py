"""``{% mothers_nav commune as nav %}``: which of the registry's pages of a commune the signed-in
user may open, so that every page is reached by a click, shown only to whom it serves. The same
rights the pages check (``orgunits.access.can``); no query beyond the request's memberships."""

from django import template

from duan8.accounts.permissions import (
    MOTHERS_APPROVE,
    MOTHERS_PAY,
    MOTHERS_PROPOSE,
    MOTHERS_RULES,
    MOTHERS_VERIFY,
    MOTHERS_VIEW,
)
from duan8.mothers.duplicates import has_open_duplicates
from duan8.mothers.models import Pregnancy
from duan8.orgunits.access import can, holds_somewhere
from duan8.orgunits.models import OrgUnit

register = template.Library()


@register.simple_tag(takes_context=True)
def mothers_nav(context: template.Context, commune: OrgUnit) -> dict[str, bool]:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {}
    return {
        "cases": can(user, MOTHERS_VIEW, commune),
        "proposal_list": can(user, MOTHERS_PROPOSE, commune),
        "duplicates": can(user, MOTHERS_VERIFY, commune),
        "approve": can(user, MOTHERS_APPROVE, commune),
        "payments": any(can(user, code, commune) for code in (MOTHERS_PAY, MOTHERS_APPROVE)),
        "rules": holds_somewhere(user, MOTHERS_RULES),
    }


@register.simple_tag(takes_context=True)
def mothers_case_links(context: template.Context, case: Pregnancy) -> dict[str, bool]:
    """The links of a case's page: consent (who records it), the subject-access export (the WU
    officer), the duplicates page; and whether a likely duplicate is open (one query)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {}
    commune = case.commune
    verifier = can(user, MOTHERS_VERIFY, commune)
    return {
        "consents": verifier or can(user, MOTHERS_PROPOSE, case.village),
        "subject_export": verifier,
        "duplicates": verifier,
        "open_duplicates": has_open_duplicates(case),
    }
