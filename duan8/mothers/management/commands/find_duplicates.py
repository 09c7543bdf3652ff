"""``duan8 find_duplicates [--unit CODE] [--on DATE]``: look for likely duplicates among the
registry's cases of an area (any unit: a province, a commune; the whole country without
``--unit``), and the cases elsewhere that share a name, phone or ID number with them (issue 13,
point 3; ``mothers.duplicates.duplicates_find``).

Safe to run again: a pair already known, open, confirmed or dismissed, is never written twice.
The code is resolved on ``--on`` (today by default): 21520 is xã Ba Trang until 30/6/2025 and xã
Đặng Thùy Trâm from 1/7/2025, whose area includes xã Ba Trang's and xã Ba Khâm's cases.
"""

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.mothers.duplicates import duplicates_find
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_resolve


class Command(BaseCommand):
    help = (
        "Look for likely duplicates among the mothers' cases of an area (all without --unit); "
        "safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", metavar="CODE", help="unit code: 51, 21520")
        parser.add_argument("--on", metavar="DATE", help="the day the code is read (today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = (
                datetime.date.fromisoformat(options["on"])
                if options["on"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError(
                _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": options["on"]}
            ) from exc
        units = None
        if options["unit"]:
            try:
                units = [org_unit_resolve(code=options["unit"], on=day)]
            except (OrgUnit.DoesNotExist, OrgUnit.MultipleObjectsReturned) as exc:
                raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        count = duplicates_find(communes=units)
        self.stdout.write(
            _("%(count)s new likely duplicate pair(s) found in %(seconds).1f s.")
            % {"count": count, "seconds": time.perf_counter() - started}
        )
