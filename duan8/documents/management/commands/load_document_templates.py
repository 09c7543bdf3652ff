"""``duan8 load_document_templates [--replace]``: the shipped templates into the database."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from duan8.core.schemas import error_lines
from duan8.documents.templates_data import document_templates_load


class Command(BaseCommand):
    help = (
        "Load the document templates shipped in duan8/documents/data/templates/. Templates"
        " already in the database keep the administrator's edits unless --replace is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--replace", action="store_true", help="overwrite templates already in the database"
        )

    def handle(self, *args: Any, replace: bool = False, **options: Any) -> None:
        try:
            done = document_templates_load(replace=replace)
        except ValidationError as exc:
            raise CommandError("\n".join(error_lines(exc, source="templates"))) from exc
        labels = {"created": _("created"), "replaced": _("replaced"), "kept": _("kept")}
        for key, outcome in done:
            self.stdout.write(f"{key}: {labels[outcome]}")
