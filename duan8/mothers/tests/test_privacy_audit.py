"""The audit trail of the mothers' registry holds no ID number and no health value (issue 13,
point 5): a proposal, a correction, a view, a consent, the printed form and the subject-access
export are recorded with what was done and which fields changed, never their values."""

import pytest

from duan8.core import audit
from duan8.core.models import AuditEvent
from duan8.mothers.services.consent import consent_form_docx, consent_record, consent_texts_load
from duan8.mothers.services.privacy import mother_subject_export
from duan8.mothers.services.registry import case_viewed, pregnancy_update
from duan8.mothers.tests.conftest import case_input
from duan8.mothers.tests.privacy_cases import FACILITY, ID_NUMBER

NEW_FACILITY = "Bệnh viện đa khoa huyện Ba Tơ"
NEW_ID = "051198009999"


@pytest.fixture
def busy_record(mothers_world, proposed_case):
    consent_texts_load()
    station = mothers_world.health_station
    pregnancy = pregnancy_update(
        actor=station,
        pregnancy=proposed_case,
        data=case_input(
            facility=NEW_FACILITY, mode="caesarean", days_at_facility=5, id_number=NEW_ID
        ),
        expected_version=proposed_case.version,
    )
    case_viewed(actor=mothers_world.officer, pregnancy=pregnancy, parts=["identity", "health"])
    consent_record(
        actor=station,
        mother=pregnancy.mother,
        given_on=pregnancy.delivered_on,
        channel="thumbprint",
        signer="guardian",
        signer_name="Đinh Văn Cha",
    )
    consent_form_docx(actor=station, mother=pregnancy.mother)
    mother_subject_export(actor=mothers_world.officer, mother=pregnancy.mother)
    return pregnancy


def test_no_audit_entry_carries_an_id_number_or_a_health_value(busy_record):
    events = list(AuditEvent.objects.filter(action__startswith="mothers."))
    written = "\n".join(f"{e.before} {e.after} {e.message} {e.target_repr}" for e in events)

    actions = {e.action for e in events}
    assert {
        "mothers.case.proposed",
        "mothers.case.updated",
        "mothers.case.viewed",
        "mothers.consent.recorded",
        "mothers.consent.form_printed",
        "mothers.subject.exported",
    } <= actions
    for secret in (ID_NUMBER, NEW_ID, "9999", FACILITY, NEW_FACILITY, "caesarean", "Đinh Văn Cha"):
        assert secret not in written, secret
    assert "facility" in str(AuditEvent.objects.get(action="mothers.case.updated").after)


def test_the_trail_masks_her_name_for_readers_without_the_right(busy_record):
    event = AuditEvent.objects.get(action="mothers.subject.exported")

    hidden = audit.mask(event, show_personal=False)
    shown = audit.mask(event, show_personal=True)

    assert hidden.title == audit.MASK
    assert shown.title == busy_record.mother.full_name
    case_event = AuditEvent.objects.get(action="mothers.case.viewed")
    assert busy_record.mother.full_name not in audit.mask(case_event, show_personal=False).title
