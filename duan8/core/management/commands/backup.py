"""``duan8 backup --output DIR``: the database and the media files into a new folder of DIR.

PostgreSQL: ``pg_dump --format=custom`` (the password passed in PGPASSWORD, never on the command
line); SQLite: a consistent copy. Beside them ``media.tar.gz`` and ``manifest.json`` (row counts,
audit checksum, migrations, SHA-256 of every file). See docs/deploy.md, section 8.
"""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from duan8.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or a copy of the SQLite file) and MEDIA_ROOT into a new "
        "folder of --output, with a manifest of row counts and checksums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", required=True, metavar="DIR", help="the folder that receives the backup"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            folder = backup_create(output=Path(options["output"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        seconds = time.monotonic() - started
        size = sum(path.stat().st_size for path in folder.iterdir())
        self.stdout.write(
            _("Backup written to %(folder)s (%(size)s, %(seconds).1f s).")
            % {
                "folder": folder,
                "size": filesizeformat(size),
                "seconds": seconds,
            }
        )
