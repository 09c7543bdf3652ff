"""Malformed plans give clear errors naming their place, and nothing is saved."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from duan8.core.models import AuditEvent
from duan8.documents.importing import (
    PlanExistsError,
    PlanImport,
    plan_import_read,
    plan_import_save,
)
from duan8.documents.tests.import_builders import seed_bytes, seed_docx
from duan8.programs.models import AllocationCell, AllocationRow, Plan, Target
from duan8.programs.plan_data import PlanApprovedError
from duan8.testing import legal_documents_written

NUOC_DANG = "3\tThôn Nước Đang\t01\t01\t0\t0\t0\t0\t0\t0"
KON_RIENG = "2\tThôn Kon Riêng\t01\t0\t0\t0\t0\t0\t0\t0"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def saved_rows() -> dict[str, int]:
    return {
        "plans": Plan.objects.count(),
        "targets": Target.objects.count(),
        "rows": AllocationRow.objects.count(),
        "cells": AllocationCell.objects.count(),
        "documents": legal_documents_written(),
        "imports": AuditEvent.objects.filter(action="documents.plan.imported").count(),
    }


NOTHING = {"plans": 0, "targets": 0, "rows": 0, "cells": 0, "documents": 0, "imports": 0}


def read(unit, content: bytes, filename: str = "seed.txt", **options):
    return plan_import_read(content=content, filename=filename, issuing_unit=unit, **options)


def refused_save(actor, unit, result, **options) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        plan_import_save(actor=actor, issuing_unit=unit, result=result, **options)
    return caught.value.messages


def test_a_table_that_does_not_add_up_is_an_error_at_its_row_and_column(
    program_structure, ba_trang, villages, commune_officer
):
    result = read(
        ba_trang, seed_bytes([(NUOC_DANG, NUOC_DANG.replace("\t01\t01\t", "\t01\t02\t"))])
    )

    [error] = result.errors
    assert error.where.startswith("Table 2, row 6, column “Thành lập mới và duy trì tổ truyền")
    assert error.message == "“UBND xã” says 01, but the rows under it add up to 02."
    assert (error.field, error.row) == ("table.2.row.6.column.4.line.197", 6)
    messages = refused_save(commune_officer, ba_trang, result)
    assert any("says 01, but the rows under it add up to 02" in m for m in messages)
    assert saved_rows() == NOTHING


def test_difficult_villages_must_add_up_too(program_structure, ba_trang, villages):
    result = read(ba_trang, seed_bytes([(KON_RIENG, KON_RIENG.replace("\t01\t0\t", "\t\t0\t"))]))

    [error] = result.errors
    assert "counts 03 especially difficult villages, but the rows under it add up to 02" in (
        error.message
    )


def test_an_unknown_village_is_an_error_listing_the_communes_villages(
    program_structure, ba_trang, villages, commune_officer
):
    result = read(ba_trang, seed_bytes([("Thôn Kon Riêng", "Thôn Làng Mới")]))

    [error] = result.errors
    assert error.where.startswith("Table 2, row 8")
    assert error.message == (
        "Unknown village “Thôn Làng Mới”: Xã Ba Trang has no such village on 25/09/2023."
        " Its villages: Bùi Hui, Kon Riêng, Nước Đang."
    )
    refused_save(commune_officer, ba_trang, result)
    assert saved_rows() == NOTHING


def test_a_village_of_another_commune_is_unknown_here(
    program_structure, ba_trang, villages, ba_kham_village
):
    result = read(ba_trang, seed_bytes([("Thôn Kon Riêng", "Làng Rêu")]))

    assert ["Unknown village “Làng Rêu”" in e.message for e in result.errors] == [True]


def test_a_village_typed_without_tone_marks_is_matched_with_a_warning(
    program_structure, ba_trang, villages
):
    result = read(ba_trang, seed_bytes([("Thôn Nước Đang", "Thôn Nuoc Dang")]))

    assert result.errors == []
    assert any("is taken as the village Thôn Nước Đang" in w.message for w in result.warnings)
    village_rows = result.data["allocation"]["rows"][0]["children"][1]["children"]
    assert [row["village"] for row in village_rows] == ["Bùi Hui", "Kon Riêng", "Nước Đang"]


def test_a_row_no_indicator_matches_keeps_its_targets_out_and_is_an_error(
    program_structure, ba_trang, villages
):
    line = "3\tGiám sát việc triển khai gói chính sách hỗ trợ chăm sóc sức khỏe bà mẹ trẻ em\t"
    result = read(ba_trang, seed_bytes([(line, "3\tTrồng cây gây rừng ven suối\t")]))

    [error] = result.errors
    assert error.where.startswith("Table 1, row 17")
    assert "No line of the program matches this row (3)" in error.message
    assert "Giám sát việc triển khai gói chính sách" in error.message  # what is expected there


def test_a_retyped_indicator_is_matched_by_its_wording_whatever_the_case_and_spacing(
    program_structure, ba_trang, villages
):
    line = "3\tGiám sát việc triển khai gói chính sách hỗ trợ chăm sóc sức khỏe bà mẹ trẻ em\t"
    retyped = (
        "3\tGIÁM SÁT  việc triển khai gói chính sách, hỗ trợ chăm sóc sức khỏe bà mẹ - trẻ em.\t"
    )
    result = read(ba_trang, seed_bytes([(line, retyped)]))

    assert result.errors == []
    assert result.warnings == read(ba_trang, seed_bytes()).warnings


def test_a_plan_of_another_commune_is_refused_for_this_one(program_structure, ba_trang, villages):
    content = seed_bytes(
        [
            ("của UBND xã Ba Trang)\n\nTT", "của UBND xã Ba Khâm)\n\nTT"),
        ]
    )

    result = read(ba_trang, content)

    assert any(
        "issued by “Ủy ban nhân dân xã Ba Khâm”, not by Xã Ba Trang" in e.message
        for e in result.errors
    )


def test_the_year_given_wins_over_the_documents_with_a_warning(
    program_structure, ba_trang, villages
):
    result = read(ba_trang, seed_bytes(), year=2024)

    assert result.data["year"] == 2024
    assert any("The document says 2023" in w.message for w in result.warnings)


def test_an_outsider_cannot_save_an_import(
    program_structure, ba_trang, villages, other_commune_officer
):
    result = read(ba_trang, seed_bytes())

    with pytest.raises(PermissionDenied):
        plan_import_save(actor=other_commune_officer, issuing_unit=ba_trang, result=result)

    assert saved_rows() == NOTHING


def test_an_import_read_for_one_unit_is_not_saved_in_another(
    program_structure, ba_trang, villages, ba_kham
):
    result = read(ba_trang, seed_bytes())

    messages = refused_save(None, ba_kham, result)

    assert messages == ["This import was read for another unit; upload the file again."]


def test_an_approved_plan_is_never_replaced(ba_trang_plan, ba_trang, commune_officer):
    Plan.objects.filter(pk=ba_trang_plan.pk).update(status=Plan.Status.APPROVED)
    before = saved_rows()

    with pytest.raises(PlanApprovedError, match="87/KH-UBND of 2023 is approved"):
        plan_import_save(
            actor=commune_officer,
            issuing_unit=ba_trang,
            result=read(ba_trang, seed_docx(), "kh.docx"),
            replace=True,
        )

    assert saved_rows() == before


def test_a_draft_with_the_same_number_is_replaced_only_when_asked(
    ba_trang_plan, ba_trang, commune_officer
):
    result = read(
        ba_trang,
        seed_bytes(
            [
                (NUOC_DANG, NUOC_DANG.replace("0\t0\t0\t0\t0\t0", "0\t0\t0\t1\t0\t0")),
                ("II\tUBND xã\t03\t01\t0\t0\t0\t0\t0\t0", "II\tUBND xã\t03\t01\t0\t0\t0\t1\t0\t0"),
                (
                    "\tChỉ tiêu cần đạt năm 2023\t\t01\t0\t0\t0\t0\t0\t0",
                    "\tChỉ tiêu cần đạt năm 2023\t\t01\t0\t0\t0\t1\t0\t0",
                ),
            ]
        ),
    )
    version = ba_trang_plan.version

    with pytest.raises(PlanExistsError, match="A draft plan 87/KH-UBND of 2023 already exists"):
        plan_import_save(actor=commune_officer, issuing_unit=ba_trang, result=result)
    assert not AllocationCell.objects.filter(value=1, column__order=5).exists()

    plan = plan_import_save(
        actor=commune_officer, issuing_unit=ba_trang, result=result, replace=True
    )

    assert plan.pk == ba_trang_plan.pk
    assert plan.version == version + 1
    assert Plan.objects.count() == 1
    assert AllocationCell.objects.filter(value=1, column__order=5).count() == 3
    event = AuditEvent.objects.get(action="documents.plan.imported")
    assert event.actor == commune_officer
    assert event.before == {"replaced": plan.pk}
    assert event.after["file"] == "seed.txt"
    assert event.after["allocation_cells"] == 42


def test_marks_above_the_header_are_not_taken_for_the_issuing_body(
    program_structure, ba_trang, villages
):
    result = read(ba_trang, seed_bytes([("\n\nSố: /KH-UBND", "DỰ THẢO\n\nSố: /KH-UBND")]))

    assert result.errors == []
    assert result.data["issuing_body"] == "Ủy ban nhân dân xã Ba Trang"


def test_a_problem_kept_for_the_confirm_step_is_named_in_the_language_of_the_page(
    program_structure, ba_trang, villages
):
    result = read(
        ba_trang, seed_bytes([(NUOC_DANG, NUOC_DANG.replace("\t01\t01\t", "\t01\t02\t"))])
    )

    kept = PlanImport.from_dict(result.as_dict())

    assert [(p.field, p.row, p.message) for p in kept.problems] == [
        (p.field, p.row, p.message) for p in result.problems
    ]
    with translation.override("vi"):
        assert kept.errors[0].where.startswith("Bảng 2, hàng 6, cột “Thành lập mới")
