"""``duan8 plan_import FILE --unit 21520 [--dry-run] [--year N] [--replace]``.

Reads a plan from a Word (.docx) or text file and creates it as a draft of the unit (a commune,
or a province or district for their own plans; one without appendix tables has no targets). The dry
run prints what would be created and every problem, and writes nothing. Any error (a file that
cannot be read, a table that does not add up, an unknown village, an approved plan with the same
number) ends the command with a non-zero status and its messages; nothing is written then either.
"""

import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.documents.importing.building import PLAN_LEVELS, PlanImport, plan_import_build
from duan8.documents.importing.reader import plan_document_parse
from duan8.documents.importing.services import plan_import_existing, plan_import_save
from duan8.documents.importing.source import ImportFileError, max_upload_bytes, source_read
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.selectors import org_unit_resolve


class Command(BaseCommand):
    help = (
        "Import a commune's plan from a Word (.docx) or text (.txt) file as a draft plan. "
        "With --dry-run, print what would be created and every problem, and write nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="the plan, .docx or .txt")
        parser.add_argument(
            "--unit",
            required=True,
            help="code of the commune (e.g. 21520), province or district, on the plan date",
        )
        parser.add_argument("--year", type=int, help="the plan's year, if the file does not say")
        parser.add_argument("--dry-run", action="store_true", help="print only; write nothing")
        parser.add_argument(
            "--replace", action="store_true", help="replace a draft plan with the same number"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(file)s") % {"file": path})
        if path.stat().st_size > max_upload_bytes():
            raise CommandError(
                _("%(file)s is larger than %(size)s.")
                % {"file": path.name, "size": filesizeformat(max_upload_bytes())}
            )
        try:
            parsed = plan_document_parse(source_read(content=path.read_bytes(), filename=path.name))
        except ImportFileError as exc:
            raise CommandError("\n".join(exc.messages)) from exc

        year = options["year"]
        day = parsed.issued_on or next(
            (r.issued_on for r in parsed.appendix_references if r.issued_on), None
        )
        if day is None:
            known = year or next((found for found, _where in parsed.years), None)
            day = datetime.date(known, 1, 1) if known else timezone.localdate()
        try:
            unit = org_unit_resolve(code=options["unit"], on=day)
        except (OrgUnit.DoesNotExist, OrgUnit.MultipleObjectsReturned) as exc:
            raise CommandError(str(exc)) from exc
        if unit.level not in PLAN_LEVELS:
            raise CommandError(
                _("Plans are imported for a province, a district or a commune; %(unit)s is not.")
                % {"unit": unit.full_name}
            )

        result = plan_import_build(parsed=parsed, issuing_unit=unit, filename=path.name, year=year)
        self.report(result, unit)
        existing = (
            plan_import_existing(issuing_unit=unit, data=result.data) if result.data else None
        )
        failures = [str(problem) for problem in result.errors]
        if existing is not None and not existing.is_editable:
            failures.append(
                _("Plan %(reference)s of %(year)s is approved; an import cannot replace it.")
                % {"reference": existing.reference, "year": existing.year}
            )
        elif existing is not None and not options["replace"]:
            failures.append(
                _(
                    "A draft plan %(reference)s of %(year)s already exists; add --replace to"
                    " replace it."
                )
                % {"reference": existing.reference, "year": existing.year}
            )
        elif existing is not None:
            self.stdout.write(
                _("The draft plan %(reference)s of %(year)s will be replaced.")
                % {"reference": existing.reference, "year": existing.year}
            )
        if failures:
            raise CommandError("\n".join([_("Nothing was written:"), *failures]))
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written."))
            return
        try:
            plan = plan_import_save(
                actor=None, issuing_unit=unit, result=result, replace=options["replace"]
            )
        except ValidationError as exc:
            raise CommandError("\n".join([_("Nothing was written:"), *exc.messages])) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Draft plan %(reference)s of %(year)s created for %(unit)s (id %(id)s).")
                % {
                    "reference": plan.reference,
                    "year": plan.year,
                    "unit": unit.full_name,
                    "id": plan.pk,
                }
            )
        )

    def report(self, result: PlanImport, unit: OrgUnit) -> None:
        data, counts = result.data, result.counts
        write = self.stdout.write
        write(_("File: %(file)s (%(kind)s)") % {"file": result.filename, "kind": result.kind})
        write(_("Unit: %(unit)s (code %(code)s)") % {"unit": unit.full_name, "code": unit.code})
        if data:
            number = data.get("number")
            write(
                _("Plan: %(reference)s, date %(date)s, year %(year)s")
                % {
                    "reference": f"{'' if number is None else number}/{data.get('symbol')}",
                    "date": _day(data.get("issued_on")),
                    "year": data.get("year") or "—",
                }
            )
            write(_("Issuing body: %(body)s") % {"body": data.get("issuing_body") or "—"})
            write(_("Body above: %(body)s") % {"body": data.get("parent_body") or "—"})
            write(_("Place: %(place)s") % {"place": data.get("place") or "—"})
            write(_("Summary: %(title)s") % {"title": data.get("title") or "—"})
            write(_("Legal bases: %(count)s") % {"count": counts["legal_bases"]})
            for document in data.get("legal_bases") or []:
                write(
                    f"  - {document['number']}/{document['symbol']} "
                    f"{_day(document['issued_on'])} {document['issuer']}"
                )
            write(_("Targets (first appendix): %(count)s") % {"count": counts["targets"]})
            write(
                _("Allocation table: %(columns)s columns, %(rows)s rows, %(cells)s cells") % counts
            )
        errors, warnings = len(result.errors), len(result.warnings)
        write(
            _("Problems: %(errors)s errors, %(warnings)s warnings")
            % {"errors": errors, "warnings": warnings}
        )
        for problem in result.problems:
            write(f"  {problem}")


def _day(iso: str | None) -> str:
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else "—"
