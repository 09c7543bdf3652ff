"""The audit actions this app records, in words (shown by the audit viewer, ``duan8.trail``)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    # the code keeps the prefix it was stored with when the generator lived in reports
    "reports.demo.generated": _("Demo data generated"),
}
