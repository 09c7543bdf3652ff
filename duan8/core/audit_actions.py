"""The audit actions this app records, in words (shown by the audit viewer, ``duan8.trail``)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    # recorded by core.audit's middleware, and by services refusing an action
    "access.denied": _("Access refused"),
}
