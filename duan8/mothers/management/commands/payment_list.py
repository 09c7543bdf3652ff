"""``duan8 payment_list --unit CODE --year YYYY --format xlsx|docx|pdf -o FILE``: a commune's
payment list (danh sách chi trả / ký nhận) of a year as a file (issue 13, point 8).

The unit code is resolved as it was at the start of the year, then at its end (21520 is xã Ba
Trang until 30/6/2025 and xã Đặng Thùy Trâm from 1/7/2025). The export is audited as made from
the command line; nothing is written when the unit or the list is not found.
"""

import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from duan8.documents.pdf import ConversionError
from duan8.mothers.documents_payments import CONTENT_TYPES, payment_list_export
from duan8.mothers.models import PaymentList
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_resolve


def _unit(code: str, year: int) -> OrgUnit:
    problem = ""
    for day in (datetime.date(year, 1, 1), datetime.date(year, 12, 31)):
        try:
            return org_unit_resolve(code=code, on=day)
        except (OrgUnit.DoesNotExist, OrgUnit.MultipleObjectsReturned) as exc:
            problem = problem or str(exc)
    raise CommandError(problem)


def _list(unit: OrgUnit, year: int, number: str | None) -> PaymentList:
    lists = PaymentList.objects.filter(commune=unit, year=year).select_related("commune")
    if number:
        lists = lists.filter(number=number)
    found = list(lists.order_by("pk")[:10])
    if not found:
        raise CommandError(
            _("%(unit)s has no payment list for %(year)s.") % {"unit": unit.full_name, "year": year}
        )
    if len(found) > 1:
        raise CommandError(
            _(
                "%(unit)s has several payment lists for %(year)s (%(numbers)s); choose one with "
                "--number."
            )
            % {
                "unit": unit.full_name,
                "year": year,
                "numbers": ", ".join(p.number or str(p.pk) for p in found),
            }
        )
    return found[0]


class Command(BaseCommand):
    help = "Write a commune's payment list of a year (danh sách chi trả / ký nhận) as a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, metavar="CODE", help="commune code: 21520")
        parser.add_argument("--year", required=True, type=int, help="the list's year")
        parser.add_argument(
            "--format", dest="file_format", choices=sorted(CONTENT_TYPES), default="xlsx"
        )
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")
        parser.add_argument("--number", help="the list's number, when there are several")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        unit = _unit(options["unit"], year)
        payment_list = _list(unit, year, options["number"])
        try:
            exported = payment_list_export(
                actor=None, payment_list=payment_list, file_format=options["file_format"]
            )
        except (ConversionError, ValidationError) as exc:
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
            _("Payment list of %(unit)s for %(year)s written to %(file)s (%(size)s bytes).")
            % {
                "unit": unit.full_name,
                "year": year,
                "file": output,
                "size": len(exported.content),
            }
        )
