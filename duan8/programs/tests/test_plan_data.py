"""Kế hoạch 87/KH-UBND of xã Ba Trang as loaded, compared with the seed document line by line.

The seed (``data/demo/ke_hoach_87_2023_ba_trang.txt``) is parsed here on its own, independently of
the JSON, so a typo in the JSON, a missing row or a wrong cell fails a test.
"""

import copy
import datetime
import hashlib
import re
import unicodedata
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from duan8.core.schemas import FileInvalid
from duan8.legal.models import LegalDocument
from duan8.programs.models import AllocationRow, Plan, Target
from duan8.programs.plan_data import DEMO_DIR, PlanApprovedError, plan_load
from duan8.programs.selectors import allocation_table, plan_appendix
from duan8.testing import legal_documents_written

pytestmark = pytest.mark.usefixtures("english")

SEED = DEMO_DIR / "ke_hoach_87_2023_ba_trang.txt"
# The seed as received, but for three typos corrected in issue 10 (see the plan JSON's notes).
SEED_SHA256 = "f7a9e7e75aa26d0c26c8277290c3eb29a1564c187df6586b3ef0ad90a58f491d"


# -- the seed, read independently -----------------------------------------------------------


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


def seed_tables() -> tuple[list[list[str]], list[list[str]]]:
    """The two appendix tables: tab-separated rows, italics removed, cells trimmed."""
    lines = seed_lines()
    first, second = lines.index("PHỤ LỤC"), lines.index("Phụ lục")

    def rows(chunk: list[str]) -> list[list[str]]:
        return [
            [re.sub(r"</?i>", "", cell).strip() for cell in line.split("\t")]
            for line in chunk
            if "\t" in line
        ]

    return rows(lines[first:second]), rows(lines[second:])


def seed_body() -> list[str]:
    """The non-empty lines before the appendices, page breaks joined (a line in lower case
    continues the line before it)."""
    lines = seed_lines()
    body: list[str] = []
    for line in lines[: lines.index("PHỤ LỤC")]:
        if not line.strip():
            continue
        if body and line[0].islower():
            body[-1] = f"{body[-1]} {line}"
        else:
            body.append(line)
    return body


def between(body: list[str], start: str, end: str) -> list[str]:
    return body[body.index(start) + 1 : body.index(end)]


def printed_cell(text: str) -> tuple[Any, ...] | None:
    if text == "":
        return None
    if text == "-":
        return ("none",)
    if text.isdigit():
        return ("number", Decimal(text))
    return ("text", text)


def loaded_cell(target: Target | None) -> tuple[Any, ...] | None:
    if target is None:
        return None
    if target.kind == Target.Kind.NONE:
        return ("none",)
    if target.kind == Target.Kind.NUMBER:
        return ("number", target.value)
    return ("text", target.text)  # a suspension is printed as its reason


# -- the seed copy ----------------------------------------------------------------------------


def test_seed_copy_is_the_seed_with_only_its_typos_corrected():
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == SEED_SHA256


# -- first appendix ---------------------------------------------------------------------------


def test_first_appendix_matches_the_seed_row_by_row_and_cell_by_cell(ba_trang_plan):
    table, _ = seed_tables()
    assert table[0][:3] == ["TT", "Nội dung hoạt động", "Chỉ tiêu năm 2023"]
    assert table[1][2:4] == ["Xã", "thôn"]
    expected = []
    for cells in table[2:]:
        content = re.fullmatch(r"(Nội dung \d+)[:.] (.+)", cells[0])
        if content:
            expected.append(("content", content[1], content[2], None, None))
            continue
        kind = "activity" if cells[0].startswith("Hoạt động") else "indicator"
        commune, village = printed_cell(cells[2]), printed_cell(cells[3])
        expected.append((kind, cells[0], cells[1], commune, village))

    loaded = [
        (
            line.element.kind,
            line.element.number,
            line.element.title,
            loaded_cell(line.commune),
            loaded_cell(line.village),
        )
        for line in plan_appendix(plan=ba_trang_plan)
    ]

    assert len(expected) == 38 - 3  # every row below the project
    assert loaded == expected


def test_first_appendix_indents_activities_and_indicators_under_their_content(ba_trang_plan):
    depth = {line.element.code: line.depth for line in plan_appendix(plan=ba_trang_plan)}

    assert depth["1719.GD1.DA8.ND1"] == 0
    assert depth["1719.GD1.DA8.ND1.HD1"] == 1
    assert depth["1719.GD1.DA8.ND1.HD1.1"] == 2
    assert depth["1719.GD1.DA8.ND4.1"] == 1


def test_savings_groups_activity_is_suspended_at_commune_level(ba_trang_plan):
    target = Target.objects.get(plan=ba_trang_plan, element__code="1719.GD1.DA8.ND2.HD1")

    assert target.kind == Target.Kind.SUSPENDED
    assert target.scope == Target.Scope.COMMUNE
    assert target.text == "Tạm dừng hoạt động cho đến khi có văn bản hướng dẫn của Trung ương"
    assert not Target.objects.filter(
        plan=ba_trang_plan, element__code="1719.GD1.DA8.ND2.HD1", scope=Target.Scope.VILLAGE
    ).exists()


# -- second appendix --------------------------------------------------------------------------


def test_allocation_table_matches_the_seed_row_by_row_and_cell_by_cell(ba_trang_plan):
    _, table = seed_tables()
    groups, headings, data = table[1][3:], table[2][3:], table[3:]
    for i, group in enumerate(groups):  # a merged heading cell is empty after the first
        groups[i] = group or groups[i - 1]
    expected_rows = [
        (
            cells[0],
            cells[1],
            int(cells[2]) if cells[2] else None,
            [Decimal(value) for value in cells[3:]],
        )
        for cells in data
    ]

    result = allocation_table(plan=ba_trang_plan)

    assert [(c.group, c.heading) for c in result.columns] == list(
        zip(groups, headings, strict=True)
    )
    assert [
        (
            row.number,
            row.label,
            row.difficult_villages,
            [value for _column, value in result.row_cells(row)],
        )
        for row in result.rows
    ] == expected_rows
    assert len(expected_rows) == 6
    assert result.problems == []


def test_allocation_rows_nest_total_agencies_and_villages(ba_trang_plan, villages):
    rows = {row.label: row for row in allocation_table(plan=ba_trang_plan).rows}

    total = rows["Chỉ tiêu cần đạt năm 2023"]
    assert (total.kind, total.number, total.parent) == (AllocationRow.Kind.TOTAL, "", None)
    assert rows["Hội LHPN xã"].parent == rows["UBND xã"].parent == total
    assert rows["UBND xã"].kind == AllocationRow.Kind.AGENCY
    for name, village in villages.items():
        row = rows[f"Thôn {name}"]
        assert (row.kind, row.parent, row.village) == (
            AllocationRow.Kind.VILLAGE,
            rows["UBND xã"],
            village,
        )


def test_allocation_columns_are_tied_to_first_appendix_indicators(ba_trang_plan):
    columns = allocation_table(plan=ba_trang_plan).columns

    assert [column.element.code.removeprefix("1719.GD1.DA8.") for column in columns] == [
        "ND1.HD1.1",
        "ND2.HD1.1",
        "ND3.HD1.2",
        "ND3.HD2.3",
        "ND4.1",
        "ND4.2",
        "ND4.3",
    ]


# -- the body of the plan -----------------------------------------------------------------------


def test_plan_header_is_the_seed_header_with_number_and_date_from_the_appendix(ba_trang_plan):
    body = seed_body()
    plan = ba_trang_plan

    assert (plan.number, plan.symbol, plan.year) == (87, "KH-UBND", 2023)
    assert plan.issued_on == datetime.date(2023, 9, 25)
    assert plan.place == "Ba Trang"
    assert plan.issuing_body == "Ủy ban nhân dân xã Ba Trang"
    assert plan.parent_body == "Ủy ban nhân dân huyện Ba Tơ"
    assert plan.title == body[body.index("KẾ HOẠCH") + 1]
    assert plan.proposal in body and plan.proposal.startswith("Theo đề nghị của Chủ tịch")
    assert plan.project.code == "1719.GD1.DA8"
    assert plan.status == Plan.Status.DRAFT


def test_legal_bases_print_back_as_the_seed_citations(ba_trang_plan):
    kinds = {"ke_hoach": "Kế hoạch", "quyet_dinh": "Quyết định"}
    citations = [line for line in seed_body() if line.startswith("Căn cứ ")]

    printed = []
    for basis in ba_trang_plan.legal_bases.select_related("document"):
        document = basis.document
        day = f"{document.issued_on.day:02d}/{document.issued_on.month}/{document.issued_on.year}"
        assert document.issuer == "Ủy ban nhân dân huyện Ba Tơ"
        printed.append(
            f"Căn cứ {kinds[document.kind]} số {document.reference} ngày {day}"
            f" của Ủy ban nhân dân huyện {document.title};"
        )

    assert printed == citations
    assert len(printed) == 4


def test_body_sections_are_the_seed_lines_verbatim(ba_trang_plan):
    body = seed_body()
    plan = ba_trang_plan

    assert plan.lines("purposes") == between(body, "1. Mục đích", "2. Yêu cầu")
    # One departure (see the JSON's notes): the seed's "TT-UBND" is corrected to "TT-UBDT".
    assert plan.lines("requirements") == [
        line.replace("01/2022/TT-UBND", "01/2022/TT-UBDT")
        for line in between(body, "2. Yêu cầu", "II. CHỈ TIÊU CỤ THỂ:")
    ]
    assert [plan.budget_text] == between(body, "IV. KINH PHÍ THỰC HIỆN", "V. TỔ CHỨC THỰC HIỆN")
    assert plan.lines("recipients") == between(body, "Nơi nhận:", "CHỦ TỊCH")
    assert len(plan.lines("recipients")) == 6
    assert plan.closing in body and plan.closing.endswith("Ủy ban nhân dân xã./.")
    assert (plan.signer_authority, plan.signer_title, plan.signer_name) == (
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Phạm Văn Thích",
    )


def test_focus_contents_are_the_seed_bullets_per_content(ba_trang_plan):
    body = seed_body()
    section = between(body, "III. NỘI DUNG TRỌNG TÂM NĂM 2023", "IV. KINH PHÍ THỰC HIỆN")
    headings = [line for line in section if re.match(r"\d\. Nội dung \d: ", line)]
    expected = [
        between(section + ["END"], heading, (headings[i + 1] if i + 1 < len(headings) else "END"))
        for i, heading in enumerate(headings)
    ]

    focuses = list(ba_trang_plan.focuses.select_related("content"))

    assert [f.content.number for f in focuses] == [f"Nội dung {n}" for n in range(1, 5)]
    assert [f.body.split("\n") for f in focuses] == expected


def test_responsibilities_are_the_seed_agencies_and_tasks(ba_trang_plan):
    body = seed_body()
    section = between(body + ["END"], "V. TỔ CHỨC THỰC HIỆN", "END")
    headings = [line for line in section if re.fullmatch(r"\d\. [^-].{0,60}", line)]
    closing = next(line for line in section if line.startswith("Đề nghị các thôn"))
    ends = [*headings[1:], closing]

    responsibilities = list(ba_trang_plan.responsibilities.all())

    assert [r.agency for r in responsibilities] == [
        "Hội LHPN xã",
        "Các cơ quan, đơn vị",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã",
        "Ủy ban nhân dân các xã thực hiện Dự án",
    ]
    assert [f"{i}. {r.agency}" for i, r in enumerate(responsibilities, start=1)] == headings
    assert [r.body.split("\n") for r in responsibilities] == [
        between(section, heading, end) for heading, end in zip(headings, ends, strict=True)
    ]


# -- the register ------------------------------------------------------------------------------


def test_budget_source_and_third_legal_basis_are_one_register_row(ba_trang_plan):
    third = ba_trang_plan.legal_bases.get(order=3).document

    assert ba_trang_plan.budget_source == third
    assert third.reference == "73/QĐ-UBND"
    assert LegalDocument.objects.filter(number="73", symbol="QĐ-UBND").count() == 1


def test_cited_documents_are_registered_once_each(ba_trang_plan):
    references = sorted(LegalDocument.objects.values_list("number", "symbol", "issuer"))

    assert references == sorted(
        [
            ("141", "KH-UBND", "Ủy ban nhân dân huyện Ba Tơ"),
            ("195", "KH-UBND", "Ủy ban nhân dân huyện Ba Tơ"),
            ("93", "KH-UBND", "Ủy ban nhân dân huyện Ba Tơ"),
            ("73", "QĐ-UBND", "Ủy ban nhân dân huyện Ba Tơ"),
            ("194", "KH-UBND", "Ủy ban nhân dân huyện Ba Tơ"),
            ("11", "HD-BTV", "Ban Thường vụ Hội Liên hiệp Phụ nữ huyện Ba Tơ"),
            ("15/2022", "TT-BTC", "Bộ Tài chính"),
            ("55/2023", "TT-BTC", "Bộ Tài chính"),
            ("01/2022", "TT-UBDT", "Ủy ban Dân tộc"),
            ("590", "QĐ-UBND", "Ủy ban nhân dân huyện Ba Tơ"),
            ("612", "QĐ-UBDT", "Ủy ban Dân tộc"),
        ]
    )


# -- reloading ---------------------------------------------------------------------------------


def counts() -> dict[str, int]:
    plan = Plan.objects.get()
    return {
        "plans": Plan.objects.count(),
        "documents": LegalDocument.objects.count(),
        "legal_bases": plan.legal_bases.count(),
        "focuses": plan.focuses.count(),
        "responsibilities": plan.responsibilities.count(),
        "targets": plan.targets.count(),
        "columns": plan.allocation_columns.count(),
        "rows": plan.allocation_rows.count(),
        "cells": sum(row.cells.count() for row in plan.allocation_rows.all()),
    }


def test_loading_again_replaces_the_contents_and_types_no_document_twice(
    ba_trang_plan, ba_trang, villages, ba_trang_plan_data
):
    before = counts()

    again = plan_load(data=ba_trang_plan_data, issuing_unit=ba_trang, villages=villages)

    assert again.pk == ba_trang_plan.pk
    assert counts() == before
    assert before == {
        "plans": 1,
        "documents": 11,
        "legal_bases": 4,
        "focuses": 4,
        "responsibilities": 4,
        "targets": 45,  # 22 indicators × 2 levels + the suspended activity
        "columns": 7,
        "rows": 6,
        "cells": 42,
    }


def test_loading_again_takes_the_new_values(ba_trang_plan, ba_trang, villages, ba_trang_plan_data):
    data = copy.deepcopy(ba_trang_plan_data)
    data["targets"][0]["village"] = {"kind": "number", "value": "2"}
    data["signer_name"] = "Phạm Văn Thích "

    plan_load(data=data, issuing_unit=ba_trang, villages=villages)

    target = Target.objects.get(
        plan=ba_trang_plan, element__code="1719.GD1.DA8.ND1.HD1.1", scope=Target.Scope.VILLAGE
    )
    assert target.value == 2
    assert Plan.objects.get().signer_name == "Phạm Văn Thích"


def test_an_approved_plan_is_not_replaced(ba_trang_plan, ba_trang, villages, ba_trang_plan_data):
    Plan.objects.filter(pk=ba_trang_plan.pk).update(status=Plan.Status.APPROVED)

    with pytest.raises(PlanApprovedError, match="87/KH-UBND"):
        plan_load(data=ba_trang_plan_data, issuing_unit=ba_trang, villages=villages)


def test_villages_default_to_those_of_the_issuing_commune(
    program_structure, ba_trang, villages, ba_trang_plan_data
):
    plan = plan_load(data=ba_trang_plan_data, issuing_unit=ba_trang)

    village_rows = plan.allocation_rows.filter(kind=AllocationRow.Kind.VILLAGE)
    assert {row.village for row in village_rows} == set(villages.values())


# -- bad input -----------------------------------------------------------------------------------


def village_row(data: dict[str, Any], name: str) -> dict[str, Any]:
    agency = data["allocation"]["rows"][0]["children"][1]
    return next(row for row in agency["children"] if row.get("village") == name)


def assert_rejected(data, ba_trang, villages, *messages: str) -> None:
    with pytest.raises(ValidationError) as caught:
        plan_load(data=data, issuing_unit=ba_trang, villages=villages)
    for message in messages:
        assert any(message in text for text in caught.value.messages), caught.value.messages
    assert Plan.objects.count() == 0
    assert legal_documents_written() == 0


def test_unknown_village_is_refused_and_nothing_saved(
    program_structure, ba_trang, villages, ba_trang_plan_data
):
    village_row(ba_trang_plan_data, "Nước Đang")["village"] = "Nước Đăng"

    assert_rejected(
        ba_trang_plan_data, ba_trang, villages, "unknown village “Nước Đăng” in Xã Ba Trang"
    )


def test_a_village_of_another_commune_is_refused(
    program_structure, ba_trang, villages, ba_kham_village, ba_trang_plan_data
):
    assert_rejected(
        ba_trang_plan_data,
        ba_trang,
        {**villages, "Nước Đang": ba_kham_village},
        "“Nước Đang” is not a village of Xã Ba Trang",
    )


def test_a_count_that_is_not_a_number_is_refused_naming_row_and_column(
    program_structure, ba_trang, villages, ba_trang_plan_data
):
    village_row(ba_trang_plan_data, "Kon Riêng")["values"][2] = "hai"
    ba_trang_plan_data["targets"][3]["commune"]["value"] = "một"

    assert_rejected(
        ba_trang_plan_data,
        ba_trang,
        villages,
        "Plan: allocation.rows.1.children.2.children.2.values.3 (Thôn Kon Riêng): "
        "“hai” is not a number.",
        "Plan: targets.4.commune.value (1719.GD1.DA8.ND1.HD2.1): “một” is not a number.",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["targets"][0].update(element="1719.GD1.DA8.ND9.1"), "“1719.GD1.DA8.ND9.1”"),
        (
            lambda d: d["targets"][0].update(commune={"kind": "maybe"}),
            "targets.1.commune.kind (1719.GD1.DA8.ND1.HD1.1): "
            "“maybe” is not one of “number”, “text”",
        ),
        (lambda d: d["targets"][0].update(commune={"kind": "number"}), "a number is required"),
        (
            lambda d: d["targets"][2]["commune"].update(text=""),
            "targets.3.commune (1719.GD1.DA8.ND1.HD1.3): the text is missing.",
        ),
        (
            lambda d: d["targets"][2]["commune"].update(value="1"),
            "targets.3.commune (1719.GD1.DA8.ND1.HD1.3): a cell of kind “text” has no value.",
        ),
        (
            lambda d: d["focuses"][0].update(content="1719.GD1.DA8.ND1.HD1"),
            "is of kind “activity”; expected content",
        ),
        (lambda d: d["legal_bases"][1].update(issued_on="05/5/2023"), "YYYY-MM-DD"),
        (
            lambda d: d["legal_bases"][1].update(kind="ke hoach"),
            "legal_bases.2.kind (KH-UBND): “ke hoach” is not one of “luat”, “nghi_quyet”",
        ),
        (lambda d: d["legal_bases"].append(d["legal_bases"][0]), "195/KH-UBND is listed twice"),
        (lambda d: d["allocation"]["rows"][0]["values"].pop(), "one value per column (7)"),
        (lambda d: d["allocation"]["rows"][0].update(difficult_villages="1,5"), "whole number"),
        (lambda d: d.update(numbr=87), "Plan: numbr: unknown field"),
        (lambda d: d.update(year="2023"), "Plan: year: must be a whole number"),
        (lambda d: d.update(title=""), "Plan: title: must not be empty"),
        (lambda d: d.pop("symbol"), "Plan: symbol: required"),
        (
            lambda d: d.update(signer_name="x" * 121),
            "signer_name: must have at most 120 characters",
        ),
        (lambda d: d["purposes"].append(""), "purposes.3: a line is empty or holds a line break."),
        (
            lambda d: d.update(format="duan8.plan/0"),
            "Plan: format: “duan8.plan/0” is not one of “duan8.plan/1”",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_item(
    program_structure, ba_trang, villages, ba_trang_plan_data, change, message
):
    change(ba_trang_plan_data)

    assert_rejected(ba_trang_plan_data, ba_trang, villages, message)


def test_an_unknown_project_asks_for_the_structure_first(
    no_program_structure, ba_trang, villages, ba_trang_plan_data
):
    assert_rejected(ba_trang_plan_data, ba_trang, villages, "load the program structure first")


def test_loaded_texts_are_normalised_to_nfc(
    program_structure, ba_trang, villages, ba_trang_plan_data
):
    ba_trang_plan_data["signer_name"] = unicodedata.normalize("NFD", " Phạm Văn Thích")

    plan = plan_load(data=ba_trang_plan_data, issuing_unit=ba_trang, villages=villages)

    assert plan.signer_name == unicodedata.normalize("NFC", "Phạm Văn Thích")


def test_a_bad_plan_file_is_explained_in_vietnamese_and_nothing_saved(
    program_structure, ba_trang, villages, ba_trang_plan_data
):
    ba_trang_plan_data["targets"][3]["commune"]["value"] = "một"
    ba_trang_plan_data["year"] = "2023"

    with translation.override("vi"), pytest.raises(FileInvalid) as caught:
        plan_load(
            data=ba_trang_plan_data, issuing_unit=ba_trang, villages=villages, source="kh87.json"
        )

    assert caught.value.lines() == [
        "kh87.json: year: phải là số nguyên",
        "kh87.json: targets.4.commune.value (1719.GD1.DA8.ND1.HD2.1): “một” không phải là số.",
    ]
    assert Plan.objects.count() == legal_documents_written() == 0
