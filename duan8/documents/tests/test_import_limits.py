"""Upload bombs: a small file that unpacks to millions of paragraphs, rows or bytes is refused
before it is parsed, with the limit named, on the page and on the command line; nothing is saved.

Each bomb is built here, in memory, in a fraction of a second.
"""

import functools
import io
import time
import zipfile
from collections.abc import Callable
from io import StringIO

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from duan8.core.models import AuditEvent
from duan8.documents.importing import ImportFileError, plan_import_read
from duan8.documents.tests.import_builders import seed_bytes, seed_docx
from duan8.documents.views_import import SESSION_KEY
from duan8.programs.models import Plan

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
EMPTY_PARAGRAPHS = 1_000_000  # 6 MB of "<w:p/>", 12 KB once zipped


@pytest.fixture(autouse=True)
def _english(client, english):
    """Messages compared in English (the documents tests' fixture)."""


@functools.cache
def _blank_docx() -> bytes:
    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def word_file(
    body: bytes = b"<w:p/>",
    *,
    document: bytes | None = None,
    extra: Callable[[zipfile.ZipFile], None] | None = None,
) -> bytes:
    """A real Word package (python-docx's blank one) with ``body`` as its document's body."""
    xml = document or (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}">'
        "<w:body>".encode()
        + body
        + b"</w:body></w:document>"
    )
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_blank_docx())) as blank,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package,
    ):
        for info in blank.infolist():
            data = xml if info.filename == "word/document.xml" else blank.read(info)
            package.writestr(info.filename, data)
        if extra is not None:
            extra(package)
    return out.getvalue()


def table(rows: int, row: bytes = b"<w:tc><w:p/></w:tc>") -> bytes:
    return b"<w:tbl>" + (b"<w:tr>" + row + b"</w:tr>") * rows + b"</w:tbl>"


def refusal(content: bytes, filename: str = "ke_hoach.docx", unit=None) -> str:
    started = time.monotonic()
    with pytest.raises(ImportFileError) as caught:
        plan_import_read(content=content, filename=filename, issuing_unit=unit)
    assert time.monotonic() - started < 10, "refused, but only after reading the whole bomb"
    return " ".join(caught.value.messages)


def test_a_word_file_of_a_million_empty_paragraphs_is_refused_at_the_limit(ba_trang):
    bomb = word_file(b"<w:p/>" * EMPTY_PARAGRAPHS)

    assert len(bomb) < 100_000
    message = refusal(bomb, unit=ba_trang)

    assert "“ke_hoach.docx” has more than 20,000 paragraphs" in message


def test_the_refusal_is_in_vietnamese_for_a_vietnamese_user(ba_trang):
    with translation.override("vi"):
        message = refusal(word_file(b"<w:p/>" * EMPTY_PARAGRAPHS), unit=ba_trang)

    assert message == (
        "“ke_hoach.docx” có hơn 20.000 đoạn văn; một kế hoạch có ít hơn nhiều. Tệp không được đọc."
    )


def test_a_word_file_of_endless_table_rows_is_refused(ba_trang):
    message = refusal(word_file(table(6_000)), unit=ba_trang)

    assert "has more than 5,000 table rows" in message


def test_a_cell_spanning_a_billion_columns_is_refused(ba_trang):
    wide = b'<w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr><w:p/></w:tc>'
    before = b'<w:trPr><w:gridBefore w:val="1000000000"/></w:trPr><w:tc><w:p/></w:tc>'

    assert "has a table of more than 100 columns" in refusal(
        word_file(table(2, wide)), unit=ba_trang
    )
    assert "more than 100 columns" in refusal(word_file(table(2, before)), unit=ba_trang)


def test_tables_of_too_many_cells_in_all_are_refused(ba_trang):
    wide = b'<w:tc><w:tcPr><w:gridSpan w:val="90"/></w:tcPr><w:p/></w:tc>'

    message = refusal(word_file(table(600, wide)), unit=ba_trang)  # 54,000 grid positions

    assert "has tables of more than 50,000 cells in all" in message


def test_a_paragraph_of_half_a_million_runs_is_refused(ba_trang):
    message = refusal(word_file(b"<w:p>" + b"<w:r/>" * 600_000 + b"</w:p>"), unit=ba_trang)

    assert "has more than 500,000 elements of text and formatting" in message


def test_a_document_part_larger_than_its_limit_is_refused_before_it_is_parsed(ba_trang):
    padded = (
        f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode()
        + b" " * (21 * 1024 * 1024)
        + b"<w:p/></w:body></w:document>"
    )

    message = refusal(word_file(document=padded), unit=ba_trang)

    assert "is larger than 20.0\xa0MB once unpacked" in message


def test_a_package_unpacking_to_more_than_its_limit_is_refused(ba_trang):
    def picture(package: zipfile.ZipFile) -> None:
        with package.open("word/media/image1.png", "w") as part:
            for _ in range(101):
                part.write(bytes(1024 * 1024))

    message = refusal(word_file(extra=picture), unit=ba_trang)

    assert "is larger than 100.0\xa0MB once unpacked" in message


def test_a_package_of_too_many_parts_is_refused(ba_trang):
    def parts(package: zipfile.ZipFile) -> None:
        for i in range(1_000):
            package.writestr(f"extra/part{i}.xml", b"")

    message = refusal(word_file(extra=parts), unit=ba_trang)

    assert "holds more than 1,000 parts" in message


def test_text_files_are_bounded_in_bytes_lines_and_columns(ba_trang):
    seed = seed_bytes()

    too_big = refusal(seed + b"x" * (2 * 1024 * 1024), "kh.txt", ba_trang)
    too_long = refusal(seed + b"\n" * 20_000, "kh.txt", ba_trang)
    too_wide = refusal(seed + b"\n1" + b"\t" * 1_000_000, "kh.txt", ba_trang)
    too_many_cells = refusal(seed + (b"\n1" + b"\t" * 99) * 600, "kh.txt", ba_trang)

    assert "is larger than 2.0\xa0MB; a plan as text is far smaller" in too_big
    assert "has more than 20,000 lines" in too_long
    assert "has a table of more than 100 columns" in too_wide
    assert "has tables of more than 50,000 cells in all" in too_many_cells


def test_real_plans_stay_far_below_the_limits(program_structure, ba_trang, villages):
    for content, name in ((seed_bytes(), "kh.txt"), (seed_docx(), "kh.docx")):
        result = plan_import_read(content=content, filename=name, issuing_unit=ba_trang)

        assert result.errors == [] and result.counts["targets"] == 45


# -- the upload page and the command ----------------------------------------------------------


def test_the_page_states_the_limits_and_refuses_a_bomb_saving_nothing(
    client, program_structure, ba_trang, villages, commune_officer
):
    client.force_login(commune_officer)
    url = reverse("documents:plan_import", args=[ba_trang.pk])
    bomb = SimpleUploadedFile("ke_hoach.docx", word_file(b"<w:p/>" * EMPTY_PARAGRAPHS))

    form = client.get(url).content.decode()
    response = client.post(url, {"file": bomb})

    assert "20,000 paragraphs" in form and "5,000 table rows" in form
    assert "100.0\xa0MB unpacked" in form and "20,000 lines" in form
    assert response.status_code == 200
    assert "has more than 20,000 paragraphs" in response.content.decode()
    assert not client.session.get(SESSION_KEY)
    assert Plan.objects.count() == 0
    assert not AuditEvent.objects.filter(action="documents.plan.imported").exists()


def test_the_command_refuses_a_bomb_and_writes_nothing(
    program_structure, ba_trang, villages, tmp_path
):
    path = tmp_path / "ke_hoach.docx"
    path.write_bytes(word_file(table(6_000)))

    with pytest.raises(CommandError, match="has more than 5,000 table rows"):
        call_command("plan_import", str(path), "--unit", "21520", stdout=StringIO())

    assert Plan.objects.count() == 0


def test_a_plan_citing_hundreds_of_documents_is_an_error_read_in_seconds(
    program_structure, ba_trang
):
    citations = [
        f"Căn cứ Quyết định số {n}/QĐ-UBND ngày 01/01/2023 của UBND huyện Ba Tơ về việc {n};"
        for n in range(1, 5_001)
    ]
    text = "\n".join(["Số: 3/KH-UBND", "KẾ HOẠCH", "Triển khai Dự án 8 năm 2024", *citations])

    started = time.monotonic()
    result = plan_import_read(content=text.encode(), filename="kh.txt", issuing_unit=ba_trang)

    assert time.monotonic() - started < 10
    assert [e.message for e in result.errors] == [
        "The plan cites more than 100 documents; a plan cites far fewer."
    ]
