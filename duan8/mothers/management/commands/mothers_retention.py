from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from duan8.mothers.services.privacy import mothers_retention, retention_years


class Command(BaseCommand):
    help = (
        "Anonymise the mothers' records whose last decision or payment is older than the "
        "retention period (MOTHERS_RETENTION_YEARS, 10 by default): name, ID number, phone, "
        "health fields and exact dates go; counts and amounts stay."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["years"] if options["years"] is not None else retention_years()
        if years < 1:
            raise CommandError("--years must be at least 1.")
        result = mothers_retention(years=years, dry_run=options["dry_run"])
        verb = "would be anonymised" if result.dry_run else "anonymised"
        self.stdout.write(
            f"{result.count} records {verb} (last decision or payment before "
            f"{result.cutoff.isoformat()}, {years} years)."
        )
