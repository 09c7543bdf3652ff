"""``{% report_reminders %}``: the reports the signed-in user must act on, for the home page."""

from typing import Any

from django import template

from duan8.reports.selectors import report_reminders as reminders_for
from duan8.reports.selectors import reporting_units_of, review_units_of
from duan8.reports.selectors.reminders import other_reminders

register = template.Library()

HOME_DAYS = 14  # deadlines this close are listed on the home page


@register.inclusion_tag("reports/report_reminders.html", takes_context=True)
def report_reminders(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"reminders": [], "has_reports": False}
    return {
        "reminders": reminders_for(actor=user, days=HOME_DAYS),
        "others": other_reminders(actor=user),
        "has_reports": bool(reporting_units_of(user) or review_units_of(user)),
    }
