"""The audit actions this app records, in words (shown by the audit viewer, ``duan8.trail``)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "orgunits.attribute.created": _("Unit attribute set"),
    "orgunits.village.created": _("Village created"),
    "orgunits.village.renamed": _("Village renamed"),
    "orgunits.village.merged": _("Villages merged"),
    "orgunits.village.split": _("Village split"),
    "orgunits.villages.taken_over": _("Villages of the merged communes taken over"),
    "orgunits.act.added": _("Deciding act added to the register"),
    # user management (orgunits/users/): the codes keep the accounts prefix they were stored with
    "accounts.password.reset": _("Password reset"),
    "accounts.user.updated": _("User details changed"),
    "accounts.role.ended": _("Role ended"),
    "accounts.role.granted": _("Role granted"),
    "accounts.user.created": _("User created"),
    "accounts.user.deactivated": _("User deactivated"),
}
