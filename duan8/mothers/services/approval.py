"""The commune leader approves the verified cases of her commune (issue 13, points 1 and 2).

Approval fixes the entitlement: one ``EntitlementLine`` per item due, with its amount and its
explanation as computed that day from the rules in force on the case's date. A later change of
the rules does not change an approved case. Every case of the batch is checked first (verified,
no open likely duplicate, eligible, in the commune, not changed since the page was opened); one
problem refuses the whole batch, so nothing is half approved.

The audit trail records the status and the total, never the items' quantities (days at the
facility and the kind of delivery are health data).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_APPROVE
from duan8.core import audit
from duan8.core.concurrency import claim_version
from duan8.core.problems import WHOLE, Problems
from duan8.mothers.entitlement import Entitlement, RuleSet, entitlement_for, for_entitlement
from duan8.mothers.models import EntitlementLine, Pregnancy
from duan8.mothers.services.consent import consent_in_force
from duan8.orgunits.access import require_permission
from duan8.orgunits.models import OrgUnit

APPROVED = "mothers.case.approved"
S = Pregnancy.Status
_REFUSED_STATUS = {
    S.PROPOSED: "not_verified",
    S.APPROVED: "already_approved",
    S.REJECTED: "rejected",
    S.DUPLICATE: "duplicate",
}


def _status_problem(pregnancy: Pregnancy) -> str:
    messages = {
        S.PROPOSED: _("%(name)s: the case is not verified yet."),
        S.APPROVED: _("%(name)s: the case is already approved."),
        S.REJECTED: _("%(name)s: the case was rejected."),
        S.DUPLICATE: _("%(name)s: the case is a duplicate of another one."),
    }
    return messages[S(pregnancy.status)] % {"name": pregnancy.mother.full_name}


def _case_problems(
    pregnancy: Pregnancy,
    commune: OrgUnit,
    entitlement: Entitlement,
    expected: int | None,
    problems: Problems,
) -> None:
    from duan8.mothers.duplicates import has_open_duplicates

    field = f"cases.{pregnancy.pk}"
    name = pregnancy.mother.full_name
    if pregnancy.commune_id != commune.pk:
        problems.add(field, _("%(name)s: the case is not of this commune.") % {"name": name})
        return
    if pregnancy.status != S.VERIFIED:
        problems.add(field, _status_problem(pregnancy), _REFUSED_STATUS[S(pregnancy.status)])
        return
    if expected is None or expected != pregnancy.version:
        message = _("%(name)s: the case was changed after you opened the page; reload it.")
        problems.add(field, message % {"name": name}, "conflict")
        return
    if has_open_duplicates(pregnancy):
        message = _("%(name)s: the case may be a duplicate; the likely duplicate is undecided.")
        problems.add(field, message % {"name": name}, "duplicate_open")
        return
    if not consent_in_force(pregnancy.mother):
        message = _("%(name)s: her consent is not in force (none recorded, or withdrawn).")
        problems.add(field, message % {"name": name}, "consent")
        return
    if not entitlement.eligible:
        why = " ".join(entitlement.reasons_not_eligible)
        problems.add(field, f"{name}: {why}", "not_eligible")
    elif not entitlement.lines:
        message = _("%(name)s: no package item is due.")
        problems.add(field, message % {"name": name}, "nothing_due")


@transaction.atomic
def cases_approve(
    *,
    actor: User,
    commune: OrgUnit,
    pregnancies: Sequence[Pregnancy],
    expected_versions: Mapping[int, int | None],
) -> list[Pregnancy]:
    """Approve ``pregnancies`` (cases of ``commune``) and fix their entitlements; all or none.
    ``expected_versions`` maps each case's id to the version the page showed."""
    require_permission(actor, MOTHERS_APPROVE, commune)
    problems = Problems()
    ids = [pregnancy.pk for pregnancy in pregnancies]
    if not ids:
        problems.add(WHOLE, _("Tick at least one case to approve."), "required")
        problems.raise_if_any()
    cases = list(for_entitlement(Pregnancy.objects.filter(pk__in=ids)).order_by("pk"))
    rules = RuleSet.load(villages={case.village_id for case in cases})
    entitlements = {case.pk: entitlement_for(case, rules=rules) for case in cases}
    for case in cases:
        expected = expected_versions.get(case.pk)
        _case_problems(case, commune, entitlements[case.pk], expected, problems)
    problems.raise_if_any()
    now = timezone.now()
    lines = []
    for case in cases:
        claim_version(case, expected_versions[case.pk])
        case.status, case.approved_by, case.approved_at = S.APPROVED, actor, now
        case.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        entitlement = entitlements[case.pk]
        lines += [
            EntitlementLine(
                pregnancy=case,
                item=line.item,
                quantity=line.quantity,
                amount=line.amount,
                explanation=line.explanation,
            )
            for line in entitlement.lines
        ]
        audit.record(
            actor=actor,
            action=APPROVED,
            target=case,
            org_unit=commune,
            before={"status": S.VERIFIED.value},
            # an int: audit.plain writes a round Decimal as "2.2E+6"
            after={"status": case.status, "total": int(entitlement.total)},
            version=case.version,
        )
    EntitlementLine.objects.bulk_create(lines)
    return cases
