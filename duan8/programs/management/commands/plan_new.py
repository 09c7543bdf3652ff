"""``duan8 plan_new --unit CODE --year YYYY [--from-previous | --from-assigned | --empty]
[--carry-targets] [--as-of DATE]``: start a unit's draft plan for a year (issue 12, point 8).

The unit code is resolved as it was on ``--as-of``, else at the start of the year (then at its
end: 21520 is xã Ba Trang until 30/6/2025 and xã Đặng Thùy Trâm from 1/7/2025). The command acts
with the database's own rights (no user; audited as made from the command line). It prints what it
created, or every problem, and then ends with a non-zero status.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.translation import gettext as _

from duan8.core.problems import problems_of
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_resolve
from duan8.programs.plan_new import ASSIGNED, EMPTY, PREVIOUS, plan_new


def _unit(code: str, year: int, as_of: datetime.date | None) -> OrgUnit:
    problem = ""
    days = [as_of] if as_of else [datetime.date(year, 1, 1), datetime.date(year, 12, 31)]
    for day in days:
        try:
            return org_unit_resolve(code=code, on=day)
        except (OrgUnit.DoesNotExist, OrgUnit.MultipleObjectsReturned) as exc:
            problem = problem or str(exc)
    raise CommandError(problem)


def _day(raw: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(
            _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": raw}
        ) from exc


class Command(BaseCommand):
    help = (
        "Start a unit's draft plan for a year: from its previous plan (default), or empty from the"
        " program structure in force that year."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, metavar="CODE", help="unit code, e.g. 21520")
        parser.add_argument("--year", required=True, type=int, help="the plan's year")
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--from-previous", action="store_true", help="copy the last plan")
        source.add_argument(
            "--from-assigned", action="store_true", help="from the targets the level above assigned"
        )
        source.add_argument("--empty", action="store_true", help="from the program structure")
        parser.add_argument(
            "--carry-targets", action="store_true", help="keep the previous plan's targets"
        )
        parser.add_argument("--as-of", metavar="DATE", help="read the map on this day")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        as_of = _day(options["as_of"]) if options["as_of"] else None
        unit = _unit(options["unit"], year, as_of)
        source = EMPTY if options["empty"] else ASSIGNED if options["from_assigned"] else PREVIOUS
        try:
            result = plan_new(
                actor=None,
                unit=unit,
                year=year,
                source=source,
                carry_targets=options["carry_targets"],
                as_of=as_of,
            )
        except ValidationError as exc:
            raise CommandError("\n".join(p.message for p in problems_of(exc))) from exc
        plan = result.plan
        if result.previous is not None:
            origin = _("from %(reference)s of %(year)s") % {
                "reference": result.previous.reference,
                "year": result.previous.year,
            }
        elif source == ASSIGNED:
            origin = _("from the targets the level above assigned")
        else:
            origin = _("empty, from the program structure in force")
        self.stdout.write(
            _(
                "Draft plan of %(unit)s for %(year)s created (%(origin)s): %(targets)s targets,"
                " %(rows)s allocation rows. Open it at %(url)s."
            )
            % {
                "unit": unit.full_name,
                "year": year,
                "origin": origin,
                "targets": result.targets,
                "rows": result.rows,
                "url": reverse("programs:plan_detail", kwargs={"pk": plan.pk}),
            }
        )
        for label in result.dropped_villages:
            self.stdout.write(
                _("Row “%(label)s” left out: the village no longer exists in %(year)s.")
                % {"label": label, "year": year}
            )
