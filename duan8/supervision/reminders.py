"""Supervision's reminders (``settings.REMINDER_SOURCES``): the recommendations past their
deadline and still open, on the home page and in ``duan8 send_reminders`` — to the responsible
unit, which must answer, and to the supervisor, who follows them up."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.supervision.selectors import overdue_recommendations


@dataclass(frozen=True)
class SupervisionReminder:
    text: str
    url: str
    due_on: datetime.date


def supervision_reminders(*, actor: User, today: datetime.date) -> list[SupervisionReminder]:
    return [
        SupervisionReminder(
            text=_("Recommendation overdue since %(day)s, to %(unit)s: %(text)s")
            % {
                "day": r.due_on.strftime("%d/%m/%Y"),
                "unit": r.addressee_body or r.addressee.full_name,
                "text": Truncator(r.text).chars(90),
            },
            url=reverse("supervision:session_detail", args=[r.session_id]) + "#recommendations",
            due_on=r.due_on,
        )
        for r in overdue_recommendations(actor=actor, today=today)
    ]
