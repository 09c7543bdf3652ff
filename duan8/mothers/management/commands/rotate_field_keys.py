from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from duan8.mothers import crypto
from duan8.mothers.services.privacy import BATCH, field_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field of the mothers' registry under the newest key of "
        "DUAN8_FIELD_KEYS (or the keys file) and recompute the ID numbers' blind index; in "
        "batches, one transaction each; safe to run again (docs/personal-data.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=BATCH)

    def handle(self, *args: Any, **options: Any) -> None:
        crypto.field_keys.cache_clear()
        keys = crypto.field_keys()
        done = field_keys_rotate(batch=options["batch"])
        for label, count in done.items():
            self.stdout.write(f"{label}: {count} rows re-encrypted")
        self.stdout.write(
            f"Done with {len(keys)} key(s) in force; the newest is now used for every value."
        )
        if len(keys) > 1:
            self.stdout.write("The older keys may now be removed from DUAN8_FIELD_KEYS.")
