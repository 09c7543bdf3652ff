"""Audit actions of the registry's privacy part (merged in mothers.audit_actions)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "mothers.consent.recorded": _("Mother's consent recorded"),
    "mothers.consent.withdrawn": _("Mother's consent withdrawn"),
    "mothers.consent.form_printed": _("Consent form printed"),
    "mothers.subject.exported": _("Mother's personal data exported for her"),
    "mothers.mother.anonymised": _("Mother's record anonymised at the end of retention"),
}
