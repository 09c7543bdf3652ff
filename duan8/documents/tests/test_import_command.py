"""``duan8 plan_import FILE --unit 21520 [--dry-run] [--year N] [--replace]``."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from duan8.core.models import AuditEvent
from duan8.documents.tests.import_builders import seed_bytes, seed_docx
from duan8.programs.models import AllocationCell, AllocationRow, Plan, PlanLegalBasis, Target
from duan8.testing import legal_documents_written


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def seed_file(tmp_path):
    path = tmp_path / "ke_hoach_87_2023_ba_trang.txt"
    path.write_bytes(seed_bytes())
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("plan_import", *args, stdout=out)
    return out.getvalue()


def totals() -> dict[str, int]:
    return {
        "plans": Plan.objects.count(),
        "targets": Target.objects.count(),
        "rows": AllocationRow.objects.count(),
        "cells": AllocationCell.objects.count(),
        "documents": legal_documents_written(),
        "bases": PlanLegalBasis.objects.count(),
        "events": AuditEvent.objects.count(),
    }


def test_dry_run_prints_what_would_be_created_and_writes_nothing(
    program_structure, ba_trang, villages, seed_file
):
    before = totals()

    out = run(str(seed_file), "--unit", "21520", "--dry-run")

    assert (
        totals()
        == before
        == {
            "plans": 0,
            "targets": 0,
            "rows": 0,
            "cells": 0,
            "documents": 0,
            "bases": 0,
            "events": 0,
        }
    )
    assert "Unit: Xã Ba Trang (code 21520)" in out
    assert "Plan: 87/KH-UBND, date 25/09/2023, year 2023" in out
    assert "Issuing body: Ủy ban nhân dân xã Ba Trang" in out
    assert "Body above: Ủy ban nhân dân huyện Ba Tơ" in out
    assert "Legal bases: 4" in out
    assert "195/KH-UBND 29/12/2022 Ủy ban nhân dân huyện Ba Tơ" in out
    assert "Targets (first appendix): 45" in out
    assert "Allocation table: 7 columns, 6 rows, 42 cells" in out
    assert "Problems: 0 errors, 4 warnings" in out
    assert "Warning — Line 3: The number is left blank in the header" in out
    assert out.rstrip().endswith("Dry run: nothing was written.")


def test_without_dry_run_the_draft_plan_is_created(
    program_structure, ba_trang, villages, seed_file
):
    out = run(str(seed_file), "--unit", "21520")

    plan = Plan.objects.get()
    assert f"Draft plan 87/KH-UBND of 2023 created for Xã Ba Trang (id {plan.pk})." in out
    assert (plan.status, plan.issuing_unit) == (Plan.Status.DRAFT, ba_trang)
    assert totals()["cells"] == 42
    event = AuditEvent.objects.get(action="documents.plan.imported")
    assert (event.actor, event.actor_name) == (None, "plan_import (command line)")


def test_a_second_import_needs_replace(program_structure, ba_trang, villages, seed_file, tmp_path):
    run(str(seed_file), "--unit", "21520")
    word = tmp_path / "ke_hoach_87.docx"
    word.write_bytes(seed_docx())

    with pytest.raises(CommandError, match="add --replace to replace it"):
        run(str(word), "--unit", "21520")
    out = run(str(word), "--unit", "21520", "--replace")

    assert "The draft plan 87/KH-UBND of 2023 will be replaced." in out
    assert Plan.objects.get().signer_authority == "TM. ỦY BAN NHÂN DÂN"  # from the Word file


def test_errors_end_with_a_non_zero_status_and_their_messages(
    program_structure, ba_trang, villages, tmp_path
):
    bad = tmp_path / "sai.txt"
    bad.write_bytes(seed_bytes([("Thôn Kon Riêng", "Thôn Làng Mới")]))

    for extra in ([], ["--dry-run"]):
        with pytest.raises(CommandError) as caught:
            run(str(bad), "--unit", "21520", *extra)
        assert "Nothing was written:" in str(caught.value)
        assert "Unknown village “Thôn Làng Mới”" in str(caught.value)
    assert totals()["plans"] == 0


def test_unreadable_files_and_unknown_units_are_command_errors(
    program_structure, ba_trang, villages, seed_file, tmp_path
):
    not_word = tmp_path / "ke_hoach.docx"
    not_word.write_bytes(b"plain text, not Word")

    with pytest.raises(CommandError, match="is not a Word file"):
        run(str(not_word), "--unit", "21520")
    with pytest.raises(CommandError, match="File not found"):
        run(str(tmp_path / "missing.txt"), "--unit", "21520")
    with pytest.raises(CommandError, match="No administrative unit has code 99999"):
        run(str(seed_file), "--unit", "99999")
    assert totals()["plans"] == 0


def test_the_code_is_resolved_on_the_plans_date(
    program_structure, ba_trang, villages, dang_thuy_tram, seed_file
):
    # 21520 is xã Ba Trang until 30/6/2025 and xã Đặng Thùy Trâm from 1/7/2025
    out = run(str(seed_file), "--unit", "21520", "--dry-run")

    assert "Unit: Xã Ba Trang" in out
