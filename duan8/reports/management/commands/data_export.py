"""``duan8 data_export --format adx|dhis2|xlsx --unit CODE --period 2023 [--as-of DATE] -o FILE``.

Without ``--user`` the command runs as the system: whoever runs it can read the database
anyway. With ``--user NAME`` it exports only what that user may see, as the download page does.
Either way the export is recorded in the audit trail; a refusal too. The file is written as it
is made (``ExportFile.write_to``): a million values take little memory.
"""

import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.activities.selectors.progress import Period
from duan8.activities.values import SYSTEM, Actor
from duan8.core import audit
from duan8.orgunits.models import OrgUnit
from duan8.reports.exports import FORMATS, ExportFile, data_export
from duan8.reports.exports.codes import org_unit_from_code


def _date(text: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise CommandError(_("%(text)s is not a date (YYYY-MM-DD or DD/MM/YYYY).") % {"text": text})


def period_parse(text: str) -> Period:
    """``2023`` (a year) or ``2023-10-01..2023-12-31`` (a range of days)."""
    text = text.strip()
    if text.isdigit() and len(text) == 4:
        return Period.year(int(text))
    start, sep, end = text.partition("..")
    if not sep:
        raise CommandError(
            _("%(text)s is not a period: give a year (2023) or two dates (2023-10-01..2023-12-31).")
            % {"text": text}
        )
    return Period(_date(start), _date(end))


def _write(export: ExportFile, output: Path) -> int:
    """The file written as it is made (a million values take little memory), under a
    temporary name beside ``output``, renamed once whole: a failure leaves no half file."""
    partial = output.with_name(f".{output.name}.partial")
    try:
        with partial.open("wb") as stream:
            size = export.write_to(stream)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return size


class Command(BaseCommand):
    help = (
        "Export a unit's aggregate data (indicators per unit, participants by sex, ethnicity and"
        " age group, targets) as ADX XML, DHIS2 dataValueSets JSON or Excel, on the map as it"
        " stood on a date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument(
            "--unit",
            required=True,
            help="Official code as it stood on the --as-of date (21520: xã Ba Trang in 2023, "
            "xã Đặng Thùy Trâm from 1/7/2025), or a stable code such as VN-QD19-21520.",
        )
        parser.add_argument(
            "--period", required=True, help="A year (2023) or a range 2023-10-01..2023-12-31."
        )
        parser.add_argument(
            "--as-of",
            help="The map's date (YYYY-MM-DD); by default the last day of the period.",
        )
        parser.add_argument("-o", "--output", required=True, help="File to write.")
        parser.add_argument(
            "--user", help="Export only what this user may see (and record it in their name)."
        )
        parser.add_argument(
            "--no-children",
            action="store_true",
            help="The unit alone, without a row per unit under it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        period = period_parse(options["period"])
        as_of = _date(options["as_of"]) if options["as_of"] else period.end
        actor: Actor = SYSTEM
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(
                    _("No active user is named %(name)s.") % {"name": options["user"]}
                )
            actor = user
        try:
            unit = org_unit_from_code(options["unit"], on=as_of)
        except (OrgUnit.DoesNotExist, OrgUnit.MultipleObjectsReturned) as exc:
            raise CommandError(str(exc.args[0] if exc.args else exc)) from exc
        try:
            export = data_export(
                actor=actor,
                unit=unit,
                period=period,
                as_of=as_of,
                format=options["format"],
                children=not options["no_children"],
            )
        except PermissionDenied as exc:
            audit.record(
                actor=actor,
                action="access.denied",
                org_unit=unit,
                message=f"data_export --unit {options['unit']} --period {options['period']}",
            )
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        output = Path(options["output"])
        size = _write(export, output)
        self.stdout.write(
            _("%(file)s: %(unit)s, %(period)s, on the map of %(date)s (%(size)s bytes).")
            % {
                "file": output,
                "unit": unit.full_name,
                "period": options["period"],
                "date": as_of.strftime("%d/%m/%Y"),
                "size": size,
            }
        )
