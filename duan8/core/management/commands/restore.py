"""``duan8 restore DIR --database NAME [--create] [--media-to PATH]``.

PostgreSQL: restores the dump into NAME, a new, empty database of the configured server (made
with ``--create``, or beforehand with createdb); SQLite: copies the file to the path NAME. The media
files go into MEDIA_ROOT if it is empty, or into --media-to. Afterwards the row count of every table
and the audit checksum are compared with the backup's manifest; any difference is an error.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from duan8.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder into a new, empty database (PostgreSQL: a database name; "
        "SQLite: a new file) and its media files, then compare row counts and the audit checksum."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", metavar="DIR", help="a folder written by duan8 backup")
        parser.add_argument(
            "--database",
            required=True,
            metavar="NAME",
            help="PostgreSQL: a new, empty database; SQLite: the path of a new file",
        )
        parser.add_argument(
            "--create", action="store_true", help="PostgreSQL: create the database first"
        )
        parser.add_argument(
            "--media-to",
            metavar="PATH",
            help="an empty folder for the media files (default: MEDIA_ROOT, if empty)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        media_to = Path(options["media_to"]) if options["media_to"] else None
        try:
            stats = backup_restore(
                folder=Path(options["folder"]),
                database=options["database"],
                create=options["create"],
                media_to=media_to,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Restored into %(database)s: %(tables)s tables, %(rows)s rows, audit checksum "
                "as in the backup."
            )
            % {
                "database": options["database"],
                "tables": len(stats.row_counts),
                "rows": sum(stats.row_counts.values()),
            }
        )
