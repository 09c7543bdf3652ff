"""The audit actions this app records, in words (shown by the audit viewer, ``duan8.trail``)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "programs.allocation.changed": _("Allocation changed"),
    "programs.crosswalk.changed": _("Crosswalk between phases changed"),
    "programs.legal_document.added": _("Legal document added to the register"),
    "programs.plan.amendment_discarded": _("Draft plan amendment discarded"),
    "programs.plan.amendment_started": _("Plan amendment started"),
    "programs.plan.approved": _("Plan approved"),
    "programs.plan.changed": _("Plan changed"),
    "programs.plan.created": _("New plan started"),
    "programs.plan.focus_changed": _("Plan focus texts changed"),
    "programs.plan.legal_bases_changed": _("Plan legal bases changed"),
    "programs.plan.responsibilities_changed": _("Plan responsibilities changed"),
    "programs.plan.superseded": _("Plan version superseded by an amendment"),
    "programs.plan.texts_changed": _("Plan text changed"),
    "programs.structure.changed": _("Program structure changed"),
    "programs.targets.changed": _("Targets changed"),
}
