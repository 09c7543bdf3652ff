"""``duan8 plan_export --unit 21520 --year 2023 --format docx|pdf -o FILE``: a plan as a document.

The unit code is resolved as it was at the start of the plan's year (21520 is xã Ba Trang until
30/6/2025 and xã Đặng Thùy Trâm from 1/7/2025); if no unit carried the code then, its end is
tried. The export is audited as made from the command line.
"""

import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.documents.pdf import ConversionError
from duan8.documents.services import CONTENT_TYPES, plan_export
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_resolve
from duan8.programs.models import Plan


def _unit(code: str, year: int) -> OrgUnit:
    problem = ""
    for day in (datetime.date(year, 1, 1), datetime.date(year, 12, 31)):
        try:
            return org_unit_resolve(code=code, on=day)
        except (OrgUnit.DoesNotExist, OrgUnit.MultipleObjectsReturned) as exc:
            problem = problem or str(exc)
    raise CommandError(problem)


class Command(BaseCommand):
    help = (
        "Write the Kế hoạch of a unit's plan for a year as a Word (.docx) or PDF file, in the"
        " layout of Decree 30/2020/NĐ-CP."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, metavar="CODE", help="unit code, e.g. 21520")
        parser.add_argument("--year", required=True, type=int, help="the plan's year")
        parser.add_argument(
            "--format", dest="file_format", choices=sorted(CONTENT_TYPES), default="docx"
        )
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")
        parser.add_argument(
            "--number", type=int, help="the plan's number, when the unit has several that year"
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="export as this user (checks the user's right to see the plan)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        unit = _unit(options["unit"], year)
        plans = Plan.objects.filter(issuing_unit=unit, year=year).select_related(
            "issuing_unit", "project"
        )
        if options["number"] is not None:
            plans = plans.filter(number=options["number"])
        found = list(plans.order_by("number")[:10])
        if not found:
            raise CommandError(
                _("%(unit)s has no plan for %(year)s.") % {"unit": unit.full_name, "year": year}
            )
        if len(found) > 1:
            raise CommandError(
                _("%(unit)s has several plans for %(year)s (%(refs)s); choose one with --number.")
                % {
                    "unit": unit.full_name,
                    "year": year,
                    "refs": ", ".join(plan.reference for plan in found),
                }
            )
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("No user “%(name)s”.") % {"name": options["user"]})
        try:
            exported = plan_export(plan=found[0], actor=actor, file_format=options["file_format"])
        except (ConversionError, ValidationError, PermissionDenied) as exc:
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(message) from exc
        output = Path(options["output"])
        try:
            output.write_bytes(exported.content)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output, "error": exc.strerror}
            ) from exc
        self.stdout.write(
            _("%(reference)s of %(unit)s written to %(file)s (%(size)s bytes).")
            % {
                "reference": found[0].reference,
                "unit": unit.full_name,
                "file": output,
                "size": len(exported.content),
            }
        )
