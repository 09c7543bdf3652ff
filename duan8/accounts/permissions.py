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
RECORDS_VIEW = "records.view"
RECORDS_EDIT = "records.edit"
RECORDS_PERSONAL = "records.personal"
ORGUNITS_MANAGE_VILLAGES = "orgunits.manage_villages"
REPORTS_REVIEW = "reports.review"
USERS_MANAGE = "users.manage"
AUDIT_VIEW = "audit.view"

PERMISSIONS: dict[str, Promise] = {
    PLANS_VIEW: _("Read plans, their targets and allocation"),
    PLANS_EDIT: _("Write plans, targets and allocation; write the unit's reports"),
    PLANS_APPROVE: _("Approve plans"),
    RECORDS_VIEW: _("Read what is carried out (events, groups, cadres, difficulties) and progress"),
    RECORDS_EDIT: _("Record what is carried out"),
    RECORDS_PERSONAL: _("Read the names, ethnicity and years of birth of persons"),
    ORGUNITS_MANAGE_VILLAGES: _("Create villages and set their dated attributes"),
    REPORTS_REVIEW: _("Review, return and approve reports; lock and unlock periods"),
    USERS_MANAGE: _("Create users and grant roles below oneself; see users' addresses"),
    AUDIT_VIEW: _("Read the audit trail"),
}
