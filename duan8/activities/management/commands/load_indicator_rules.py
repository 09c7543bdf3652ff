from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from duan8.activities.rules import RULES_FILE, indicator_rules_load
from duan8.core.schemas import error_lines


class Command(BaseCommand):
    help = "Load the rules that compute each indicator from the records (JSON data file)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", default=str(RULES_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = indicator_rules_load(path=options["file"])
        except ValidationError as exc:
            raise CommandError("\n".join(error_lines(exc, source=options["file"]))) from exc
        self.stdout.write(f"{count} indicator rules loaded.")
