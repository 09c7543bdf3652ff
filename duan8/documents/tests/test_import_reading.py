"""Reading files: the type is checked by content; Word tables are read on their column grid."""

import io
import unicodedata

import docx
import openpyxl
import pytest
from django.utils import translation

from duan8.documents.importing.reader import plan_document_parse
from duan8.documents.importing.source import DOCX, TEXT, Grid, ImportFileError, source_read
from duan8.documents.importing.wording import key, similarity
from duan8.documents.tests.import_builders import seed_bytes, seed_docx
from duan8.programs.tests.test_plan_data import seed_tables


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def refused(content: bytes, filename: str) -> str:
    with pytest.raises(ImportFileError) as caught:
        plan_document_parse(source_read(content=content, filename=filename))
    return " ".join(caught.value.messages)


def word_file(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_text_named_docx_is_not_a_word_file():
    message = refused(b"KE HOACH\nnot really Word", "ke_hoach.docx")

    assert "“ke_hoach.docx” is not a Word file" in message
    assert "save it as a Word document (.docx)" in message


def test_old_word_pdf_spreadsheet_and_empty_files_are_named_for_what_they_are():
    workbook = openpyxl.Workbook()
    xlsx = io.BytesIO()
    workbook.save(xlsx)

    assert "old Word 97–2003 file (.doc)" in refused(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "kh.docx"
    )
    assert "is a PDF file" in refused(b"%PDF-1.7\n...", "kh.docx")
    assert "ZIP package but not a Word document" in refused(xlsx.getvalue(), "kh.docx")
    assert "is empty" in refused(b"", "kh.txt")
    assert "only Word files (.docx) and text files (.txt)" in refused(b"abc", "kh.xlsx")


def test_a_word_file_sent_as_text_and_a_legacy_encoding_are_refused():
    assert "is a Word document: name it .docx" in refused(word_file("KẾ HOẠCH"), "kh.txt")
    assert "not a text file in Unicode (UTF-8)" in refused(
        "Kế hoạch".encode("utf-16-le") + b"\x00\x01", "kh.txt"
    )


def test_a_word_file_without_tables_is_read_with_a_warning_not_refused():
    content = word_file("ỦY BAN NHÂN DÂN", "KẾ HOẠCH", "Triển khai Dự án 8 năm 2023")

    parsed = plan_document_parse(source_read(content=content, filename="ke_hoach.docx"))

    assert parsed.title == "Triển khai Dự án 8 năm 2023"
    assert parsed.problems.errors == []
    [warning] = [p for p in parsed.problems if "no appendix tables" in p.message]
    assert "without targets" in warning.message


def test_the_seed_as_word_without_its_tables_is_read_without_targets():
    # the header and signature tables only lay out the page: they are not appendices
    parsed = plan_document_parse(
        source_read(content=seed_docx(with_tables=False), filename="kh.docx")
    )

    assert (parsed.number, parsed.symbol, parsed.place) == (87, "KH-UBND", "Ba Trang")
    assert len(parsed.legal_bases) == 4 and parsed.targets == []
    assert parsed.allocation is None


def test_a_damaged_word_file_is_refused():
    content = seed_docx()

    assert "damaged Word file" in refused(content[: len(content) // 2], "kh.docx")


def test_text_tables_are_the_tab_separated_lines_of_the_seed():
    source = source_read(content=seed_bytes(), filename="seed.txt")

    first, second = seed_tables()
    grids = source.grids
    assert source.kind == TEXT
    assert [len(g.rows) for g in grids] == [len(first), len(second)]
    assert [row[: len(first[i])] for i, row in enumerate(grids[0].rows)] == first
    assert grids[1].rows == second
    assert (
        grids[1].where(3).line
        == seed_bytes()
        .decode()
        .split("\n")
        .index("\tChỉ tiêu cần đạt năm 2023\t\t01\t0\t0\t0\t0\t0\t0")
        + 1
    )


def test_merged_word_cells_keep_their_text_in_the_first_grid_position():
    source = source_read(content=seed_docx(), filename="seed.docx")

    first, second = seed_tables()
    data_grids: list[Grid] = [g for g in source.grids if len(g.rows) > 2]
    assert source.kind == DOCX
    assert data_grids[0].rows[:2] == [
        ["TT", "Nội dung hoạt động", "Chỉ tiêu năm 2023", ""],
        ["", "", "Xã", "thôn"],
    ]
    assert data_grids[0].rows[2][1:] == ["", "", ""]  # "Nội dung 1: …" spans the row
    assert data_grids[1].rows == second


def test_wording_keys_ignore_case_quotes_spacing_punctuation_and_decomposition():
    printed = 'Tham gia các cuộc thi … thay đổi " Nếp nghĩ, cách làm " góp phần'
    official = "tham gia các cuộc thi thay đổi “nếp nghĩ, cách làm” góp phần."
    decomposed = unicodedata.normalize("NFD", "Thôn Nước Đang")

    assert decomposed != "Thôn Nước Đang"
    assert key(printed) == key(official)
    assert key(decomposed) == key("thôn nước đang")
    assert similarity(
        "Thành lập CLB Thủ lĩnh của sự thay đổi (CLB)",
        "Thành lập Câu lạc bộ “Thủ lĩnh của sự thay đổi” (CLB)",
    ) > similarity(
        "Thành lập CLB Thủ lĩnh của sự thay đổi (CLB)",
        "Tập huấn hướng dẫn thành lập và vận hành Câu lạc bộ “Thủ lĩnh của sự thay đổi” (lớp)",
    )
