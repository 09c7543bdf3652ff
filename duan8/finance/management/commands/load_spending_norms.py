from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from duan8.core.schemas import error_lines
from duan8.finance.norms_data import NORMS_FILE, spending_norms_load


class Command(BaseCommand):
    help = (
        "Load the spending norms (JSON data file); safe to repeat: norms already there keep the"
        " administrator's edits."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", default=str(NORMS_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = spending_norms_load(path=options["file"])
        except ValidationError as exc:
            raise CommandError("\n".join(error_lines(exc, source=options["file"]))) from exc
        self.stdout.write(f"{loaded.created} norms created, {loaded.kept} already there (kept).")
