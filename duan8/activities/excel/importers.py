"""Which importer reads which kind, and the upload as a whole: check every row, then save."""

from typing import IO, Any

from django.db import transaction

from duan8.accounts.models import User
from duan8.activities.excel.columns import Kind
from duan8.activities.excel.import_community import (
    CadreImporter,
    DifficultyImporter,
    GroupImporter,
    MemberImporter,
)
from duan8.activities.excel.import_events import EventImporter, ParticipantImporter
from duan8.activities.excel.importing import ImportCheck, Importer
from duan8.activities.excel.scope import Scope
from duan8.activities.excel.workbook import rows_read

IMPORTERS: dict[str, type[Importer]] = {
    cls.kind.key: cls
    for cls in (
        EventImporter,
        ParticipantImporter,
        GroupImporter,
        MemberImporter,
        CadreImporter,
        DifficultyImporter,
    )
}


def importer_for(kind: Kind, **kwargs: Any) -> Importer:
    return IMPORTERS[kind.key](**kwargs)


# --- the upload as a whole -------------------------------------------------------------------


def excel_import_check(
    *, actor: User, scope: Scope, kind: Kind, source: str | IO[bytes], name: str
) -> tuple[Importer, ImportCheck]:
    """Read and check every row; nothing is written. ValidationError for a file that is not a
    workbook of this template (then there are no rows to report on)."""
    rows = rows_read(source, kind=kind, name=name)
    importer = importer_for(kind, actor=actor, scope=scope)
    return importer, importer.check(rows)


def excel_import_save(
    *, actor: User, scope: Scope, kind: Kind, source: str | IO[bytes], name: str
) -> tuple[Importer, ImportCheck, dict[str, int] | None]:
    """Check the kept file again (records may have changed since the preview) and, when every
    row passes, write them all in one transaction; counts is None when the file was refused."""
    with transaction.atomic():
        importer, check = excel_import_check(
            actor=actor, scope=scope, kind=kind, source=source, name=name
        )
        if not check.ok:
            return importer, check, None
        return importer, check, importer.save(check, file_name=name)
