"""E-mail every user the reports they must act on: deadlines of their commune due within
``--days`` days or overdue, reports returned to them, reports waiting for their review.

The e-mails are sent by a job (``reports.reminders``, duan8/reports/jobs.py) that this command
queues for a worker; Celery beat queues the same job every morning (docs/deploy.md, "Task queue"),
so running both on one day sends once. E-mail goes through Django's backend: the console by
default, SMTP when EMAIL_BACKEND and EMAIL_HOST say so (.env.example). ``--dry-run`` lists who
would get what, here, and sends nothing.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.jobs.models import Job
from duan8.jobs.services import job_submit
from duan8.reports.jobs import reminder_mail, reminder_users


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
        if dry_run:
            for user in reminder_users():
                mail = reminder_mail(user, today=today, days=days)
                if mail is not None:
                    self.stdout.write(f"{user.email}: {mail[0]}")
            self.stdout.write(_("Dry run: nothing was sent."))
            return
        job = job_submit(
            actor=None, kind="reports.reminders", params={"days": days, "on": today.isoformat()}
        )
        if job.status == Job.Status.DONE:
            self.stdout.write(job.message)
        elif job.status == Job.Status.FAILED:
            raise CommandError(job.error)
        else:
            self.stdout.write(
                _("The reminders were queued for the worker (job %(id)s).") % {"id": job.pk}
            )
