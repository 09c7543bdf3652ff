"""Editing the text a plan prints (issue 12, point 2): services, pages, .docx and checks."""

import datetime
import io
import unicodedata

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from duan8.core.concurrency import EditConflict
from duan8.core.models import AuditEvent
from duan8.core.problems import Invalid
from duan8.legal.models import LegalDocument
from duan8.programs.models import Plan
from duan8.programs.plan_edit import (
    LegalBasisInput,
    ResponsibilityInput,
    plan_focus_set,
    plan_legal_bases_set,
    plan_responsibilities_set,
    plan_texts_update,
)

pytestmark = pytest.mark.django_db


def _fields(exc: Invalid) -> set[str]:
    return {p.field for p in exc.problems}


def _new(**parts) -> LegalBasisInput:
    base = {
        "kind": LegalDocument.Kind.DECISION,
        "number": "12",
        "symbol": "QĐ-UBND",
        "issued_on": datetime.date(2023, 3, 1),
        "issuer": "Ủy ban nhân dân tỉnh Quảng Ngãi",
        "title": "về việc giao vốn",
    }
    return LegalBasisInput(**{**base, **parts})


def _bases(plan: Plan) -> list[LegalBasisInput]:
    return [LegalBasisInput(document=b.document) for b in plan.legal_bases.all()]


# --- services ----------------------------------------------------------------------------------


def test_the_texts_are_saved_in_nfc_one_item_per_line_and_audited(ba_trang_plan, commune_officer):
    decomposed = unicodedata.normalize("NFD", "Nâng cao nhận thức")

    saved = plan_texts_update(
        plan=ba_trang_plan,
        actor=commune_officer,
        expected_version=ba_trang_plan.version,
        changes={"purposes": f"  {decomposed}\n\n- Thứ hai  ", "place": "Ba Tơ"},
    )

    plan = Plan.objects.get(pk=ba_trang_plan.pk)
    assert saved and plan.purposes == "Nâng cao nhận thức\n- Thứ hai"
    assert plan.place == "Ba Tơ" and plan.version == 2
    event = AuditEvent.objects.get(action="programs.plan.texts_changed")
    assert event.after["place"] == "Ba Tơ" and event.before["place"] != "Ba Tơ"


def test_a_signing_authority_other_than_tm_or_kt_and_an_empty_title_are_refused(
    ba_trang_plan, commune_officer
):
    with pytest.raises(Invalid) as caught:
        plan_texts_update(
            plan=ba_trang_plan,
            actor=commune_officer,
            expected_version=ba_trang_plan.version,
            changes={"signer_authority": "THAY MẶT", "title": "  ", "signer_name": "x" * 121},
        )

    assert _fields(caught.value) == {"signer_authority", "title", "signer_name"}
    assert Plan.objects.get(pk=ba_trang_plan.pk).version == ba_trang_plan.version


def test_a_date_before_a_legal_basis_is_refused(ba_trang_plan, commune_officer):
    with pytest.raises(Invalid) as caught:
        plan_texts_update(
            plan=ba_trang_plan,
            actor=commune_officer,
            expected_version=ba_trang_plan.version,
            changes={"issued_on": datetime.date(2021, 1, 1)},
        )

    assert _fields(caught.value) == {"issued_on"}


def test_an_approved_plan_and_another_commune_are_refused(
    ba_trang_plan, commune_officer, other_commune_officer
):
    with pytest.raises(PermissionDenied):
        plan_texts_update(
            plan=ba_trang_plan,
            actor=other_commune_officer,
            expected_version=1,
            changes={"place": "Ba Khâm"},
        )
    Plan.objects.filter(pk=ba_trang_plan.pk).update(status=Plan.Status.APPROVED)
    approved = Plan.objects.get(pk=ba_trang_plan.pk)
    with pytest.raises(Invalid):
        plan_texts_update(
            plan=approved, actor=commune_officer, expected_version=1, changes={"place": "X"}
        )


def test_a_stale_copy_is_refused_saying_who_changed_what(ba_trang_plan, commune_officer):
    plan_texts_update(
        plan=ba_trang_plan, actor=commune_officer, expected_version=1, changes={"place": "Ba Tơ"}
    )
    stale = Plan.objects.get(pk=ba_trang_plan.pk)

    with pytest.raises(EditConflict) as caught:
        plan_texts_update(
            plan=stale, actor=commune_officer, expected_version=1, changes={"closing": "Khác"}
        )

    text = " ".join(caught.value.messages)
    assert "hlhpn.batrang" in text and "“Ba Tơ”" in text


def test_a_new_legal_basis_joins_the_register_and_the_plan_in_order(ba_trang_plan, commune_officer):
    old = _bases(ba_trang_plan)

    plan_legal_bases_set(
        plan=ba_trang_plan,
        actor=commune_officer,
        expected_version=1,
        items=[_new(), *reversed(old)],
    )

    documents = [b.document for b in ba_trang_plan.legal_bases.order_by("order")]
    assert documents[0].reference == "12/QĐ-UBND" and documents[0].pk is not None
    assert [d.pk for d in documents[1:]] == [i.document.pk for i in reversed(old)]
    assert AuditEvent.objects.filter(action="programs.plan.legal_bases_changed").count() == 1
    assert AuditEvent.objects.filter(action="programs.legal_document.added").count() == 1


def test_a_legal_basis_after_the_plan_a_duplicate_and_a_missing_part_are_refused(
    ba_trang_plan, commune_officer
):
    old = _bases(ba_trang_plan)
    before = LegalDocument.objects.count()

    with pytest.raises(Invalid) as caught:
        plan_legal_bases_set(
            plan=ba_trang_plan,
            actor=commune_officer,
            expected_version=1,
            items=[
                *old,
                old[0],
                _new(issued_on=datetime.date(2024, 1, 1)),
                _new(number="", symbol="X"),
            ],
        )

    n = len(old)
    assert _fields(caught.value) == {
        f"legal_bases.{n}.document",
        f"legal_bases.{n + 1}.issued_on",
        f"legal_bases.{n + 2}.number",
    }
    assert "sau" in " ".join(caught.value.messages)  # "Ngày … sau ngày của kế hoạch"
    assert LegalDocument.objects.count() == before
    assert ba_trang_plan.legal_bases.count() == n


def test_responsibilities_are_replaced_in_order(ba_trang_plan, commune_officer):
    plan_responsibilities_set(
        plan=ba_trang_plan,
        actor=commune_officer,
        expected_version=1,
        items=[
            ResponsibilityInput("Hội LHPN xã", "- Chủ trì\n\n- Báo cáo"),
            ResponsibilityInput("Công an xã", "- Phối hợp"),
        ],
    )

    rows = list(ba_trang_plan.responsibilities.order_by("order"))
    assert [(r.agency, r.body) for r in rows] == [
        ("Hội LHPN xã", "- Chủ trì\n- Báo cáo"),
        ("Công an xã", "- Phối hợp"),
    ]
    with pytest.raises(Invalid) as caught:
        plan_responsibilities_set(
            plan=ba_trang_plan,
            actor=commune_officer,
            expected_version=2,
            items=[ResponsibilityInput("", "- x")],
        )
    assert _fields(caught.value) == {"responsibilities.0.agency"}


def test_a_focus_text_is_changed_and_an_empty_one_refused(ba_trang_plan, commune_officer):
    focus = ba_trang_plan.focuses.first()

    plan_focus_set(
        plan=ba_trang_plan,
        actor=commune_officer,
        expected_version=1,
        bodies={focus.pk: "- Trọng tâm mới"},
    )

    focus.refresh_from_db()
    assert focus.body == "- Trọng tâm mới"
    with pytest.raises(ValidationError):
        plan_focus_set(
            plan=ba_trang_plan, actor=commune_officer, expected_version=2, bodies={focus.pk: " "}
        )


# --- pages, document, checks -------------------------------------------------------------------


def _docx_text(client, plan) -> str:
    response = client.get(reverse("documents:plan_docx", kwargs={"pk": plan.pk}))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return "\n".join(texts)


def _texts_post(plan: Plan, **changes) -> dict:
    page = {
        name: getattr(plan, name) or ""
        for name in (
            *("number", "symbol", "place", "parent_body", "issuing_body", "title", "proposal"),
            *("purposes", "requirements", "budget_text", "closing", "recipients"),
            *("signer_authority", "signer_title", "signer_name"),
        )
    }
    page["issued_on"] = plan.issued_on.isoformat() if plan.issued_on else ""
    page["budget_source"] = plan.budget_source_id or ""
    return {**page, "version": plan.version, **changes}


def test_the_plan_page_links_to_the_editor_and_the_docx_shows_the_edited_text(
    client, ba_trang_plan, commune_officer
):
    client.force_login(commune_officer)
    detail = reverse("programs:plan_detail", kwargs={"pk": ba_trang_plan.pk})
    edit = reverse("programs:plan_text_edit", kwargs={"pk": ba_trang_plan.pk})
    assert edit in client.get(detail).content.decode()

    response = client.post(
        edit,
        _texts_post(
            ba_trang_plan,
            title="Kế hoạch bình đẳng giới năm 2023 đã sửa",
            proposal="Ủy ban nhân dân xã Ba Trang ban hành mới:",
        ),
    )

    assert response.status_code == 302
    assert "bình đẳng giới năm 2023 đã sửa" in client.get(detail).content.decode()
    text = _docx_text(client, ba_trang_plan)
    assert "bình đẳng giới năm 2023 đã sửa" in text and "ban hành mới:" in text


def test_a_legal_basis_changed_on_its_page_is_printed_in_the_docx(
    client, ba_trang_plan, commune_officer
):
    client.force_login(commune_officer)
    bases = list(ba_trang_plan.legal_bases.all())
    data = {
        "version": 1,
        "rows-TOTAL_FORMS": len(bases) + 1,
        "rows-INITIAL_FORMS": len(bases),
        "rows-MIN_NUM_FORMS": 0,
        "rows-MAX_NUM_FORMS": 1000,
    }
    for i, basis in enumerate(bases):
        data |= {f"rows-{i}-document": basis.document_id, f"rows-{i}-ORDER": i + 2}
    data[f"rows-{0}-DELETE"] = "on"
    n = len(bases)
    data |= {
        f"rows-{n}-kind": "quyet_dinh",
        f"rows-{n}-number": "77",
        f"rows-{n}-symbol": "QĐ-UBND",
        f"rows-{n}-issued_on": "2023-05-02",
        f"rows-{n}-issuer": "Ủy ban nhân dân huyện Ba Tơ",
        f"rows-{n}-title": "về việc giao chỉ tiêu Dự án 8",
        f"rows-{n}-ORDER": 1,
    }
    gone = bases[0].document.reference

    response = client.post(
        reverse("programs:plan_legal_bases_edit", kwargs={"pk": ba_trang_plan.pk}), data
    )

    assert response.status_code == 302, response.content.decode()
    text = _docx_text(client, ba_trang_plan)
    assert "77/QĐ-UBND" in text and "về việc giao chỉ tiêu Dự án 8" in text
    assert text.index("77/QĐ-UBND") < text.index(bases[1].document.reference)
    kept = [b.document.reference for b in ba_trang_plan.legal_bases.order_by("order")]
    assert kept == ["77/QĐ-UBND", *(b.document.reference for b in bases[1:])]
    assert gone not in kept


def test_a_legal_basis_after_the_plan_is_shown_beside_its_row(
    client, ba_trang_plan, commune_officer
):
    client.force_login(commune_officer)
    data = {
        "version": 1,
        "rows-TOTAL_FORMS": 1,
        "rows-INITIAL_FORMS": 0,
        "rows-MIN_NUM_FORMS": 0,
        "rows-MAX_NUM_FORMS": 1000,
        "rows-0-kind": "quyet_dinh",
        "rows-0-number": "5",
        "rows-0-symbol": "QĐ-UBND",
        "rows-0-issued_on": "2024-02-02",
        "rows-0-issuer": "Ủy ban nhân dân huyện Ba Tơ",
    }

    response = client.post(
        reverse("programs:plan_legal_bases_edit", kwargs={"pk": ba_trang_plan.pk}), data
    )

    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["issued_on"]
    assert not LegalDocument.objects.filter(number="5", symbol="QĐ-UBND").exists()


def test_an_edit_that_breaks_a_document_check_shows_on_the_approval_page(
    client, ba_trang_plan, commune_officer, commune_leader
):
    client.force_login(commune_officer)
    client.post(
        reverse("programs:plan_text_edit", kwargs={"pk": ba_trang_plan.pk}),
        _texts_post(ba_trang_plan, signer_title="PHÓ CHỦ TỊCH"),
    )
    check = client.get(reverse("documents:plan_check", kwargs={"pk": ba_trang_plan.pk}))
    client.force_login(commune_leader)

    page = client.get(reverse("programs:plan_approve", kwargs={"pk": ba_trang_plan.pk}))

    assert "PHÓ CHỦ TỊCH" in page.content.decode()
    assert any("PHÓ CHỦ TỊCH" in str(p) for p in page.context["errors"])
    assert "PHÓ CHỦ TỊCH" in check.content.decode()


def test_a_conflict_on_the_page_says_who_changed_what(client, ba_trang_plan, commune_officer):
    client.force_login(commune_officer)
    url = reverse("programs:plan_text_edit", kwargs={"pk": ba_trang_plan.pk})
    client.post(url, _texts_post(ba_trang_plan, place="Ba Tơ"))

    response = client.post(url, _texts_post(ba_trang_plan, closing="Khác", version=1))

    body = response.content.decode()
    assert response.status_code == 200 and "hlhpn.batrang" in body and "“Ba Tơ”" in body
    assert Plan.objects.get(pk=ba_trang_plan.pk).closing != "Khác"


def test_responsibilities_and_focus_pages_save(client, ba_trang_plan, commune_officer):
    client.force_login(commune_officer)
    focus = ba_trang_plan.focuses.first()
    response = client.post(
        reverse("programs:plan_focus_edit", kwargs={"pk": ba_trang_plan.pk}),
        {
            "version": 1,
            **{f"focus-{f.pk}": f.body for f in ba_trang_plan.focuses.all()},
            f"focus-{focus.pk}": "- Tập trung tuyên truyền",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    rows = list(ba_trang_plan.responsibilities.all())
    data = {
        "version": 2,
        "rows-TOTAL_FORMS": len(rows) + 1,
        "rows-INITIAL_FORMS": len(rows),
        "rows-MIN_NUM_FORMS": 0,
        "rows-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        data |= {f"rows-{i}-agency": row.agency, f"rows-{i}-body": row.body}
        data[f"rows-{i}-ORDER"] = i + 1
    data |= {
        f"rows-{len(rows)}-agency": "Đoàn Thanh niên xã",
        f"rows-{len(rows)}-body": "- Phối hợp",
    }

    response = client.post(
        reverse("programs:plan_responsibilities_edit", kwargs={"pk": ba_trang_plan.pk}), data
    )

    assert response.status_code == 302, response.context["formset"].errors
    text = _docx_text(client, ba_trang_plan)
    assert "Đoàn Thanh niên xã" in text and "Tập trung tuyên truyền" in text


def test_the_fatherland_front_and_the_leader_cannot_edit_and_an_approved_plan_is_refused(
    client, ba_trang_plan, commune_officer, commune_leader
):
    from duan8.accounts.tests.factories import UserFactory, membership

    front = UserFactory(username="mttq.batrang")
    membership(front, ba_trang_plan.issuing_unit, "fatherland_front")
    url = reverse("programs:plan_text_edit", kwargs={"pk": ba_trang_plan.pk})
    for reader in (front, commune_leader):
        client.force_login(reader)
        assert client.post(url, _texts_post(ba_trang_plan, place="X")).status_code == 403
    Plan.objects.filter(pk=ba_trang_plan.pk).update(status=Plan.Status.APPROVED)
    client.force_login(commune_officer)

    response = client.post(url, _texts_post(ba_trang_plan, place="X"))

    assert response.status_code == 302
    assert Plan.objects.get(pk=ba_trang_plan.pk).place != "X"
    detail = client.get(reverse("programs:plan_detail", kwargs={"pk": ba_trang_plan.pk}))
    assert url not in detail.content.decode()


def test_a_number_already_used_by_another_plan_of_the_unit_is_refused(
    ba_trang_plan, commune_officer
):
    Plan.objects.filter(pk=ba_trang_plan.pk).update(number=88)
    other = Plan.objects.get(pk=ba_trang_plan.pk)
    other.pk = None
    other.number, other.title = 87, "Khác"
    other.save()
    plan = Plan.objects.get(pk=ba_trang_plan.pk)

    with pytest.raises(Invalid) as caught:
        plan_texts_update(
            plan=plan, actor=commune_officer, expected_version=plan.version, changes={"number": 87}
        )

    assert _fields(caught.value) == {"number"}
    assert Plan.objects.get(pk=ba_trang_plan.pk).number == 88


def test_the_register_names_each_document_with_its_date_and_issuer(
    client, ba_trang_plan, commune_officer
):
    client.force_login(commune_officer)
    basis = ba_trang_plan.legal_bases.first().document

    page = client.get(reverse("programs:plan_legal_bases_edit", kwargs={"pk": ba_trang_plan.pk}))

    assert f"{basis} ({basis.issued_on:%d/%m/%Y}, {basis.issuer})" in page.content.decode()
