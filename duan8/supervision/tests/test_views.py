"""Supervision pages: the happy paths, the refusals shown beside their fields, and who must not
see or do what (another commune's users 404, read-only roles cannot record, the addressee cannot
edit findings)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duan8.core.models import AuditEvent
from duan8.supervision.follow_up import recommendation_answer, recommendation_create
from duan8.supervision.models import Finding, Recommendation, Session
from duan8.supervision.services import FindingInput, finding_create
from duan8.supervision.tests.conftest import DAY
from duan8.testing import SAMPLE_PDF


@pytest.fixture
def finding(world):
    return finding_create(
        actor=world.mttq,
        session=world.session,
        data=FindingInput(topic="records", text="Danh sách thiếu chữ ký"),
    )


@pytest.fixture
def recommendation(world, finding):
    return recommendation_create(
        actor=world.mttq,
        session=world.session,
        finding=finding,
        text="Bổ sung chữ ký",
        addressee=world.commune,
        addressee_body="Hội LHPN xã",
        due_on=datetime.date(2030, 1, 31),
        today=DAY,
    )


def _urls(world, finding, recommendation):
    s = world.session.pk
    return {
        "session_list": reverse("supervision:session_list", args=[world.commune.pk]),
        "session_create": reverse("supervision:session_create", args=[world.commune.pk]),
        "session_detail": reverse("supervision:session_detail", args=[s]),
        "session_edit": reverse("supervision:session_edit", args=[s]),
        "minutes_upload": reverse("supervision:minutes_upload", args=[s]),
        "finding_create": reverse("supervision:finding_create", args=[s]),
        "finding_edit": reverse("supervision:finding_edit", args=[finding.pk]),
        "recommendation_create": reverse("supervision:recommendation_create", args=[s]),
        "recommendation_answer": reverse(
            "supervision:recommendation_answer", args=[recommendation.pk]
        ),
        "recommendation_review": reverse(
            "supervision:recommendation_review", args=[recommendation.pk]
        ),
    }


def test_another_communes_users_get_404_on_every_page(client, world, finding, recommendation):
    for user in (world.other, world.other_mttq):
        client.force_login(user)
        for name, url in _urls(world, finding, recommendation).items():
            if name != "minutes_upload":
                assert client.get(url).status_code == 404, (user, name)
            if name not in ("session_list", "session_detail"):
                assert client.post(url, {}).status_code == 404, (user, name)


def test_the_village_head_cannot_see_the_communes_sessions(client, world, finding, recommendation):
    client.force_login(world.village_head)

    for name in ("session_list", "session_detail", "finding_edit", "recommendation_answer"):
        url = _urls(world, finding, recommendation)[name]
        assert client.get(url).status_code == 404, name


def test_read_only_roles_cannot_record(client, world, finding, recommendation, district_reviewer):
    urls = _urls(world, finding, recommendation)
    for user in (world.leader, district_reviewer):
        client.force_login(user)
        assert client.get(urls["session_detail"]).status_code == 200
        for name in (
            "session_create",
            "session_edit",
            "finding_create",
            "finding_edit",
            "recommendation_create",
            "recommendation_review",
        ):
            assert client.get(urls[name]).status_code == 403, (user, name)
        assert client.post(urls["minutes_upload"], {}).status_code == 403


def test_the_addressee_cannot_edit_findings(client, world, finding, recommendation):
    client.force_login(world.wu)  # she answers for the commune and did not record the session

    response = client.post(
        _urls(world, finding, recommendation)["finding_edit"],
        {"topic": "other", "text": "Sửa", "version": finding.version},
    )

    assert response.status_code == 403
    finding.refresh_from_db()
    assert finding.text == "Danh sách thiếu chữ ký"


def test_the_mttq_plans_a_session_of_a_policy(client, world):
    client.force_login(world.mttq)
    url = reverse("supervision:session_create", args=[world.commune.pk])
    page = client.get(url)
    once = page.context["form"]["once"].value()

    data = {
        "once": once,
        "body": "fatherland_front",
        "title": "Giám sát chính sách hỗ trợ phụ nữ sinh đẻ",
        "subject": "policy",
        "policy": "Gói chính sách hỗ trợ phụ nữ DTTS sinh đẻ an toàn",
        "starts_on": "2023-12-05",
        "members": "Đinh Văn Mặt\nPhạm Thị Sáu",
        "methods": ["documents", "field_visit"],
    }
    response = client.post(url, data)
    again = client.post(url, data)

    assert response.status_code == 302
    assert again.status_code == 302
    assert Session.objects.filter(subject="policy").count() == 1


def test_a_session_without_method_is_shown_again_with_the_reason(client, world):
    client.force_login(world.mttq)
    url = reverse("supervision:session_create", args=[world.commune.pk])

    response = client.post(
        url,
        {
            "body": "fatherland_front",
            "title": "T",
            "subject": "policy",
            "policy": "P",
            "starts_on": "2023-12-05",
        },
    )

    assert response.status_code == 400
    assert "methods" in response.context["form"].errors


def test_the_detail_names_members_to_the_supervisor_and_counts_them_for_the_leader(client, world):
    url = reverse("supervision:session_detail", args=[world.session.pk])
    client.force_login(world.mttq)
    assert "Phạm Thị Sáu" in client.get(url).content.decode()

    client.force_login(world.leader)
    page = client.get(url).content.decode()

    assert "Phạm Thị Sáu" not in page
    assert "Đinh Văn Mặt" not in page


def test_minutes_upload_and_download_are_audited(client, world):
    client.force_login(world.mttq)
    upload = SimpleUploadedFile("bien-ban.pdf", SAMPLE_PDF, "application/pdf")
    response = client.post(
        reverse("supervision:minutes_upload", args=[world.session.pk]),
        {"file": upload, "version": world.session.version},
    )
    assert response.status_code == 302
    client.force_login(world.leader)

    download = client.get(reverse("supervision:minutes_download", args=[world.session.pk]))

    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="supervision.session.minutes_viewed").count() == 1


def test_a_recommendation_with_a_past_deadline_is_refused_on_the_form(client, world, finding):
    client.force_login(world.mttq)

    response = client.post(
        reverse("supervision:recommendation_create", args=[world.session.pk]),
        {"text": "X", "addressee": "", "due_on": "2020-01-01"},
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"addressee", "due_on"}
    assert Recommendation.objects.count() == 0


def test_the_addressee_answers_and_the_mttq_accepts(client, world, recommendation):
    client.force_login(world.leader)
    response = client.post(
        reverse("supervision:recommendation_answer", args=[recommendation.pk]),
        {"answer": "Đã bổ sung", "version": recommendation.version},
    )
    assert response.status_code == 302
    client.force_login(world.mttq)
    assert (
        client.get(
            reverse("supervision:recommendation_answer", args=[recommendation.pk])
        ).status_code
        == 403
    )

    response = client.post(
        reverse("supervision:recommendation_review", args=[recommendation.pk]),
        {"decision": "accept", "version": recommendation.version + 1},
    )

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.ACCEPTED


def test_the_session_page_reads_a_bounded_number_of_queries(
    client, world, finding, recommendation, django_assert_max_num_queries
):
    for i in range(5):
        Finding.objects.create(session=world.session, topic="other", text=f"F{i}")
    recommendation_answer(
        actor=world.leader, recommendation=recommendation, answer="A", expected_version=1
    )
    client.force_login(world.mttq)

    with django_assert_max_num_queries(25):
        assert (
            client.get(reverse("supervision:session_detail", args=[world.session.pk])).status_code
            == 200
        )


def test_the_minutes_are_not_served_to_another_commune_or_the_village_head(client, world):
    client.force_login(world.mttq)
    client.post(
        reverse("supervision:minutes_upload", args=[world.session.pk]),
        {
            "file": SimpleUploadedFile("bien-ban.pdf", SAMPLE_PDF, "application/pdf"),
            "version": world.session.version,
        },
    )
    url = reverse("supervision:minutes_download", args=[world.session.pk])

    for user in (world.other, world.other_mttq, world.village_head):
        client.force_login(user)
        assert client.get(url).status_code == 404, user


def test_the_unit_page_links_the_communes_supervision_for_its_readers_only(client, world):
    unit_page = reverse("orgunits:unit_detail", args=[world.commune.pk])
    link = reverse("supervision:session_list", args=[world.commune.pk])
    client.force_login(world.mttq)
    assert link in client.get(unit_page).content.decode()

    client.force_login(world.village_head)
    response = client.get(unit_page)

    assert link not in response.content.decode()
