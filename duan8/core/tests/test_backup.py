"""``duan8 backup`` and ``duan8 restore``: real data written through the services, backed up,
restored into a fresh database (PostgreSQL) or file (SQLite), and compared table by table,
independently of the commands' own comparison.

The tests are transactional: pg_dump reads through its own connection and would not see rows of a
test transaction that was never committed.
"""

import datetime
import errno
import hashlib
import json
import secrets
import sqlite3
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from duan8.activities.models import Attachment
from duan8.activities.services.attachments import attachment_add
from duan8.activities.services.events import CountInput, EventInput, event_create
from duan8.core import backup
from duan8.core.models import AuditEvent
from duan8.programs.models import ProgramElement

SESSIONS = "1719.GD1.DA8.ND1.HD2.2"
PDF = b"%PDF-1.4\n" + "Biên bản sinh hoạt tổ truyền thông".encode() + b"\n%%EOF\n"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_roles_again"),
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def seeded(ba_trang_plan, commune_officer, villages):
    """A plan, an event with its counts and a PDF attachment, all through the services."""
    event = event_create(
        actor=commune_officer,
        data=EventInput(
            plan=ba_trang_plan,
            activity=ProgramElement.objects.get(code=SESSIONS),
            kind="communication",
            title="Truyền thông xóa bỏ tảo hôn",
            held_on=datetime.date(2023, 10, 5),
            org_unit=villages["Nước Đang"],
            counts=[CountInput("F", True, "adult", 20), CountInput("M", True, "adult", 7)],
        ),
    )
    attachment = attachment_add(
        actor=commune_officer,
        upload=SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
        event=event,
    )
    assert AuditEvent.objects.count() >= 2
    return attachment


def _rows(cursor, tables):
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def _backup_folder(output: Path) -> Path:
    call_command("backup", output=str(output))
    (folder,) = output.iterdir()  # one folder, no temporary left beside it
    assert folder.name.startswith("duan8-")
    return folder


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_connect(name):
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname=name
    )


def _pg_state(name):
    """Every table's row count and an md5 over the audit events' rows as PostgreSQL prints them."""
    with _pg_connect(name) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = _rows(cursor, tables)
        cursor.execute("SELECT md5(string_agg(a::text, '|' ORDER BY id)) FROM core_auditevent a")
        return counts, cursor.fetchone()[0]


def _pg_drop(name):
    with _pg_connect("postgres") as conn:
        conn.autocommit = True
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="pg")
def test_postgres_backup_restores_into_a_fresh_database_with_every_row(
    seeded, tmp_path, monkeypatch
):
    folder = _backup_folder(tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    source_counts, source_audit = _pg_state(connection.settings_dict["NAME"])
    assert manifest["row_counts"] == source_counts
    assert manifest["row_counts"]["activities_event"] == 1
    assert manifest["migrations"]["core"] and manifest["migrations"]["activities"]
    assert manifest["files"]["database.dump"] == backup.file_sha256(folder / "database.dump")

    name = f"duan8_restore_test_{secrets.token_hex(4)}"
    restored_media = tmp_path / "restored-media"
    monkeypatch.setattr(backup, "AUDIT_PAGE", 1)  # the restore's checksum reads page by page
    try:
        call_command("restore", str(folder), database=name, create=True, media_to=restored_media)
        restored_counts, restored_audit = _pg_state(name)
        assert restored_counts == source_counts
        assert restored_audit == source_audit and source_audit is not None
        assert (restored_media / seeded.file.name).read_bytes() == PDF

        # A second restore into the same, now full, database is refused.
        with pytest.raises(CommandError, match="is not empty"):
            call_command("restore", str(folder), database=name, media_to=tmp_path / "other")
    finally:
        _pg_drop(name)


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="pg")
def test_a_damaged_dump_is_refused_before_anything_is_restored(seeded, tmp_path):
    folder = _backup_folder(tmp_path / "backups")
    with (folder / "database.dump").open("r+b") as dump:
        dump.seek(100)
        dump.write(b"\x00\x00\x00\x00")
    name = f"duan8_restore_test_{secrets.token_hex(4)}"
    try:
        with pytest.raises(CommandError, match="missing or damaged"):
            call_command(
                "restore", str(folder), database=name, create=True, media_to=tmp_path / "m"
            )
        with _pg_connect("postgres") as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        assert exists is None
    finally:
        _pg_drop(name)


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="pg")
def test_without_pg_dump_the_backup_says_so_and_leaves_nothing(seeded, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    output = tmp_path / "backups"
    with pytest.raises(CommandError, match="pg_dump is not installed"):
        call_command("backup", output=str(output))
    assert list(output.iterdir()) == []


# --- SQLite ----------------------------------------------------------------------------------


def _sqlite_state(path):
    with sqlite3.connect(path) as conn:
        cursor = conn.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
        counts = _rows(cursor, [row[0] for row in cursor.fetchall()])
        digest = hashlib.sha256()
        for row in cursor.execute("SELECT * FROM core_auditevent ORDER BY id"):
            digest.update(repr(row).encode())
        return counts, digest.hexdigest()


sqlite_only = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="sqlite"
)


@sqlite_only
def test_sqlite_backup_restores_into_a_new_file_with_every_row(seeded, tmp_path, monkeypatch):
    folder = _backup_folder(tmp_path / "backups")
    monkeypatch.setattr(backup, "AUDIT_PAGE", 1)  # the restore's checksum reads page by page
    source_counts, source_audit = _sqlite_state(connection.settings_dict["NAME"])
    restored = tmp_path / "restored.sqlite3"
    call_command(
        "restore", str(folder), database=str(restored), media_to=tmp_path / "restored-media"
    )
    assert _sqlite_state(restored) == (source_counts, source_audit)
    assert source_counts["activities_attachment"] == 1
    assert (tmp_path / "restored-media" / seeded.file.name).read_bytes() == PDF

    with pytest.raises(CommandError, match="already exists"):
        call_command("restore", str(folder), database=str(restored), media_to=tmp_path / "x")


@sqlite_only
def test_a_restore_that_does_not_match_the_manifest_fails_loudly(seeded, tmp_path):
    folder = _backup_folder(tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["row_counts"]["activities_event"] += 1
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="activities_event: 2 rows in the backup, 1 after"):
        call_command(
            "restore", str(folder), database=str(tmp_path / "r.sqlite3"), media_to=tmp_path / "m"
        )
    assert not (tmp_path / "m").exists()  # the media files only after the database matched


@sqlite_only
def test_media_root_that_is_not_empty_is_left_alone(seeded, tmp_path):
    folder = _backup_folder(tmp_path / "backups")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(folder), database=str(tmp_path / "r.sqlite3"))
    assert not (tmp_path / "r.sqlite3").exists()
    assert Attachment.objects.count() == 1


@sqlite_only
def test_a_full_disk_leaves_no_half_backup(seeded, tmp_path, monkeypatch):
    def full(root, target):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "_media_archive", full)
    output = tmp_path / "backups"
    with pytest.raises(CommandError, match="The disk is full"):
        call_command("backup", output=str(output))
    assert list(output.iterdir()) == []
