"""Supervision's services: sessions, findings with evidence, recommendations to their answer."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from duan8.activities.models import CommunityGroup
from duan8.core.concurrency import EditConflict
from duan8.core.models import AuditEvent
from duan8.mothers.models import PaymentList
from duan8.supervision.follow_up import (
    recommendation_answer,
    recommendation_create,
    recommendation_review,
)
from duan8.supervision.models import Recommendation, Session
from duan8.supervision.selectors import overdue_recommendations
from duan8.supervision.services import (
    FindingInput,
    finding_create,
    finding_update,
    session_create,
    session_minutes_add,
    session_update,
)
from duan8.supervision.tests.conftest import DAY, session_input
from duan8.testing import SAMPLE_PDF

LATER = datetime.date(2023, 12, 31)


def _fields(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.message_dict)


def _recommend(world, **overrides):
    values = {
        "actor": world.mttq,
        "session": world.session,
        "text": "Bổ sung danh sách người tham dự có chữ ký",
        "addressee": world.commune,
        "addressee_body": "Hội LHPN xã",
        "due_on": LATER,
        "today": DAY,
    }
    values.update(overrides)
    return recommendation_create(**values)


def test_the_mttq_plans_a_session_of_an_event_and_the_trail_counts_members_without_names(world):
    session = world.session

    assert session.status == Session.Status.PLANNED
    assert session.member_list == ["Đinh Văn Mặt", "Phạm Thị Sáu"]
    event = AuditEvent.objects.get(action="supervision.session.created")
    assert event.after["members"] == 2
    assert "Đinh Văn Mặt" not in str(event.after)


def test_a_session_needs_its_subject_and_a_method(world):
    with pytest.raises(ValidationError) as exc:
        session_create(
            actor=world.mttq,
            unit=world.commune,
            data=session_input(None, subject="policy", policy=" ", methods=[]),
        )

    assert _fields(exc) == {"policy", "methods"}


def test_a_session_of_another_communes_payment_list_is_refused(world, ba_kham):
    other_list = PaymentList.objects.create(commune=ba_kham, year=2023, title="DS Ba Khâm")

    with pytest.raises(ValidationError) as exc:
        session_create(
            actor=world.mttq,
            unit=world.commune,
            data=session_input(None, subject="payment_list", payment_list=other_list),
        )

    assert _fields(exc) == {"payment_list"}


def test_another_communes_front_cannot_plan_a_session_here(world):
    with pytest.raises(PermissionDenied):
        session_create(actor=world.other_mttq, unit=world.commune, data=session_input(None))


def test_the_leader_who_answers_cannot_record_a_session(world):
    with pytest.raises(PermissionDenied):
        session_create(
            actor=world.leader, unit=world.commune, data=session_input(world.samples["event"])
        )


def test_a_session_update_checks_the_version(world):
    version = world.session.version
    session_update(
        actor=world.mttq,
        session=world.session,
        data=session_input(world.samples["event"], title="Giám sát đợt 2"),
        expected_version=version,
    )

    with pytest.raises(EditConflict):
        session_update(
            actor=world.mttq,
            session=world.session,
            data=session_input(world.samples["event"], title="Giám sát đợt 3"),
            expected_version=version,
        )


def test_the_minutes_are_kept_and_the_session_is_held(world):
    upload = SimpleUploadedFile("bien-ban.pdf", SAMPLE_PDF, "application/pdf")

    session = session_minutes_add(
        actor=world.mttq, session=world.session, upload=upload, expected_version=1
    )

    assert session.status == Session.Status.HELD
    assert session.minutes_type == "application/pdf"


def test_minutes_of_an_unknown_kind_or_too_large_are_refused(world, settings):
    with pytest.raises(ValidationError) as exc:
        session_minutes_add(
            actor=world.mttq,
            session=world.session,
            upload=SimpleUploadedFile("x.exe", b"MZ....", "application/octet-stream"),
            expected_version=1,
        )
    assert _fields(exc) == {"file"}
    settings.ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        session_minutes_add(
            actor=world.mttq,
            session=world.session,
            upload=SimpleUploadedFile("b.pdf", SAMPLE_PDF, "application/pdf"),
            expected_version=1,
        )


def test_a_finding_links_its_evidence(world):
    finding = finding_create(
        actor=world.mttq,
        session=world.session,
        data=FindingInput(
            topic="records",
            text="Danh sách người tham dự thiếu chữ ký",
            events=[world.samples["event"]],
            groups=[world.groups["group"]],
        ),
    )

    assert list(finding.events.all()) == [world.samples["event"]]
    assert list(finding.groups.all()) == [world.groups["group"]]


def test_a_finding_citing_a_record_the_supervisor_cannot_see_is_refused(world, ba_kham_village):
    hidden = CommunityGroup.objects.create(
        kind=CommunityGroup.Kind.COMMUNICATION_TEAM,
        name="Tổ truyền thông thôn Làng Rêu",
        org_unit=ba_kham_village,
        founded_on=datetime.date(2023, 5, 1),
    )

    with pytest.raises(ValidationError) as exc:
        finding_create(
            actor=world.mttq,
            session=world.session,
            data=FindingInput(topic="records", text="…", groups=[hidden]),
        )

    assert _fields(exc) == {"groups"}
    assert "Làng Rêu" in str(exc.value)


def test_the_addressee_cannot_alter_findings(world):
    finding = finding_create(
        actor=world.mttq, session=world.session, data=FindingInput(topic="records", text="A")
    )

    for actor in (world.leader, world.wu, world.village_head, world.other):
        with pytest.raises(PermissionDenied):
            finding_update(
                actor=actor,
                finding=finding,
                data=FindingInput(topic="other", text="B"),
                expected_version=finding.version,
            )


def test_a_recommendation_without_unit_or_with_a_past_deadline_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        _recommend(world, addressee=None, due_on=datetime.date(2023, 11, 1))

    assert _fields(exc) == {"addressee", "due_on"}
    assert "01/11/2023" in str(exc.value)


def test_a_recommendation_to_another_commune_is_refused(world, ba_kham):
    with pytest.raises(ValidationError) as exc:
        _recommend(world, addressee=ba_kham)

    assert _fields(exc) == {"addressee"}


def test_the_addressee_answers_and_the_supervisor_keeps_it_open_then_accepts(world):
    rec = _recommend(world)

    rec = recommendation_answer(
        actor=world.wu, recommendation=rec, answer="Đã bổ sung", expected_version=rec.version
    )
    assert rec.status == Recommendation.Status.ANSWERED
    rec = recommendation_review(
        actor=world.mttq,
        recommendation=rec,
        accept=False,
        note="Chưa đủ chữ ký",
        expected_version=rec.version,
    )
    assert rec.status == Recommendation.Status.OPEN
    rec = recommendation_answer(
        actor=world.leader, recommendation=rec, answer="Đủ 32 chữ ký", expected_version=rec.version
    )
    rec = recommendation_review(
        actor=world.mttq, recommendation=rec, accept=True, note="", expected_version=rec.version
    )

    assert rec.status == Recommendation.Status.ACCEPTED


def test_an_answer_from_a_unit_that_is_not_the_addressee_is_refused(world):
    rec = _recommend(world)

    for actor in (world.other, world.mttq, world.village_head):
        with pytest.raises(PermissionDenied) as exc:
            recommendation_answer(
                actor=actor, recommendation=rec, answer="x", expected_version=rec.version
            )
        assert "Ba Trang" in str(exc.value)


def test_the_addressee_cannot_accept_its_own_answer(world):
    rec = _recommend(world)
    rec = recommendation_answer(
        actor=world.leader, recommendation=rec, answer="x", expected_version=rec.version
    )

    with pytest.raises(PermissionDenied):
        recommendation_review(
            actor=world.leader, recommendation=rec, accept=True, note="", expected_version=2
        )


def test_open_recommendations_past_their_deadline_are_overdue_for_both_sides(world):
    rec = _recommend(world)

    assert overdue_recommendations(actor=world.leader, today=LATER) == []
    later = LATER + datetime.timedelta(days=1)
    assert overdue_recommendations(actor=world.leader, today=later) == [rec]
    assert overdue_recommendations(actor=world.mttq, today=later) == [rec]
    assert overdue_recommendations(actor=world.other, today=later) == []
    assert overdue_recommendations(actor=world.village_head, today=later) == []
