"""Permission codes, declared once.

A role (``accounts.Role.permissions``) holds codes; services, selectors and views check them
through ``orgunits.access`` (``can``, ``require_permission``) and import them from here, never
as text. ``accounts/tests/test_permissions.py`` fails on a code checked anywhere or held by a
role that is not declared here, and on a declared code that nothing checks: such a code is used
or removed (with a data migration taking it from the roles).

The roles themselves are data, written by the migrations of ``accounts`` (which copy the codes,
as migrations never import app code).
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PLANS_VIEW = "plans.view"
PLANS_EDIT = "plans.edit"
PLANS_APPROVE = "plans.approve"
PLANS_ASSIGN = "plans.assign"
RECORDS_VIEW = "records.view"
RECORDS_EDIT = "records.edit"
RECORDS_PERSONAL = "records.personal"
ORGUNITS_MANAGE_VILLAGES = "orgunits.manage_villages"
REPORTS_REVIEW = "reports.review"
USERS_MANAGE = "users.manage"
AUDIT_VIEW = "audit.view"
MOTHERS_PROPOSE = "mothers.propose"
MOTHERS_VIEW = "mothers.view"
MOTHERS_HEALTH = "mothers.health"
MOTHERS_VERIFY = "mothers.verify"
MOTHERS_APPROVE = "mothers.approve"
MOTHERS_PAY = "mothers.pay"
MOTHERS_RULES = "mothers.rules"
FINANCE_VIEW = "finance.view"
FINANCE_PROPOSE = "finance.propose"
FINANCE_EDIT = "finance.edit"
FINANCE_APPROVE = "finance.approve"
FINANCE_NORMS = "finance.norms"
SUPERVISION_RECORD = "supervision.record"
SUPERVISION_ANSWER = "supervision.answer"

PERMISSIONS: dict[str, Promise] = {
    PLANS_VIEW: _("Read plans, their targets and allocation"),
    PLANS_EDIT: _("Write plans, targets and allocation; write the unit's reports"),
    PLANS_APPROVE: _("Approve plans"),
    PLANS_ASSIGN: _(
        "Write and approve the plan of one's own unit, which assigns targets to the units below;"
        " never the plans of the units below"
    ),
    RECORDS_VIEW: _("Read what is carried out (events, groups, cadres, difficulties) and progress"),
    RECORDS_EDIT: _("Record what is carried out"),
    RECORDS_PERSONAL: _("Read the names, ethnicity and years of birth of persons"),
    ORGUNITS_MANAGE_VILLAGES: _("Create villages and set their dated attributes"),
    REPORTS_REVIEW: _("Review, return and approve reports; lock and unlock periods"),
    USERS_MANAGE: _("Create users and grant roles below oneself; see users' addresses"),
    AUDIT_VIEW: _("Read the audit trail"),
    MOTHERS_PROPOSE: _("Propose mothers for the safe-motherhood packages and correct proposals"),
    MOTHERS_VIEW: _("Read the mothers' records: names, village, ethnicity, status, entitlements"),
    MOTHERS_HEALTH: _("Read and write the health fields: pregnancy, visits, delivery"),
    MOTHERS_VERIFY: _("Verify proposals, reject them and resolve likely duplicates"),
    MOTHERS_APPROVE: _("Approve the list of mothers to be supported and the payment lists"),
    MOTHERS_PAY: _("Record payments to mothers and their reversals; read payment lists"),
    MOTHERS_RULES: _("Edit the packages' eligibility rules and items"),
    FINANCE_VIEW: _("Read allocations, estimates, spending, disbursement and settlements"),
    FINANCE_PROPOSE: _("Write the plan's estimate and propose payments (đề nghị thanh toán)"),
    FINANCE_EDIT: _("Record allocations received, vouchers and reversals; draft the settlement"),
    FINANCE_APPROVE: _("Approve the estimate with the plan and the year's settlement"),
    FINANCE_NORMS: _("Edit the spending norms"),
    SUPERVISION_RECORD: _(
        "Plan and record supervision sessions, their findings and recommendations;"
        " comment on draft plans (social feedback)"
    ),
    SUPERVISION_ANSWER: _("Answer a recommendation addressed to one's unit"),
}
