"""The seed round-trips: imported from text or Word, it gives the demo plan's targets and cells;
the Word document generated from the demo plan, imported again, gives the same table cells."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from duan8.documents.importing import plan_import_read, plan_import_save
from duan8.documents.tests.import_builders import (
    allocation_of,
    columns_of,
    seed_bytes,
    seed_docx,
    targets_of,
)
from duan8.legal.models import LegalDocument
from duan8.programs.models import Plan, Target
from duan8.programs.selectors import allocation_table, plan_appendix

HEADER_KEYS = ("year", "number", "symbol", "issued_on", "place", "issuing_body", "parent_body")
TEXT_KEYS = ("title", "proposal", "purposes", "specific_targets", "focuses")
TEXT_KEYS += ("budget_text", "budget_source", "responsibilities", "closing", "recipients")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def read(content: bytes, filename: str, unit, **options):
    return plan_import_read(content=content, filename=filename, issuing_unit=unit, **options)


def test_seed_text_gives_the_demo_plan_target_by_target_and_cell_by_cell(
    program_structure, ba_trang, villages, ba_trang_plan_data
):
    result = read(seed_bytes(), "ke_hoach_87_2023_ba_trang.txt", ba_trang)

    assert result.errors == []
    assert targets_of(result.data) == targets_of(ba_trang_plan_data)
    assert len(result.data["targets"]) == 23
    assert columns_of(result.data) == columns_of(ba_trang_plan_data)
    assert result.data["allocation"] == ba_trang_plan_data["allocation"]
    assert result.counts == {"legal_bases": 4, "targets": 45, "columns": 7, "rows": 6, "cells": 42}


def test_seed_header_legal_bases_and_sections_are_the_demo_plans(
    program_structure, ba_trang, villages, ba_trang_plan_data
):
    result = read(seed_bytes(), "seed.txt", ba_trang)

    for name in (*HEADER_KEYS, *TEXT_KEYS, "legal_bases", "signer_title", "signer_name"):
        assert result.data[name] == ba_trang_plan_data[name], name
    # kept as printed: the seed's "TT-UBND" typo, which the demo data corrects to TT-UBDT
    assert "Thông tư 01/2022/TT-UBND ngày 26/5/2022" in result.data["requirements"][2]
    assert [
        line.replace("TT-UBND ngày 26/5", "TT-UBDT ngày 26/5")
        for line in result.data["requirements"]
    ] == ba_trang_plan_data["requirements"]


def test_seed_defects_are_listed_with_their_place(program_structure, ba_trang, villages):
    result = read(seed_bytes(), "seed.txt", ba_trang)

    problems = {p.message: p for p in result.warnings}
    number = next(p for m, p in problems.items() if "number is left blank" in m)
    date = next(p for m, p in problems.items() if "date is incomplete" in m)
    assert number.where == "Line 3"  # "Số: /KH-UBND"
    assert "87 is taken from the appendix" in number.message
    assert date.where == "Line 5"  # "Ba Trang, ngày tháng 9 năm 2023"
    assert any("no authority line" in m for m in problems)
    assert any("agency name is missing" in m for m in problems)
    assert len(result.problems) == 4


def test_importing_the_seed_creates_the_demo_plans_tables(
    program_structure, ba_trang, villages, ba_trang_plan_data, commune_officer
):
    result = read(seed_bytes(), "seed.txt", ba_trang)

    plan = plan_import_save(actor=commune_officer, issuing_unit=ba_trang, result=result)

    assert (plan.number, plan.symbol, plan.year, plan.status) == (87, "KH-UBND", 2023, "draft")
    assert plan.issued_on == datetime.date(2023, 9, 25)
    table = allocation_table(plan=plan)
    assert table.problems == []
    printed = [
        (row.number, row.label, [value for _c, value in table.row_cells(row)]) for row in table.rows
    ]
    assert printed == [
        ("", "Chỉ tiêu cần đạt năm 2023", [Decimal(1)] + [Decimal(0)] * 6),
        ("I", "Hội LHPN xã", [Decimal(0)] * 7),
        ("II", "UBND xã", [Decimal(1)] + [Decimal(0)] * 6),
        ("1", "Thôn Bùi Hui", [Decimal(0)] * 7),
        ("2", "Thôn Kon Riêng", [Decimal(0)] * 7),
        ("3", "Thôn Nước Đang", [Decimal(1)] + [Decimal(0)] * 6),
    ]
    assert [r.village for r in table.rows[3:]] == list(villages.values())
    assert Target.objects.filter(plan=plan).count() == 45
    assert LegalDocument.objects.filter(number="195", issuer="Ủy ban nhân dân huyện Ba Tơ").exists()


def test_seed_import_equals_the_demo_plan_loaded_from_json(
    ba_trang_plan, ba_trang, commune_officer
):
    def snapshot(plan: Plan):
        table = allocation_table(plan=plan)
        return (
            [
                (
                    line.element.code,
                    line.commune and (line.commune.kind, line.commune.value, line.commune.text),
                    line.village and (line.village.kind, line.village.value, line.village.text),
                )
                for line in plan_appendix(plan=plan)
            ],
            [(c.element.code, c.group, c.heading) for c in table.columns],
            [
                (
                    r.kind,
                    r.number,
                    r.label,
                    r.village_id,
                    r.difficult_villages,
                    [v for _c, v in table.row_cells(r)],
                )
                for r in table.rows
            ],
        )

    demo = snapshot(ba_trang_plan)
    Plan.objects.all().delete()

    result = read(seed_bytes(), "seed.txt", ba_trang)
    imported = snapshot(
        plan_import_save(actor=commune_officer, issuing_unit=ba_trang, result=result)
    )

    assert imported == demo


def test_seed_as_a_word_file_with_merged_cells_gives_the_same_plan(
    program_structure, ba_trang, villages, ba_trang_plan_data
):
    result = read(seed_docx(), "ke_hoach_87.docx", ba_trang)

    assert result.errors == []
    assert result.kind == "docx"
    assert (result.data["number"], result.data["issued_on"]) == (87, "2023-09-25")
    assert result.data["issuing_body"] == "Ủy ban nhân dân xã Ba Trang"
    assert result.data["signer_authority"] == "TM. ỦY BAN NHÂN DÂN"
    assert targets_of(result.data) == targets_of(ba_trang_plan_data)
    assert allocation_of(result.data) == allocation_of(ba_trang_plan_data)
    assert result.data["legal_bases"] == ba_trang_plan_data["legal_bases"]
    assert [p.message for p in result.problems] == []


def test_the_generated_word_document_imports_back_to_the_same_cells(
    ba_trang_plan, ba_trang, ba_trang_plan_data
):
    plan_document = pytest.importorskip("duan8.documents.plan_document")
    content = plan_document.plan_docx(ba_trang_plan)

    result = read(content, "ke_hoach_87.docx", ba_trang)

    assert result.errors == [], result.errors
    assert targets_of(result.data) == targets_of(ba_trang_plan_data)
    assert columns_of(result.data) == columns_of(ba_trang_plan_data)
    assert allocation_of(result.data) == allocation_of(ba_trang_plan_data)
    assert [c["heading"] for c in result.data["allocation"]["columns"]] == [
        c["heading"] for c in ba_trang_plan_data["allocation"]["columns"]
    ]
    assert result.data["legal_bases"] == ba_trang_plan_data["legal_bases"]
    for name in HEADER_KEYS + ("title", "signer_authority", "signer_title", "signer_name"):
        assert result.data[name] == ba_trang_plan_data[name], name


def test_the_generated_document_of_an_imported_seed_has_the_seed_cells(
    program_structure, ba_trang, villages, commune_officer, ba_trang_plan_data
):
    plan_document = pytest.importorskip("duan8.documents.plan_document")
    first = plan_import_save(
        actor=commune_officer,
        issuing_unit=ba_trang,
        result=read(seed_bytes(), "seed.txt", ba_trang),
    )

    again = read(plan_document.plan_docx(first), "again.docx", ba_trang)

    assert again.errors == []
    assert targets_of(again.data) == targets_of(ba_trang_plan_data)
    assert allocation_of(again.data) == allocation_of(ba_trang_plan_data)
