"""``duan8 plan_export``: the plan of a unit and year as a file, with clear errors."""

import io

import pytest
from django.core.management import CommandError, call_command

from duan8.core.models import AuditEvent
from duan8.documents.pdf import soffice_path
from duan8.documents.tests.reading import lines, pdf_pages, read_docx
from duan8.programs.tests import builders

pytestmark = pytest.mark.usefixtures("english")


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("plan_export", *args, stdout=out)
    return out.getvalue()


def test_exports_the_word_file_of_the_unit_and_year(ba_trang_plan, tmp_path):
    target = tmp_path / "ke-hoach.docx"

    output = export("--unit", "21520", "--year", "2023", "--format", "docx", "-o", str(target))

    document = read_docx(target.read_bytes())
    assert lines(document.tables[0].cell(1, 0)) == ["Số: 87/KH-UBND"]
    assert "87/KH-UBND" in output and str(target) in output
    event = AuditEvent.objects.get(action="documents.plan.exported")
    assert (event.actor, event.actor_name) == (None, "command line")
    assert event.after["format"] == "docx"


@pytest.mark.soffice
def test_exports_the_pdf(ba_trang_plan, tmp_path):
    if soffice_path() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    target = tmp_path / "ke-hoach.pdf"

    export("--unit", "21520", "--year", "2023", "--format", "pdf", "-o", str(target))

    content = target.read_bytes()
    assert content.startswith(b"%PDF-")
    assert "Số: 87/KH-UBND" in pdf_pages(content)[0]


def test_an_unknown_unit_is_a_clear_error(ba_trang_plan, tmp_path):
    with pytest.raises(CommandError, match="No administrative unit has code 99999"):
        export("--unit", "99999", "--year", "2023", "-o", str(tmp_path / "x.docx"))
    assert not (tmp_path / "x.docx").exists()


def test_a_unit_without_a_plan_that_year_is_a_clear_error(ba_trang_plan, tmp_path):
    with pytest.raises(CommandError, match="Xã Ba Trang has no plan for 2024"):
        export("--unit", "21520", "--year", "2024", "-o", str(tmp_path / "x.docx"))


def test_the_code_is_resolved_for_the_year_of_the_plan(ba_trang_plan, dang_thuy_tram, tmp_path):
    """21520 is xã Ba Trang in 2023 and xã Đặng Thùy Trâm from 1/7/2025."""
    with pytest.raises(CommandError, match="Xã Đặng Thùy Trâm has no plan for 2026"):
        export("--unit", "21520", "--year", "2026", "-o", str(tmp_path / "x.docx"))

    export("--unit", "21520", "--year", "2023", "-o", str(tmp_path / "x.docx"))

    assert (tmp_path / "x.docx").exists()


def test_several_plans_need_a_number(ba_trang, villages, tmp_path):
    builders.plan(ba_trang, list(villages.values()), number=87)
    builders.plan(ba_trang, list(villages.values()), number=90)

    with pytest.raises(CommandError, match=r"87/KH-UBND, 90/KH-UBND.*--number"):
        export("--unit", "21520", "--year", "2023", "-o", str(tmp_path / "x.docx"))

    export("--unit", "21520", "--year", "2023", "--number", "90", "-o", str(tmp_path / "x.docx"))
    assert lines(read_docx((tmp_path / "x.docx").read_bytes()).tables[0].cell(1, 0)) == [
        "Số: 90/KH-UBND"
    ]


def test_exporting_as_a_user_checks_that_user_s_rights(
    ba_trang_plan, other_commune_officer, tmp_path
):
    with pytest.raises(CommandError, match="do not have the right"):
        export(
            "--unit",
            "21520",
            "--year",
            "2023",
            "--user",
            "hlhpn.bakham",
            "-o",
            str(tmp_path / "x.docx"),
        )
    assert not AuditEvent.objects.filter(action="documents.plan.exported").exists()


def test_load_document_templates_keeps_edits_unless_replace(db):
    from duan8.documents.models import DocumentTemplate

    template = DocumentTemplate.objects.get(key="plan.commune")
    template.recipients = "- Lưu: VT."
    template.save()
    out = io.StringIO()

    call_command("load_document_templates", stdout=out)
    kept = DocumentTemplate.objects.get(key="plan.commune").recipients
    call_command("load_document_templates", "--replace", stdout=out)

    assert kept == "- Lưu: VT."
    assert DocumentTemplate.objects.get(key="plan.commune").recipients.endswith("HLHPN xã.")
    assert "plan.commune: kept" in out.getvalue() and "plan.commune: replaced" in out.getvalue()
