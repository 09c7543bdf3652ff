"""``duan8 load_geography [--province 51 ...]``: the map before and after 1/7/2025."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from duan8.orgunits.geography import geography_load
from duan8.orgunits.models import OrgUnit, OrgUnitSuccession


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


class Command(BaseCommand):
    help = (
        "Load the provinces, districts and communes of Vietnam before 1/7/2025 (QĐ 124/2004 codes)"
        " and from 1/7/2025 (QĐ 19/2025 codes), with the successions between them, from the"
        " vietnamadminunits package. Re-running updates and never duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            dest="provinces",
            action="extend",
            nargs="+",
            metavar="CODE",
            help="Only these new (QĐ 19/2025) provinces and the old provinces that became part of"
            " them, e.g. --province 51 (Quảng Ngãi = old Quảng Ngãi + old Kon Tum).",
        )

    def handle(self, *args: Any, provinces: list[str] | None = None, **options: Any) -> None:
        verbose = options["verbosity"] > 1
        try:
            result = geography_load(
                province_codes=provinces, stdout=self.stdout if verbose else None
            )
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error

        for scheme in OrgUnit.CodeScheme:
            if not any(result.count(scheme, level) for level in OrgUnit.Level):
                continue
            self.stdout.write(
                _(
                    "Loaded %(provinces)s provinces, %(districts)s districts and %(communes)s"
                    " communes (%(scheme)s)."
                )
                % {
                    "provinces": _n(result.count(scheme, OrgUnit.Level.PROVINCE)),
                    "districts": _n(result.count(scheme, OrgUnit.Level.DISTRICT)),
                    "communes": _n(result.count(scheme, OrgUnit.Level.COMMUNE)),
                    "scheme": scheme.label,
                }
            )
        by_kind = ", ".join(
            f"{kind.label}: {_n(result.successions[kind.value])}"
            for kind in OrgUnitSuccession.Kind
            if result.successions[kind.value]
        )
        self.stdout.write(
            _("Successions effective 1/7/2025: %(total)s (%(by_kind)s).")
            % {"total": _n(sum(result.successions.values())), "by_kind": by_kind}
        )
        self.stdout.write(
            _(
                "Units: %(created)s created, %(updated)s updated. Successions: %(s_created)s"
                " created, %(s_updated)s updated."
            )
            % {
                "created": _n(result.units_created),
                "updated": _n(result.units_updated),
                "s_created": _n(result.successions_created),
                "s_updated": _n(result.successions_updated),
            }
        )
        if result.kind_conflicts:
            self.stdout.write(
                _(
                    "%(count)s units whose type column contradicts their name (the name was kept):"
                    " %(units)s"
                )
                % {
                    "count": _n(len(result.kind_conflicts)),
                    "units": "; ".join(result.kind_conflicts),
                }
            )
        if result.unmatched_keys:
            self.stderr.write(
                _("%(count)s converter keys match no unit and were skipped: %(keys)s")
                % {
                    "count": _n(len(result.unmatched_keys)),
                    "keys": "; ".join(result.unmatched_keys),
                }
            )
        else:
            self.stdout.write(_("Every converter key matched a unit."))
