"""``duan8 generate_demo --scale commune|province|national [--year-from 2021 --year-to 2025]
[--seed N]``: synthetic Dự án 8 records on the real map, for demos and benchmarks.

Sizes (defaults): commune = one commune (xã Ba Trang) with 10–30 villages; province = 100
communes of the province (51, Quảng Ngãi) × 30 villages; national = every commune of the country
with 2 villages and fewer records each. See ``duan8/demo/generator`` and bench/README.md.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from duan8.activities.models import EthnicGroup, IndicatorRule
from duan8.activities.reference import ethnic_groups_load
from duan8.activities.rules import indicator_rules_load
from duan8.demo.generator import PROJECT, SCALES, demo_generate
from duan8.orgunits.geography import geography_load
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import ProgramElement
from duan8.programs.structure import program_structure_files, program_structure_load

# The country has 10,035 communes in the QĐ 124/2004 list; fewer means a partial load.
COUNTRY_COMMUNES = 10_000


class Command(BaseCommand):
    help = (
        "Make realistic synthetic records (villages, community groups and members, events with"
        " participants, women cadres, difficulties, plans with targets) on the real map, for"
        " demos and benchmarks. The same --seed gives the same data; a re-run replaces the"
        " earlier demo data of the same communes and never touches real plans."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", required=True, choices=list(SCALES))
        parser.add_argument("--year-from", type=int, default=2021)
        parser.add_argument("--year-to", type=int, default=2025)
        parser.add_argument("--seed", type=int, default=8)
        parser.add_argument(
            "--province",
            default="51",
            help="New (QĐ 19/2025) province code for the commune and province scales (51).",
        )
        parser.add_argument(
            "--commune",
            default="21520",
            help="Old (QĐ 124/2004) commune code for the commune scale (21520, xã Ba Trang).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
        if options["year_from"] > options["year_to"]:
            raise CommandError(_("--year-from is after --year-to."))
        self.prerequisites(scale, options["province"])
        result = demo_generate(
            scale=scale,
            year_from=options["year_from"],
            year_to=options["year_to"],
            seed=options["seed"],
            province=options["province"],
            commune=options["commune"],
        )
        if not result.communes:
            raise CommandError(_("No commune matches; check --province and --commune."))
        self.stdout.write(
            _(
                "%(scale)s: %(communes)s communes (and %(new)s communes after 1/7/2025), "
                "%(villages)s villages created, years %(start)s–%(end)s, seed %(seed)s, "
                "%(seconds).1f s."
            )
            % {
                "scale": scale,
                "communes": result.communes,
                "new": result.new_communes,
                "villages": result.villages_created,
                "start": options["year_from"],
                "end": options["year_to"],
                "seed": options["seed"],
                "seconds": result.seconds,
            }
        )
        self.stdout.write(", ".join(f"{k} {v}" for k, v in sorted(result.rows.items())))
        if result.deleted:
            self.stdout.write(
                _("%(count)s rows of an earlier demo run replaced.") % {"count": result.deleted}
            )
        for skipped in result.skipped:
            self.stdout.write(_("Skipped (it has a real plan): %(what)s") % {"what": skipped})

    def prerequisites(self, scale: str, province: str) -> None:
        """The map, the program structure, the indicator rules and the ethnic groups."""
        communes = OrgUnit.objects.filter(
            level=OrgUnit.Level.COMMUNE, code_scheme=OrgUnit.CodeScheme.QD124_2004
        )
        if scale == "national":
            if communes.count() < COUNTRY_COMMUNES:
                self.stdout.write(_("Loading the map of the whole country…"))
                geography_load()
        elif not OrgUnit.objects.filter(
            code_scheme=OrgUnit.CodeScheme.QD19_2025, level=OrgUnit.Level.PROVINCE, code=province
        ).exists():
            self.stdout.write(_("Loading the map of province %(code)s…") % {"code": province})
            geography_load(province_codes=[province])
        if not ProgramElement.objects.filter(code=PROJECT).exists():
            for path in program_structure_files():
                program_structure_load(path=path)
        if not IndicatorRule.objects.exists():
            indicator_rules_load()
        if EthnicGroup.objects.count() < 54:
            ethnic_groups_load()
