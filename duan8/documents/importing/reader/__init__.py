"""Read a plan's parts from its lines and tables, as printed; no database is needed here.

The layout is the one of Nghị định 30/2020 and of the seed plan (Kế hoạch 87/KH-UBND of xã Ba
Trang): agency and number, place and date, "KẾ HOẠCH" and the summary line, the "Căn cứ" lines,
sections I–V, the closing line ending "./.", "Nơi nhận" and the signature, then the two
appendices as tables. Parts are found by their wording, not their position, so a header laid out
in a table or on one line with the Quốc hiệu, a missing agency block, a blank number, "Căn cứ"
lines broken over several lines, a "Thực hiện Kế hoạch số …" preamble and section headings
numbered by Word still read; a plan without appendix tables is read without targets. What
cannot be read is listed as a problem with its place; ``building`` then ties the tables to the
program and the villages.

One module per part: ``patterns`` (the wording), ``parsed`` (what is read), ``document`` (the
file sorted into body and tables), ``header``, ``sections``, ``tables``.
"""

from duan8.documents.importing.reader.document import plan_document_parse
from duan8.documents.importing.reader.parsed import (
    AllocationColumnHead,
    AllocationLine,
    AllocationSheet,
    AppendixReference,
    Citation,
    ParsedPlan,
    TargetRow,
)
from duan8.documents.importing.reader.patterns import COUNT, DASHES, ROMAN_NUMBER, parse_date

__all__ = [
    "COUNT",
    "DASHES",
    "ROMAN_NUMBER",
    "AllocationColumnHead",
    "AllocationLine",
    "AllocationSheet",
    "AppendixReference",
    "Citation",
    "ParsedPlan",
    "TargetRow",
    "parse_date",
    "plan_document_parse",
]
