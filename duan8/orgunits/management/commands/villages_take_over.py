"""``duan8 villages_take_over --unit CODE [--on DATE]``: a commune formed from others takes over
their villages (issue 12, points 5 and 7; see ``orgunits.villages_move``).

The code is resolved as a commune on ``--on`` (today by default): 21520 is xã Đặng Thùy Trâm from
1/7/2025. The command acts with the database's own rights (no user; audited as made from the
command line), prints what it created, or that there was nothing to take over, and is safe to run
again.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.core.problems import problems_of
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_resolve
from duan8.orgunits.villages_move import villages_take_over


def _day(raw: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(
            _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": raw}
        ) from exc


class Command(BaseCommand):
    help = (
        "A commune formed from others (the 2025 reform) takes over their villages: one new village"
        " per village they had on their last day, with its attributes; safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, metavar="CODE", help="commune code: 21520")
        parser.add_argument("--on", metavar="DATE", help="the day the code is read (today)")

    def handle(self, *args: Any, **options: Any) -> None:
        day = _day(options["on"]) if options["on"] else timezone.localdate()
        try:
            commune = org_unit_resolve(code=options["unit"], on=day, level=OrgUnit.Level.COMMUNE)
        except (OrgUnit.DoesNotExist, OrgUnit.MultipleObjectsReturned) as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = villages_take_over(actor=None, commune=commune)
        except ValidationError as exc:
            raise CommandError("\n".join(p.message for p in problems_of(exc))) from exc
        for line in result.lines():
            self.stdout.write(line)
