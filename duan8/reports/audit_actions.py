"""The audit actions this app records, in words (shown by the audit viewer, ``duan8.trail``)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "reports.report.requested": _("Report requested"),
    "reports.report.created": _("Report started"),
    "reports.report.updated": _("Report edited"),
    "reports.report.submitted": _("Report submitted"),
    "reports.report.resubmitted": _("Report resubmitted"),
    "reports.report.returned": _("Report returned with comments"),
    "reports.report.approved": _("Report approved"),
    "reports.report.unlocked": _("Report unlocked"),
    "reports.report.exported": _("Report downloaded"),
    "reports.reminders.sent": _("Reminders sent"),
    "reports.data.exported": _("Aggregate data exported"),
}
