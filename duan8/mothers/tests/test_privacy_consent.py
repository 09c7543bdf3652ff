"""Consent (issue 13, point 5): versioned texts, recording and withdrawing, the printable form."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from duan8.core.models import AuditEvent
from duan8.core.problems import Invalid
from duan8.mothers.models import Consent, ConsentText
from duan8.mothers.services.consent import (
    consent_form_docx,
    consent_in_force,
    consent_record,
    consent_require,
    consent_text_in_use,
    consent_texts_load,
    consent_withdraw,
)

D = datetime.date


@pytest.fixture
def texts(db):
    consent_texts_load()


def _record(actor, mother, **changes):
    values = {
        "given_on": D(2025, 3, 1),
        "channel": Consent.Channel.THUMBPRINT,
        "signer": Consent.Signer.MOTHER,
    }
    values.update(changes)
    return consent_record(actor=actor, mother=mother, **values)


def test_the_texts_load_once_with_their_periods(db):
    # the migration (mothers 0004) loaded them at install; loading again creates nothing
    ConsentText.objects.all().delete()
    created = consent_texts_load()
    again = consent_texts_load()

    assert (created, again) == (2, 0)
    assert consent_text_in_use(D(2024, 6, 1)).version == "2023.1"
    assert "13/2023/NĐ-CP" in consent_text_in_use(D(2024, 6, 1)).legal_basis
    assert consent_text_in_use(D(2026, 1, 1)).version == "2026.1"
    assert "91/2025/QH15" in consent_text_in_use(D(2026, 1, 1)).legal_basis
    assert consent_text_in_use(D(2023, 1, 1)) is None


def test_the_command_loads_the_texts(db):
    out = io.StringIO()
    call_command("load_consent_texts", stdout=out)

    assert ConsentText.objects.count() == 2
    body = ConsentText.objects.get(version="2026.1").body
    for part in ("Mục đích", "Dữ liệu được lưu", "Ai được xem", "Quyền của tôi", "Thời gian lưu"):
        assert part in body


def test_the_health_station_records_a_consent_on_the_text_of_its_day(texts, proposed_case):
    world_mother = proposed_case.mother

    consent = _record(proposed_case.proposed_by, world_mother)

    assert consent.text.version == "2023.1"
    assert consent_in_force(world_mother, D(2025, 3, 1))
    assert not consent_in_force(world_mother, D(2025, 2, 28))
    event = AuditEvent.objects.get(action="mothers.consent.recorded")
    assert event.after["signer"] == "mother"
    assert "signer_name" not in event.after


def test_a_guardian_must_be_named_and_her_name_is_not_audited(texts, proposed_case, mothers_world):
    with pytest.raises(Invalid) as refused:
        _record(mothers_world.officer, proposed_case.mother, signer=Consent.Signer.GUARDIAN)
    assert "signer_name" in refused.value.error_dict

    _record(
        mothers_world.officer,
        proposed_case.mother,
        signer=Consent.Signer.GUARDIAN,
        signer_name="Đinh  Văn Cha",
    )

    assert Consent.objects.get().signer_name == "Đinh Văn Cha"
    events = AuditEvent.objects.filter(action__startswith="mothers.consent")
    assert "Cha" not in str(list(events.values()))


def test_a_consent_in_the_future_or_before_any_text_is_refused(texts, proposed_case, mothers_world):
    with pytest.raises(Invalid) as refused:
        _record(mothers_world.officer, proposed_case.mother, given_on=D(2099, 1, 1))
    assert "given_on" in refused.value.error_dict
    with pytest.raises(Invalid) as refused:
        _record(mothers_world.officer, proposed_case.mother, given_on=D(2022, 1, 1))
    assert "text" in refused.value.error_dict
    assert not Consent.objects.exists()


@pytest.mark.parametrize("who", ["accountant", "province_reviewer", "other_officer", "leader"])
def test_others_may_not_record_a_consent(texts, proposed_case, mothers_world, who):
    with pytest.raises(PermissionDenied):
        _record(getattr(mothers_world, who), proposed_case.mother)
    assert not Consent.objects.exists()


def test_a_village_health_worker_records_only_in_her_village(texts, proposed_case, mothers_world):
    _record(mothers_world.health_worker, proposed_case.mother)
    with pytest.raises(PermissionDenied):
        _record(mothers_world.other_health_worker, proposed_case.mother)


def test_after_a_withdrawal_her_record_is_not_processed(texts, proposed_case, mothers_world):
    consent = _record(mothers_world.officer, proposed_case.mother)

    consent_withdraw(
        actor=mothers_world.officer,
        consent=consent,
        withdrawn_on=D(2025, 6, 1),
        note="Chị không muốn tiếp tục",
        expected_version=consent.version,
    )

    mother = proposed_case.mother
    assert consent_in_force(mother, D(2025, 5, 31))
    assert not consent_in_force(mother, D(2025, 6, 1))
    with pytest.raises(Invalid) as refused:
        consent_require(mother, D(2025, 7, 1))
    assert "withdrew" in str(refused.value.messages) or "rút" in str(refused.value.messages)
    event = AuditEvent.objects.get(action="mothers.consent.withdrawn")
    assert "không muốn" not in str(event.after)


def test_a_withdrawal_twice_or_before_the_consent_is_refused(texts, proposed_case, mothers_world):
    consent = _record(mothers_world.officer, proposed_case.mother)
    with pytest.raises(Invalid) as refused:
        consent_withdraw(
            actor=mothers_world.officer,
            consent=consent,
            withdrawn_on=D(2025, 2, 1),
            expected_version=consent.version,
        )
    assert "withdrawn_on" in refused.value.error_dict
    consent_withdraw(
        actor=mothers_world.officer,
        consent=consent,
        withdrawn_on=D(2025, 6, 1),
        expected_version=consent.version,
    )
    with pytest.raises(Invalid):
        consent_withdraw(
            actor=mothers_world.officer,
            consent=consent,
            withdrawn_on=D(2025, 6, 2),
            expected_version=consent.version,
        )


def test_without_any_consent_processing_is_refused(texts, proposed_case):
    with pytest.raises(Invalid):
        consent_require(proposed_case.mother, D(2025, 3, 1))


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_printable_form_has_the_text_version_her_name_and_blanks(texts, proposed_case):
    mother = proposed_case.mother
    text = ConsentText.objects.get(version="2026.1")

    content = consent_form_docx(actor=proposed_case.proposed_by, mother=mother, text=text)

    words = _docx_text(content)
    assert "2026.1" in words
    assert "91/2025/QH15" in words
    assert mother.full_name in words
    assert "Quyền của tôi" in words
    assert "Ký, ghi rõ họ tên" in words
    assert "ĐIỂM CHỈ" in words
    assert mother.id_number not in words
    assert AuditEvent.objects.filter(action="mothers.consent.form_printed").count() == 1


def test_the_consent_page_records_a_consent(client, texts, proposed_case, mothers_world):
    client.force_login(mothers_world.officer)
    url = reverse("mothers:consents", args=[proposed_case.mother.pk])

    response = client.post(
        url,
        {"given_on": "2025-03-01", "channel": "paper", "signer": "mother", "signer_name": ""},
    )

    assert response.status_code == 302
    assert Consent.objects.filter(mother=proposed_case.mother, channel="paper").exists()
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("mothers:consent_form", args=[proposed_case.mother.pk]) in page.content.decode()


def test_the_consent_page_refuses_a_bad_date_on_its_field(
    client, texts, proposed_case, mothers_world
):
    client.force_login(mothers_world.officer)
    url = reverse("mothers:consents", args=[proposed_case.mother.pk])

    response = client.post(url, {"given_on": "2099-01-01", "channel": "paper", "signer": "mother"})

    assert response.status_code == 400
    assert not Consent.objects.exists()


def test_the_withdrawal_page_withdraws(client, texts, proposed_case, mothers_world):
    consent = _record(mothers_world.officer, proposed_case.mother)
    client.force_login(mothers_world.health_station)

    response = client.post(
        reverse("mothers:consent_withdraw", args=[consent.pk]),
        {"withdrawn_on": "2025-06-01", "note": "", "version": consent.version},
    )

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == D(2025, 6, 1)


def test_the_consent_pages_must_not_be_reached_by_others(
    client, texts, proposed_case, mothers_world
):
    consent = _record(mothers_world.officer, proposed_case.mother)
    pk = proposed_case.mother.pk
    for user, status in (
        (mothers_world.other_officer, 404),
        (mothers_world.province_reviewer, 404),
        (mothers_world.fatherland_front, 404),
        (mothers_world.accountant, 403),
    ):
        client.force_login(user)
        assert client.get(reverse("mothers:consents", args=[pk])).status_code == status
        assert client.get(reverse("mothers:consent_form", args=[pk])).status_code == status
        response = client.post(
            reverse("mothers:consent_withdraw", args=[consent.pk]),
            {"withdrawn_on": "2025-06-01", "version": consent.version},
        )
        assert response.status_code in (status, 302)
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
