"""The audit actions of supervision, in words (shown by the audit viewer, ``duan8.trail``)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "supervision.session.created": _("Supervision session planned"),
    "supervision.session.updated": _("Supervision session changed"),
    "supervision.session.minutes_added": _("Supervision minutes added"),
    "supervision.session.minutes_viewed": _("Supervision minutes downloaded"),
    "supervision.finding.created": _("Supervision finding recorded"),
    "supervision.finding.updated": _("Supervision finding changed"),
    "supervision.recommendation.created": _("Recommendation made"),
    "supervision.recommendation.answered": _("Recommendation answered"),
    "supervision.recommendation.accepted": _("Answer to a recommendation accepted"),
    "supervision.recommendation.kept_open": _("Recommendation kept open"),
    "supervision.plan_comment.created": _("Comment on a draft plan made"),
    "supervision.plan_comment.handled": _("Comment on a draft plan handled"),
    "supervision.report.exported": _("Supervision report downloaded"),
}
