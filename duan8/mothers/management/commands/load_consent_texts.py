from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from duan8.mothers.services.consent import TEXTS_FILE, consent_texts_load


class Command(BaseCommand):
    help = (
        "Load the versioned consent texts of the mothers' registry (JSON data file); versions "
        "already loaded are kept as they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", default=str(TEXTS_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        count = consent_texts_load(Path(options["file"]))
        self.stdout.write(f"{count} consent texts loaded.")
