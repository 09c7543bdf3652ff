from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from duan8.activities.rules import RULES_FILE, indicator_rules_load


class Command(BaseCommand):
    help = "Load the rules that compute each indicator from the records (JSON data file)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(RULES_FILE))

    def handle(self, *args, **options):
        try:
            count = indicator_rules_load(path=options["file"])
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(f"{count} indicator rules loaded.")
