"""Upload bombs: an .xlsx that unpacks to half a million rows, or to a huge list of texts, is
refused before any parser reads it, with the limit in the message, and nothing is kept or saved.
The upload page states the limits."""

import datetime
import html
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from duan8.activities.excel.pending import SESSION_KEY
from duan8.activities.models import CommunityGroup, CommunityGroupMember
from duan8.activities.tests.excel_support import read
from duan8.core import xlsx

D = datetime.date
TEAM = "Tổ truyền thông thôn Nước Đang"
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@pytest.fixture
def team(villages, ba_trang_plan, ethnic_groups):
    return CommunityGroup.objects.create(
        kind="communication_team",
        name=TEAM,
        org_unit=villages["Nước Đang"],
        founded_on=D(2023, 10, 2),
    )


def _urls(unit):
    return {
        name: reverse(f"activities:excel_{name}", args=[unit.pk, "thanh-vien"])
        for name in ("template", "upload")
    }


def _with_parts(template: bytes, parts: dict[str, bytes]) -> bytes:
    """The template with some of its parts replaced (or added), as an attacker would build it."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info.filename))
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def _sheet(rows: bytes) -> bytes:
    return (
        b'<?xml version="1.0"?><worksheet '
        + NS
        + b"><sheetData>"
        + rows
        + b"</sheetData></worksheet>"
    )


def _header_row(template: bytes) -> bytes:
    """Row 1 of the template's data sheet, as inline strings (no shared strings needed)."""
    headers = [c.value for c in read(template).worksheets[0][1]]
    cells = b"".join(b'<c t="inlineStr"><is><t>' + h.encode() + b"</t></is></c>" for h in headers)
    return b"<row>" + cells + b"</row>"


def row_bomb(template: bytes, rows: int = 500_000) -> bytes:
    """The members template whose data sheet holds ``rows`` tiny identical rows (about 100 KB
    packed, 20 MB unpacked): what held a worker for a minute."""
    tiny = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    return _with_parts(
        template, {"xl/worksheets/sheet1.xml": _sheet(_header_row(template) + tiny * rows)}
    )


def numbered_rows(template: bytes, rows: int) -> bytes:
    """A sheet of ``rows`` numbered rows: ordinary compression, only too many rows, and its
    <dimension> claiming one row."""
    body = b"".join(
        b'<row r="%d"><c r="B%d" t="inlineStr"><is><t>T%d</t></is></c></row>' % (i, i, i)
        for i in range(2, rows + 2)
    )
    sheet = _sheet(_header_row(template) + body).replace(
        b"<sheetData>", b'<dimension ref="A1:H1"/><sheetData>'
    )
    return _with_parts(template, {"xl/worksheets/sheet1.xml": sheet})


def strings_bomb(template: bytes) -> bytes:
    """A shared-strings part of 20 MB of one letter (packs to about 20 KB)."""
    huge = b"<sst " + NS + b"><si><t>" + b"a" * (20 * 1024 * 1024) + b"</t></si></sst>"
    return _with_parts(template, {"xl/sharedStrings.xml": huge})


def many_strings(template: bytes) -> bytes:
    """More different texts than any real workbook has, packed no tighter than real ones."""
    items = b"".join(b"<si><t>%d</t></si>" % i for i in range(xlsx.MAX_STRINGS + 1))
    return _with_parts(template, {"xl/sharedStrings.xml": b"<sst " + NS + b">" + items + b"</sst>"})


def _kept() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "uploads"
    return sorted(folder.glob("*")) if folder.exists() else []


def _refused(name: str) -> str:
    """The refusal as a Vietnamese user reads it."""
    with translation.override("vi"):
        return _(
            "The file “%(name)s” is refused unread: unpacked, it would hold far more than a "
            "workbook of %(rows)s rows (at most %(size)s unpacked and %(parts)s parts). Save it "
            "again from Excel or LibreOffice as .xlsx, without extra sheets or pictures."
        ) % {"name": name, "rows": "10.000", "size": "30 MB", "parts": 500}


def _too_many_rows(name: str) -> str:
    with translation.override("vi"):
        return _(
            "The file “%(name)s” has a sheet of more than %(limit)s rows; at most %(limit)s rows "
            "are read from one file. Split it into several files; if the rows below your data "
            "are empty, delete them and save again."
        ) % {"name": name, "limit": "10.000"}


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (row_bomb, _refused),
        (lambda t: numbered_rows(t, xlsx.MAX_ROWS + 1), _too_many_rows),
        (strings_bomb, _refused),
        (many_strings, _refused),
    ],
    ids=["500000-rows", "one-row-too-many", "huge-shared-string", "too-many-strings"],
)
def test_a_bomb_is_refused_with_its_limit_and_nothing_is_kept_or_saved(
    client, ba_trang, commune_officer, team, build, expected
):
    client.force_login(commune_officer)
    urls = _urls(ba_trang)
    bomb = build(client.get(urls["template"]).content)

    response = client.post(urls["upload"], {"file": SimpleUploadedFile("bom.xlsx", bomb)})

    assert response.status_code == 200  # the form again, with the reason
    page = html.unescape(response.content.decode())
    assert expected("bom.xlsx") in page  # in Vietnamese, with the limit: "10.000 dòng"
    assert "10.000 dòng" in page
    assert _kept() == [] and SESSION_KEY not in client.session
    assert CommunityGroupMember.objects.count() == 0


def test_the_upload_page_states_the_limits(client, ba_trang, commune_officer, team):
    client.force_login(commune_officer)

    page = html.unescape(client.get(_urls(ba_trang)["upload"]).content.decode())

    assert "Tối đa 10.000 dòng, 20 MB mỗi tệp." in page


def test_a_file_within_the_limits_is_still_read(client, ba_trang, commune_officer, team):
    client.force_login(commune_officer)
    urls = _urls(ba_trang)
    blank = client.get(urls["template"]).content
    full = numbered_rows(blank, xlsx.MAX_ROWS)

    xlsx.xlsx_check(io.BytesIO(full), name="day-du.xlsx")  # exactly the limit: accepted
    with pytest.raises(ValidationError):
        xlsx.xlsx_check(io.BytesIO(numbered_rows(blank, xlsx.MAX_ROWS + 1)), name="x.xlsx")


def test_too_many_parts_or_too_much_unpacked_is_refused(db):
    """Parts and the unpacked size are read from the archive's directory, before any part."""
    parts = io.BytesIO()
    with zipfile.ZipFile(parts, "w") as archive:
        for index in range(xlsx.MAX_PARTS + 1):
            archive.writestr(f"xl/media/p{index}.bin", b"")
    big = io.BytesIO()
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as archive:
        # numbered rows compress about 10 times, so only the unpacked total refuses this one
        rows = b"".join(
            b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, 9000)
        )
        for index in range(xlsx.MAX_UNPACKED_BYTES // len(rows) + 1):
            archive.writestr(f"xl/worksheets/sheet{index}.xml", _sheet(rows))

    for source in (parts, big):
        with pytest.raises(ValidationError) as refused:
            xlsx.xlsx_check(source, name="nhieu.xlsx")
        assert refused.value.messages == [_refused("nhieu.xlsx")]
