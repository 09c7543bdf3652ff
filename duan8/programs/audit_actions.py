"""The audit actions this app records, in words (shown by the audit viewer, ``duan8.trail``)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "programs.allocation.changed": _("Allocation changed"),
    "programs.crosswalk.changed": _("Crosswalk between phases changed"),
    "programs.plan.approved": _("Plan approved"),
    "programs.plan.changed": _("Plan changed"),
    "programs.structure.changed": _("Program structure changed"),
    "programs.targets.changed": _("Targets changed"),
}
