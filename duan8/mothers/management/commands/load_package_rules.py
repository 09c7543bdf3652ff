from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from duan8.core.schemas import error_lines
from duan8.mothers.rules_data import RULES_FILE, package_rules_load


class Command(BaseCommand):
    help = (
        "Load the safe-motherhood packages' eligibility rules and items (JSON data file); safe"
        " to repeat: rows already there keep the administrator's edits, missing provinces are"
        " linked (run it after load_geography)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", default=str(RULES_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = package_rules_load(path=options["file"])
        except ValidationError as exc:
            raise CommandError("\n".join(error_lines(exc, source=options["file"]))) from exc
        self.stdout.write(
            f"{loaded.rules_created} rules and {loaded.items_created} items created,"
            f" {loaded.provinces_linked} provinces linked."
        )
        for name in loaded.provinces_missing:
            self.stdout.write(f"Province not in the map (load_geography first): {name}")
