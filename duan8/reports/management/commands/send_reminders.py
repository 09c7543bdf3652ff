"""E-mail every user the reports they must act on: deadlines of their commune due within
``--days`` days or overdue, reports returned to them, reports waiting for their review.

Run it daily from cron or a systemd timer (docs/deploy.md). E-mail goes through Django's backend:
the console by default, SMTP when EMAIL_BACKEND and EMAIL_HOST say so (.env.example).
``--dry-run`` lists who would get what and sends nothing.
"""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from duan8.accounts.models import User
from duan8.core import audit
from duan8.reports.selectors import report_reminders
from duan8.reports.selectors.reminders import other_reminders

COMMAND_LINE = "command line"


class Command(BaseCommand):
    help = "E-mail users the reports they must act on (due soon, overdue, returned, to review)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--days", type=int, default=7, help="Remind of deadlines due within this many days."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List the e-mails without sending them."
        )

    def handle(self, *args: Any, days: int, dry_run: bool, **options: Any) -> None:
        if days < 0:
            raise CommandError(_("--days cannot be negative."))
        today = timezone.localdate()
        users = (
            User.objects.filter(is_active=True, memberships__isnull=False)
            .exclude(email="")
            .distinct()
            .order_by("username")
        )
        sent = 0
        for user in users:
            items = report_reminders(actor=user, today=today, days=days)
            others = other_reminders(actor=user, today=today)  # settings.REMINDER_SOURCES
            if not items and not others:
                continue
            subject = (
                ngettext(
                    "[Project 8] %(count)s report to act on",
                    "[Project 8] %(count)s reports to act on",
                    len(items),
                )
                % {"count": len(items)}
                if items
                else ngettext(
                    "[Project 8] %(count)s matter to follow up",
                    "[Project 8] %(count)s matters to follow up",
                    len(others),
                )
                % {"count": len(others)}
            )
            body = render_to_string(
                "reports/report_reminder_email.txt",
                {
                    "user": user,
                    "items": items,
                    "others": others,
                    "today": today,
                    "site_url": settings.SITE_URL.rstrip("/"),
                },
            )
            if dry_run:
                self.stdout.write(f"{user.email}: {subject}")
                continue
            send_mail(subject, body, None, [user.email])
            audit.record(
                actor=None,
                actor_name=COMMAND_LINE,
                action="reports.reminders.sent",
                target=user,
                after={"reports": len(items), "others": len(others), "days": days},
            )
            sent += 1
        if dry_run:
            self.stdout.write(_("Dry run: nothing was sent."))
        else:
            self.stdout.write(
                ngettext("%(count)s e-mail sent.", "%(count)s e-mails sent.", sent)
                % {"count": sent}
            )
