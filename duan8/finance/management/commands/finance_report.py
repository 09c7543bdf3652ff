"""``duan8 finance_report --unit CODE --year YYYY --kind disbursement|settlement
--format xlsx|docx -o FILE [--as-of DATE]``.

The command runs as the system (whoever runs it reads the database anyway) and the export is
recorded in the audit trail. ``--unit``: the official code as it stood on the --as-of date
(21520: xã Ba Trang in 2023, xã Đặng Thùy Trâm from 1/7/2025) or a stable code (VN-QD19-51).
"""

import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from duan8.finance.exports import CONTENT_TYPES, KINDS, finance_report_export
from duan8.orgunits.models import OrgUnit
from duan8.reports.exports.codes import org_unit_from_code


def _date(text: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise CommandError(_("%(text)s is not a date (YYYY-MM-DD or DD/MM/YYYY).") % {"text": text})


class Command(BaseCommand):
    help = "Write a unit's disbursement or settlement for a year as .xlsx or .docx."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="Official or stable code (21520).")
        parser.add_argument("--year", required=True, type=int, help="The budget year (2023).")
        parser.add_argument("--kind", required=True, choices=KINDS)
        parser.add_argument("--format", required=True, choices=sorted(CONTENT_TYPES))
        parser.add_argument("-o", "--output", required=True, help="File to write.")
        parser.add_argument(
            "--as-of", help="The map's date (YYYY-MM-DD); by default the last day of the year."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError(_("%(year)s is not a budget year.") % {"year": year})
        as_of = _date(options["as_of"]) if options["as_of"] else datetime.date(year, 12, 31)
        try:
            unit = org_unit_from_code(options["unit"], on=as_of)
        except (OrgUnit.DoesNotExist, ValidationError) as error:
            raise CommandError(_messages(error)) from error
        try:
            exported = finance_report_export(
                actor=None,
                unit=unit,
                year=year,
                kind=options["kind"],
                file_format=options["format"],
                as_of=as_of,
            )
        except ValidationError as error:
            raise CommandError(_messages(error)) from error
        Path(options["output"]).write_bytes(exported.content)
        self.stdout.write(
            _("Wrote %(file)s (%(unit)s, %(year)s).")
            % {"file": options["output"], "unit": unit.full_name, "year": year}
        )


def _messages(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
