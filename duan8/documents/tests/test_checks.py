"""Document checks: the seed's defects are found where they are; only errors block approval."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from duan8.core.problems import Problem
from duan8.documents.checks import Level, plan_check
from duan8.documents.models import DocumentTemplate
from duan8.documents.plan_document import plan_text
from duan8.legal.models import LegalDocument
from duan8.programs.models import Plan, PlanLegalBasis
from duan8.programs.plan_data import plan_load
from duan8.programs.services import plan_approve
from duan8.programs.tests import builders

pytestmark = pytest.mark.usefixtures("english")

SEED_TYPO = "Thông tư 01/2022/TT-UBND ngày 26/5/2022"


def load(data, ba_trang, villages) -> Plan:
    return plan_load(data=data, issuing_unit=ba_trang, villages=villages)


def errors(plan):
    return [p for p in plan_check(plan) if p.level == Level.ERROR]


def warnings(plan):
    return [p for p in plan_check(plan) if p.level == Level.WARNING]


def with_seed_typo(data):
    data["requirements"][2] = data["requirements"][2].replace("TT-UBDT", "TT-UBND")
    return data


def test_the_demo_plan_has_no_errors_but_the_seed_warnings(ba_trang_plan):
    found = warnings(ba_trang_plan)

    assert errors(ba_trang_plan) == []
    messages = " | ".join(f"{p.where}: {p.message}" for p in found)
    assert "“đồng bằng dân” should read “đồng bào dân”" in messages
    assert "“huyện Ba Tr”: did you mean “huyện Ba Tơ”?" in messages
    assert "“Kế hoạch 82” does not match" in messages and "194/KH-UBND" in messages
    assert "“Ủy ban nhân dân các xã” speaks of another level" in messages


def test_tt_ubnd_written_for_tt_ubdt_is_an_error_at_its_line(
    ba_trang, villages, program_structure, ba_trang_plan_data
):
    plan = load(with_seed_typo(ba_trang_plan_data), ba_trang, villages)

    found = errors(plan)

    assert len(found) == 1
    assert found[0].where == "2. Yêu cầu, paragraph 3"
    assert SEED_TYPO in found[0].message
    assert "01/2022/TT-UBDT of Ủy ban Dân tộc dated 26/5/2022" in found[0].message


def test_approval_is_blocked_by_an_error_and_names_it(
    ba_trang, villages, program_structure, ba_trang_plan_data, commune_leader
):
    plan = load(with_seed_typo(ba_trang_plan_data), ba_trang, villages)

    with pytest.raises(ValidationError) as caught:
        plan_approve(plan=plan, actor=commune_leader, expected_version=plan.version)

    assert any(SEED_TYPO in m and "2. Yêu cầu" in m for m in caught.value.messages)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_approval_is_not_blocked_by_warnings(ba_trang_plan, commune_leader):
    assert warnings(ba_trang_plan)

    plan_approve(plan=ba_trang_plan, actor=commune_leader, expected_version=ba_trang_plan.version)

    assert ba_trang_plan.status == Plan.Status.APPROVED


def test_recipients_without_the_archive_line_are_an_error(ba_trang_plan):
    ba_trang_plan.recipients = "- Hội LHPN huyện;\n- Hội LHPN xã."
    ba_trang_plan.save(update_fields=["recipients"])

    found = errors(ba_trang_plan)

    assert [(p.where, "Lưu: VT" in p.message) for p in found] == [("Recipients (nơi nhận)", True)]


def test_the_archive_line_must_come_last(ba_trang_plan):
    ba_trang_plan.recipients = "- Lưu: VT, HLHPN xã;\n- Hội LHPN huyện."
    ba_trang_plan.save(update_fields=["recipients"])

    found = errors(ba_trang_plan)

    assert len(found) == 1 and "must be the last one" in found[0].message


def test_recipient_punctuation_is_a_warning_naming_the_line(ba_trang_plan):
    ba_trang_plan.recipients = "- Hội LHPN huyện\n- Lưu: VT, HLHPN xã."
    ba_trang_plan.save(update_fields=["recipients"])

    assert errors(ba_trang_plan) == []
    assert any(
        p.where == "Recipients (nơi nhận), line 1" and "“;”" in p.message
        for p in warnings(ba_trang_plan)
    )


def test_signature_without_tm_is_an_error_for_a_people_s_committee(ba_trang_plan):
    ba_trang_plan.signer_authority = ""
    ba_trang_plan.save(update_fields=["signer_authority"])

    found = errors(ba_trang_plan)

    assert len(found) == 1
    assert found[0].where == "Signature block"
    assert "“TM. ỦY BAN NHÂN DÂN”" in found[0].message
    assert "it reads “CHỦ TỊCH”" in found[0].message


def test_a_deputy_signs_kt_chu_tich_pho_chu_tich(ba_trang_plan):
    ba_trang_plan.signer_title = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    ba_trang_plan.save(update_fields=["signer_title"])

    assert errors(ba_trang_plan) == []


def test_a_wrong_title_after_tm_is_an_error(ba_trang_plan):
    ba_trang_plan.signer_title = "PHÓ CHỦ TỊCH"
    ba_trang_plan.save(update_fields=["signer_title"])

    found = errors(ba_trang_plan)

    assert len(found) == 1 and "not “PHÓ CHỦ TỊCH”" in found[0].message


def test_missing_number_and_date_are_errors(
    ba_trang, villages, program_structure, ba_trang_plan_data
):
    ba_trang_plan_data["number"] = None
    ba_trang_plan_data["issued_on"] = None
    plan = load(ba_trang_plan_data, ba_trang, villages)

    found = errors(plan)

    assert {p.where for p in found} >= {"Header, number (Số)", "Header, place and date"}


def test_attached_line_that_disagrees_with_the_header_is_an_error(ba_trang_plan):
    template = DocumentTemplate.objects.get(key="plan.commune")
    template.texts = {
        **template.texts,
        "attached_line": "(Kèm theo Kế hoạch số 88/KH-UBND ngày {date} của {issuer})",
    }
    template.save()

    found = errors(ba_trang_plan)

    assert [p.where for p in found] == [
        "Phụ lục I, “Attached to” line",
        "Phụ lục II, “Attached to” line",
    ]
    assert "87/KH-UBND" in found[0].message and "88/KH-UBND" in found[0].message


def test_a_legal_basis_dated_after_the_plan_is_an_error(ba_trang_plan):
    later = LegalDocument.objects.create(
        kind="ke_hoach",
        number="150",
        symbol="KH-UBND",
        issued_on=datetime.date(2023, 10, 2),
        issuer="Ủy ban nhân dân huyện Ba Tơ",
    )
    PlanLegalBasis.objects.create(plan=ba_trang_plan, document=later, order=9)

    found = errors(ba_trang_plan)

    assert len(found) == 1
    assert found[0].where == "Legal bases, paragraph 5"
    assert "150/KH-UBND is dated 02/10/2023" in found[0].message


@pytest.mark.parametrize(
    ("sentence", "level", "words"),
    [
        ("theo Thông tư 15/2022/QĐ-BTC ngày 04/3/2022", Level.ERROR, "symbol TT-…"),
        ("theo Thông tư 15/2022/TT-BTC ngày 31/02/2022", Level.ERROR, "not a real date"),
        ("theo Thông tư 15/2022/TT-BTC ngày 04/3/2023", Level.ERROR, "not the year"),
        ("theo Thông tư 15/2022/TT-BTC ngày 05/3/2022", Level.ERROR, "register dates"),
        ("theo Quyết định số 99/QĐ-UBND ngày 01/3/2023", Level.WARNING, "not in the register"),
    ],
)
def test_citations_are_checked_for_form_and_against_the_register(
    ba_trang_plan, sentence, level, words
):
    ba_trang_plan.budget_text = f"Kinh phí thực hiện {sentence}."
    ba_trang_plan.save(update_fields=["budget_text"])

    found = [p for p in plan_check(ba_trang_plan) if p.where.startswith("IV. KINH PHÍ")]

    assert [(p.level, words in p.message) for p in found] == [(level, True)]
    assert found[0].where == "IV. KINH PHÍ THỰC HIỆN, paragraph 1"


def test_the_allocation_table_not_adding_up_is_an_error(ba_trang_plan):
    cell = ba_trang_plan.allocation_rows.get(label="Thôn Bùi Hui").cells.order_by("column__order")[
        0
    ]
    cell.value = 3
    cell.save()

    found = errors(ba_trang_plan)

    assert found and all(p.where == "Phụ lục II" for p in found)


def test_a_plan_built_without_texts_passes_with_the_template_defaults(ba_trang, villages):
    plan = builders.plan(ba_trang, list(villages.values()))

    assert errors(plan) == []


def test_each_problem_is_keyed_by_where_it_is_in_the_document(ba_trang_plan):
    ba_trang_plan.recipients = "- Hội LHPN huyện;\n- Hội LHPN xã."
    ba_trang_plan.budget_text = "Kinh phí theo Thông tư 15/2022/QĐ-BTC ngày 04/3/2022."
    ba_trang_plan.save(update_fields=["recipients", "budget_text"])

    found = errors(ba_trang_plan)

    assert all(isinstance(p, Problem) for p in found)
    assert [(p.field, p.code) for p in found] == [
        ("body.35", "citation_symbol"),
        ("recipients", "archive_missing"),
    ]
    printed = {para.key: para.text for para in plan_text(ba_trang_plan).paragraphs()}
    assert printed["body.35"] == ba_trang_plan.budget_text
    assert [p.message for p in found if p.field == "recipients"] == [
        "The recipients must end with the archive line “- Lưu: VT, …” (the clerical office and"
        " the drafting unit)."
    ]
