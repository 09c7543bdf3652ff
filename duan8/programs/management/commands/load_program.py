from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from duan8.core.schemas import error_lines
from duan8.programs.structure import load_message, program_structure_files, program_structure_load


class Command(BaseCommand):
    help = (
        "Load the program structure (contents, activities, indicators) from JSON files; "
        "and the crosswalks between phases; by default every file in "
        "duan8/programs/data/structure/, then duan8/programs/data/crosswalk/. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", metavar="FILE", help="structure JSON files")

    def handle(self, *args: Any, files: list[str], **options: Any) -> None:
        paths = [Path(name) for name in files] or program_structure_files()
        if not paths:
            raise CommandError(_("No structure file found."))
        for path in paths:
            if not path.is_file():
                raise CommandError(_("File not found: %(file)s") % {"file": path})
            try:
                count = program_structure_load(path=path)
            except ValidationError as exc:
                raise CommandError("\n".join(error_lines(exc, source=path.name))) from exc
            self.stdout.write(load_message(path, count))
