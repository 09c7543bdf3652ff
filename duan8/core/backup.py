"""Backups of the database and the media files, and their restore (``duan8 backup``/``restore``).

A backup is one folder:

- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite, a
  consistent copy made with sqlite3's backup API);
- ``media.tar.gz``: everything under MEDIA_ROOT;
- ``manifest.json``: when, the engine, the latest migration of each app, every table's row count,
  a SHA-256 over the audit events (ordered by id, every stored column) and the SHA-256 of each file
  of the backup and of each media file.

On PostgreSQL the row counts and the audit checksum are read in the very snapshot that pg_dump
dumps (``pg_export_snapshot`` / ``pg_dump --snapshot``), so they describe the dump exactly even
while people keep working. The folder is written under a temporary name beside the final one and
renamed at the end: a folder under the final name is always complete.

A restore checks the files against the manifest, restores into a new, empty database (or a new
SQLite file), then counts again and compares; any difference is an error.
"""

from __future__ import annotations

import datetime
import errno
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.utils import load_backend
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.core.models import AuditEvent

MANIFEST = "manifest.json"
PG_DUMP_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"
MEDIA_FILE = "media.tar.gz"
AUDIT_PAGE = 5000  # audit events read at a time for the checksum
FORMAT = 1  # the manifest's layout; a restore refuses a layout it does not know


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, translated."""


@dataclass(frozen=True)
class Stats:
    """What a database holds: rows per table, the audit checksum, the latest migrations."""

    row_counts: dict[str, int]
    audit_sha256: str
    migrations: dict[str, str]


# --- what a database holds -------------------------------------------------------------------


def _tables(cursor: Any, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND pg_table_is_visible(c.oid) "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    return sorted(row[0] for row in cursor.fetchall())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _canonical(value: Any, *, json_column: bool) -> Any:
    """One text for one stored value, whichever driver read it (a JSON column may come back as
    text or as a dict; a time in the session's time zone or in UTC)."""
    if value is None:
        return None
    if json_column:
        loaded = json.loads(value) if isinstance(value, str | bytes) else value
        return json.dumps(loaded, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, bool | int):
        return int(value)
    return str(value)


def audit_checksum(cursor: Any, vendor: str) -> str:
    """SHA-256 over every audit event, ordered by id, over every stored column.

    Read in pages by id (keyset), so a trail of millions of events never sits in memory at once.
    """
    fields = AuditEvent._meta.concrete_fields
    columns = [field.column for field in fields]
    json_columns = {field.column for field in fields if field.get_internal_type() == "JSONField"}
    pk = AuditEvent._meta.pk.column
    position = columns.index(pk)
    query = "SELECT {} FROM {} WHERE {} > {} ORDER BY {} LIMIT {}".format(  # noqa: S608
        ", ".join(_quote(c) for c in columns),  # names from the model, not from input
        _quote(AuditEvent._meta.db_table),
        _quote(pk),
        "?" if vendor == "sqlite" else "%s",
        _quote(pk),
        AUDIT_PAGE,
    )
    digest = hashlib.sha256()
    last = -1
    while True:
        cursor.execute(query, [last])
        rows = cursor.fetchall()
        for row in rows:
            values = [
                _canonical(v, json_column=c in json_columns)
                for c, v in zip(columns, row, strict=True)
            ]
            digest.update(json.dumps(values, ensure_ascii=False).encode() + b"\n")
        if len(rows) < AUDIT_PAGE:
            return digest.hexdigest()
        last = rows[-1][position]


def database_stats(cursor: Any, vendor: str) -> Stats:
    """Row counts of every table, the audit checksum and the latest migration per app."""
    counts = {}
    for table in _tables(cursor, vendor):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608
        counts[table] = int(cursor.fetchone()[0])
    migrations: dict[str, str] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations")
        for app, name in cursor.fetchall():
            migrations[app] = max(name, migrations.get(app, name))
    return Stats(counts, audit_checksum(cursor, vendor), dict(sorted(migrations.items())))


def stats_differences(expected: dict[str, Any], found: Stats) -> list[str]:
    """Every way a restored database differs from its manifest, in the operator's language."""
    problems = []
    wanted: dict[str, int] = expected["row_counts"]
    for table in sorted(set(wanted) | set(found.row_counts)):
        before, after = wanted.get(table), found.row_counts.get(table)
        if before != after:
            problems.append(
                _("Table %(table)s: %(before)s rows in the backup, %(after)s after the restore.")
                % {"table": table, "before": before, "after": after}
            )
    if expected["audit_sha256"] != found.audit_sha256:
        problems.append(_("The audit events differ from the backup (checksum)."))
    return problems


# --- files -----------------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): file_sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _media_archive(root: Path, target: Path) -> dict[str, str]:
    """Write MEDIA_ROOT into a tar.gz and return the SHA-256 of each file archived."""
    with tarfile.open(target, "w:gz", compresslevel=6) as archive:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=path.relative_to(root).as_posix())
    return _media_files(root)


def _os_error(exc: OSError, where: Path) -> BackupError:
    if exc.errno == errno.ENOSPC:
        return BackupError(_("The disk is full: %(path)s.") % {"path": where})
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return BackupError(_("Cannot write to %(path)s: permission denied.") % {"path": where})
    return BackupError(_("Cannot write to %(path)s: %(reason)s.") % {"path": where, "reason": exc})


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    """The environment of pg_dump and friends: the password in PGPASSWORD, never an argument."""
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict[str, Any]) -> list[str]:
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args.append(f"{flag}={db[key]}")
    return args


def _run(command: list[str], db: dict[str, Any]) -> None:
    program = command[0]
    if shutil.which(program) is None:
        raise BackupError(
            _("%(program)s is not installed (Debian: apt-get install postgresql-client).")
            % {"program": program}
        )
    done = subprocess.run(command, env=_pg_env(db), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        error = done.stderr.strip()
        if "No space left on device" in error:
            error = _("the disk is full")
        raise BackupError(_("%(program)s failed: %(error)s") % {"program": program, "error": error})


def _pg_dump(target: Path) -> Stats:
    """pg_dump of the default database, and its statistics read in the same snapshot."""
    db = connection.settings_dict
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        stats = database_stats(cursor, "postgresql")
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"]
            + _pg_args(db)
            + [f"--dbname={db['NAME']}"],
            db,
        )
    return stats


@contextmanager
def pg_database(name: str) -> Iterator[Any]:
    """A connection to another database of the same server, with the default's settings."""
    settings_dict = {**connection.settings_dict, "NAME": name, "CONN_MAX_AGE": 0}
    other = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, f"backup-{name}")
    try:
        yield other
    finally:
        other.close()


def pg_database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def pg_create(name: str) -> None:
    db = connection.settings_dict
    _run(["createdb", *_pg_args(db), "--encoding=UTF8", "--template=template0", name], db)


def pg_drop(name: str) -> None:
    db = connection.settings_dict
    _run(["dropdb", *_pg_args(db), "--if-exists", name], db)


def _pg_restore(folder: Path, name: str) -> Stats:
    if not pg_database_exists(name):
        raise BackupError(
            _("The database %(name)s does not exist: create it empty (createdb) or add --create.")
            % {"name": name}
        )
    with pg_database(name) as target, target.cursor() as cursor:
        if _tables(cursor, "postgresql"):
            raise BackupError(
                _("The database %(name)s is not empty: restore only into a new, empty database.")
                % {"name": name}
            )
    db = connection.settings_dict
    _run(
        ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
        + _pg_args(db)
        + [f"--dbname={name}", str(folder / PG_DUMP_FILE)],
        db,
    )
    with pg_database(name) as target, target.cursor() as cursor:
        return database_stats(cursor, "postgresql")


# --- SQLite ----------------------------------------------------------------------------------


def _sqlite_copy(target: Path) -> Stats:
    """A consistent copy of the default SQLite database (sqlite3's backup API) and its stats."""
    connection.ensure_connection()
    source = connection.connection
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        return database_stats(copy.cursor(), "sqlite")
    finally:
        copy.close()


def _sqlite_restore(folder: Path, path: Path) -> Stats:
    if path.exists() and path.stat().st_size > 0:
        raise BackupError(
            _("%(path)s already exists: restore only into a new file.") % {"path": path}
        )
    try:
        shutil.copyfile(folder / SQLITE_FILE, path)
    except OSError as exc:
        raise _os_error(exc, path) from exc
    restored = sqlite3.connect(path)
    try:
        return database_stats(restored.cursor(), "sqlite")
    finally:
        restored.close()


# --- the two commands' work ------------------------------------------------------------------


def backup_create(*, output: Path) -> Path:
    """Write a complete backup into a new folder under ``output``; returns the folder."""
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(_("Backups support PostgreSQL and SQLite only."))
    try:
        output.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".duan8-backup-", dir=output))
    except OSError as exc:
        raise _os_error(exc, output) from exc
    stamp = timezone.now()
    final = output / f"duan8-{stamp:%Y%m%d-%H%M%S}"
    try:
        if vendor == "postgresql":
            database_file = PG_DUMP_FILE
            stats = _pg_dump(work / database_file)
        else:
            database_file = SQLITE_FILE
            stats = _sqlite_copy(work / database_file)
        # After the database: every file the dump names exists already.
        media = _media_archive(Path(settings.MEDIA_ROOT), work / MEDIA_FILE)
        manifest = {
            "format": FORMAT,
            "created_at": stamp.isoformat(),
            "engine": vendor,
            "database": str(connection.settings_dict["NAME"]),
            "migrations": stats.migrations,
            "row_counts": stats.row_counts,
            "audit_events": stats.row_counts.get(AuditEvent._meta.db_table, 0),
            "audit_sha256": stats.audit_sha256,
            "files": {name: file_sha256(work / name) for name in (database_file, MEDIA_FILE)},
            "media": media,
        }
        (work / MANIFEST).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        if final.exists():
            raise BackupError(_("%(path)s already exists.") % {"path": final})
        work.rename(final)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise _os_error(exc, output) from exc
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def manifest_read(folder: Path) -> dict[str, Any]:
    """The manifest of a backup folder, after checking every file against it."""
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(
            _("%(path)s is not a duan8 backup (no readable manifest.json).") % {"path": folder}
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("This backup was written by another version of duan8."))
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file() or file_sha256(path) != expected:
            raise BackupError(
                _("%(file)s is missing or damaged (its SHA-256 differs from the manifest).")
                % {"file": path}
            )
    return manifest


def _media_target_check(target: Path) -> None:
    if target.exists() and any(target.iterdir()):
        raise BackupError(
            _("%(path)s is not empty: give an empty folder with --media-to.") % {"path": target}
        )


def _media_extract(folder: Path, target: Path, expected: dict[str, str]) -> None:
    try:
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / MEDIA_FILE, "r:gz") as archive:
            archive.extractall(target, filter="data")
    except OSError as exc:
        raise _os_error(exc, target) from exc
    found = _media_files(target)
    if found != expected:
        missing = sorted(set(expected) - set(found)) or sorted(
            name for name in expected if found.get(name) != expected[name]
        )
        raise BackupError(
            _("The media files differ from the backup: %(files)s")
            % {"files": ", ".join(missing[:10])}
        )


def backup_restore(
    *, folder: Path, database: str, create: bool = False, media_to: Path | None = None
) -> Stats:
    """Restore a backup into a new database and media folder, then compare with the manifest."""
    manifest = manifest_read(folder)
    engine = manifest["engine"]
    if engine != connection.vendor:
        raise BackupError(
            _("This backup is of a %(engine)s database; the settings use %(current)s.")
            % {"engine": engine, "current": connection.vendor}
        )
    media_target = media_to or Path(settings.MEDIA_ROOT)
    _media_target_check(media_target)
    if engine == "postgresql":
        if create:
            if pg_database_exists(database):
                raise BackupError(
                    _("The database %(name)s already exists: restore only into a new one.")
                    % {"name": database}
                )
            pg_create(database)
        found = _pg_restore(folder, database)
    else:
        found = _sqlite_restore(folder, Path(database))
    problems = stats_differences(manifest, found)
    if problems:
        raise BackupError(
            "\n".join([_("The restored database differs from the backup:")] + problems)
        )
    _media_extract(folder, media_target, manifest["media"])
    return found
