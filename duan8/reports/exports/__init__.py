"""Exports of aggregate data: DHIS2 dataValueSets JSON, ADX XML, Excel.

``data_export`` is the one entry point of the download view and of ``duan8 data_export``: it
reads the data as the actor may (the engine, ``activities.values.indicator_values``, refuses a
unit the actor may not see), renders it and records ``reports.data.exported`` in the audit
trail. Nothing is written when it refuses.

The file is not built in memory: ``data_export`` reads the values (and refuses what it must),
then returns an ``ExportFile`` whose writers stream (``adx``: lxml's incremental writer;
``dhis2``: the envelope, then each value; ``xlsx``: openpyxl's write-only workbook), taking the
engine's values one row at a time (``rows.data_rows``). ``bench/bench_export_stream.py``
measures a million values.
"""

import datetime
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from duan8.activities.rule_filters import Period
from duan8.activities.values import (
    Actor,
    Breakdown,
    DataValue,
    SystemActor,
    indicator_values,
)
from duan8.core import audit
from duan8.orgunits.models import OrgUnit
from duan8.reports.exports import adx, dhis2, xlsx
from duan8.reports.exports.codes import org_unit_code
from duan8.reports.exports.extra import extra_values
from duan8.reports.exports.periods import period_label
from duan8.reports.exports.rows import data_rows, row_count

FORMATS = {  # name → (content type, file name extension)
    "adx": ("application/adx+xml", "adx.xml"),
    "dhis2": ("application/json", "dhis2.json"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
CHUNK_BYTES = 256 * 1024
PROGRESS_EVERY = 20_000


def _counted(
    rows: Iterator[DataValue], total: int, progress: Callable[[int, int], None]
) -> Iterator[DataValue]:
    for number, row in enumerate(rows, start=1):
        if number % PROGRESS_EVERY == 0:
            progress(number, total)
        yield row


def _through_file(write: Callable[[IO[bytes]], None]) -> Iterator[bytes]:
    """What ``write`` writes, in pieces, through a temporary file (a workbook is a ZIP archive
    whose directory comes last: it cannot be handed out before it is finished)."""
    with tempfile.TemporaryFile() as spool:
        write(spool)
        spool.seek(0)
        while piece := spool.read(CHUNK_BYTES):
            yield piece


@dataclass(frozen=True)
class ExportFile:
    """A file made as it is read: ``chunks()`` for a streaming response, ``write_to(stream)``
    for a file, ``content`` (the whole file at once) for small ones. Each reading renders the
    data again (ADX's ``exported`` time is that of the reading)."""

    content_type: str
    filename: str
    rows: int
    _pieces: Callable[[], Iterator[bytes]] | None = field(default=None, repr=False)
    _write: Callable[[IO[bytes]], None] | None = field(default=None, repr=False)

    def chunks(self) -> Iterator[bytes]:
        if self._pieces is not None:
            return self._pieces()
        assert self._write is not None
        return _through_file(self._write)

    def write_to(self, stream: IO[bytes]) -> int:
        """Writes the file into ``stream``; how many bytes."""
        if self._write is not None:
            start = stream.tell()
            self._write(stream)
            return stream.tell() - start
        size = 0
        for piece in self.chunks():
            stream.write(piece)
            size += len(piece)
        return size

    @property
    def content(self) -> bytes:
        return b"".join(self.chunks())


def data_export(
    *,
    actor: Actor,
    unit: OrgUnit,
    period: int | Period,
    as_of: datetime.date,
    format: str,
    children: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> ExportFile:
    """The unit's aggregate data (and its children's) on the map of ``as_of``, as a file.

    Raises PermissionDenied for a unit the actor may not see, ValidationError for a bad period,
    ``as_of`` or format; the audit trail records each file produced. The values are read here
    (the engine's one pass); the file is rendered as it is read, one value at a time, calling
    ``progress(written, total)`` every ``PROGRESS_EVERY`` values when given (a job's bar).
    """
    if format not in FORMATS:
        raise ValidationError(
            _("Unknown format %(format)s; choose one of %(formats)s.")
            % {"format": format, "formats": ", ".join(FORMATS)}
        )
    breakdown = Breakdown.CHILDREN if children else Breakdown.UNIT
    data = indicator_values(actor=actor, unit=unit, period=period, as_of=as_of, breakdown=breakdown)
    if not data.elements:
        raise ValidationError(_("There is nothing to export: no indicator rules are loaded."))
    content_type, extension = FORMATS[format]
    rows = row_count(data)

    def values() -> Iterator[DataValue]:
        return data_rows(data) if progress is None else _counted(data_rows(data), rows, progress)

    pieces: Callable[[], Iterator[bytes]] | None = None
    write: Callable[[IO[bytes]], None] | None = None
    if format == "xlsx":
        language = translation.get_language()

        def write_xlsx(stream: IO[bytes]) -> None:
            # in the language of the request, even when a response streams it after the view
            with translation.override(language):
                xlsx.write(stream, data, values())

        write = write_xlsx
    else:  # with the values of the apps above (settings.DATA_EXPORT_EXTENSIONS): the money's
        extra = extra_values(
            actor=actor, unit=unit, period=data.period, as_of=as_of, children=children, data=data
        )
        if format == "dhis2":
            dhis2.chunks(data, extra)  # a period DHIS2 has no type for is refused here
        writer = adx.chunks if format == "adx" else dhis2.chunks

        def exchange_pieces() -> Iterator[bytes]:
            return writer(data, extra, values())

        pieces = exchange_pieces
    filename = (
        f"duan8_{org_unit_code(unit)}_{period_label(data.period)}"
        f"_asof_{as_of.isoformat()}.{extension}"
    )
    audit.record(
        actor=actor,
        actor_name=str(actor) if isinstance(actor, SystemActor) else "",
        action="reports.data.exported",
        org_unit=unit,
        message=(
            f"{format} {org_unit_code(unit)} {period_label(data.period)} "
            f"as-of {as_of.isoformat()} children={children} rows={rows}"
        ),
    )
    return ExportFile(
        content_type=content_type, filename=filename, rows=rows, _pieces=pieces, _write=write
    )
