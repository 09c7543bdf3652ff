"""Files and named persons of an event: uploads checked by type and size, downloads only
through an access-checked and audited view, lists of persons (trainees, nominees)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duan8.activities.models import Attachment, Event, Participant
from duan8.activities.services.events import CountInput, EventInput, event_create
from duan8.core.models import AuditEvent
from duan8.programs.models import ProgramElement
from duan8.testing import SAMPLE_PDF, event_samples

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def records(ba_trang_plan, villages, commune_officer, ethnic_groups):
    return event_samples(ba_trang_plan, villages, commune_officer)


@pytest.fixture
def counted(ba_trang_plan, villages, village_head):
    """A training in Nước Đang typed as numbers: 2 minority women."""
    return event_create(
        actor=village_head,
        data=EventInput(
            plan=ba_trang_plan,
            activity=ProgramElement.objects.get(code="1719.GD1.DA8.ND3.HD4.1"),
            kind="nomination",
            title="Cử cán bộ nữ đi tập huấn",
            held_on=datetime.date(2023, 10, 20),
            org_unit=villages["Nước Đang"],
            counts=[CountInput("F", True, "adult", 2)],
        ),
    )


def upload_url(event) -> str:
    return reverse("activities:event_attachment_add", kwargs={"pk": event.pk})


def download_url(attachment) -> str:
    return reverse("activities:attachment_download", kwargs={"pk": attachment.pk})


# --- files -----------------------------------------------------------------------------------


def test_a_photo_is_added_and_downloaded_through_an_audited_view(client, commune_officer, records):
    event = records["event"]
    client.force_login(commune_officer)

    added = client.post(
        upload_url(event), {"file": SimpleUploadedFile("anh-buoi-doi-thoai.png", PNG)}
    )
    photo = event.attachments.get(original_name="anh-buoi-doi-thoai.png")
    download = client.get(download_url(photo))

    assert added.status_code == 302 and added["Location"].endswith("#files")
    assert (photo.kind, photo.content_type, photo.size) == ("photo", "image/png", len(PNG))
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png"
    assert download["Cache-Control"] == "private, no-store"
    exported = AuditEvent.objects.get(action="activities.attachment.exported")
    assert (exported.actor, exported.target_id) == (commune_officer, str(photo.pk))
    assert (
        "/media/"
        not in client.get(reverse("activities:event_detail", args=[event.pk])).content.decode()
    )


def test_a_document_downloads_as_a_file_with_its_name(client, commune_leader, records):
    client.force_login(commune_leader)

    response = client.get(download_url(records["attachment"]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SAMPLE_PDF
    assert "bien-ban-bui-hui.pdf" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="activities.attachment.exported").count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("anh.jpg", b"this is not a photo at all"),
        ("virus.exe", b"MZ\x90\x00" + b"\x00" * 40),
        ("bien-ban.pdf.html", b"<html><script>alert(1)</script></html>"),
        ("anh.png", SAMPLE_PDF),  # the bytes and the name disagree
    ],
)
def test_a_file_of_the_wrong_type_is_refused(client, commune_officer, records, name, content):
    event = records["event"]
    client.force_login(commune_officer)

    response = client.post(upload_url(event), {"file": SimpleUploadedFile(name, content)})

    form = response.context["attachment_form"]
    assert response.status_code == 400
    assert name in form.errors["file"][0]
    assert 'id="id_file_error"' in response.content.decode()
    assert event.attachments.count() == 1


def test_a_file_over_the_limit_is_refused(client, commune_officer, records, settings):
    settings.ATTACHMENT_MAX_BYTES = 50
    event = records["event"]
    client.force_login(commune_officer)

    response = client.post(upload_url(event), {"file": SimpleUploadedFile("anh.png", PNG)})

    assert response.status_code == 400
    message = response.context["attachment_form"].errors["file"][0]
    assert "anh.png" in message and "0,0 MB" in message
    assert event.attachments.count() == 1


def test_a_file_is_deleted_by_those_who_record(client, commune_officer, records):
    attachment = records["attachment"]
    client.force_login(commune_officer)

    response = client.post(reverse("activities:attachment_delete", kwargs={"pk": attachment.pk}))

    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.filter(action="activities.attachment.deleted").count() == 1


def test_the_head_of_another_village_cannot_upload_or_delete(client, village_head, records):
    client.force_login(village_head)

    upload = client.post(upload_url(records["event"]), {"file": SimpleUploadedFile("a.png", PNG)})
    delete = client.post(
        reverse("activities:attachment_delete", kwargs={"pk": records["attachment"].pk})
    )

    assert (upload.status_code, delete.status_code) == (404, 404)
    assert Attachment.objects.count() == 1


# --- named persons ---------------------------------------------------------------------------


def person(n: int, **data) -> dict:
    return {f"person-{n}-{k}": v for k, v in data.items()}


def persons_form(*people: dict, version: int, **extra) -> dict:
    data = {
        "person-TOTAL_FORMS": "3",
        "person-INITIAL_FORMS": "0",
        "person-MIN_NUM_FORMS": "0",
        "person-MAX_NUM_FORMS": "1000",
        "version": str(version),
    }
    for p in people:
        data.update(p)
    data.update(extra)
    return data


def test_persons_are_added_and_the_counts_come_from_the_list(
    client, commune_officer, records, ethnic_groups
):
    event = records["event"]
    client.force_login(commune_officer)
    url = reverse("activities:event_participants", kwargs={"pk": event.pk})

    page = client.get(url)
    response = client.post(
        url,
        persons_form(
            person(
                0,
                full_name="Hồ Thị Lan",
                sex="F",
                ethnic_group=ethnic_groups["30"].pk,
                birth_year="2010",
                position="Học sinh",
            ),
            version=event.version,
        ),
    )

    assert page.status_code == 200
    assert page.content.decode().count("<option value=") >= 3 * 54
    assert response.status_code == 302
    assert list(event.participants.values_list("full_name", flat=True)) == [
        "Đinh Thị Bùi",
        "Phạm Văn Hui",
        "Hồ Thị Lan",
    ]
    cells = {(c.sex, c.minority, c.age_group): c.count for c in Event.objects.get().counts.all()}
    assert cells == {("F", True, "adult"): 1, ("M", True, "adult"): 1, ("F", True, "child"): 1}


def test_a_person_without_name_or_ethnicity_is_refused_and_nothing_saved(
    client, commune_officer, records, ethnic_groups
):
    event = records["event"]
    client.force_login(commune_officer)

    response = client.post(
        reverse("activities:event_participants", kwargs={"pk": event.pk}),
        persons_form(
            person(0, sex="F", ethnic_group="99", birth_year="1990"), version=event.version
        ),
    )

    errors = response.context["formset"].forms[0].errors
    assert response.status_code == 200
    assert set(errors) == {"full_name", "ethnic_group"}
    assert Participant.objects.count() == 2


def test_a_list_replaces_typed_numbers_only_when_asked(
    client, village_head, counted, ethnic_groups
):
    client.force_login(village_head)
    url = reverse("activities:event_participants", kwargs={"pk": counted.pk})
    one = person(0, full_name="Đinh Thị Nga", sex="F", ethnic_group=ethnic_groups["19"].pk)

    refused = client.post(url, persons_form(one, version=counted.version))
    accepted = client.post(url, persons_form(one, version=counted.version, replace_counts="on"))

    assert refused.status_code == 200 and refused.context["problems"]
    assert accepted.status_code == 302
    assert list(counted.counts.values_list("count", flat=True)) == [1]
    assert counted.participants.count() == 1


def test_a_person_is_removed_from_the_list(client, commune_officer, records):
    event, first = records["event"], records["person"]
    client.force_login(commune_officer)

    response = client.post(
        reverse("activities:participant_remove", kwargs={"pk": event.pk, "person_pk": first.pk}),
        {"version": event.version},
    )

    assert response.status_code == 302
    assert list(Participant.objects.values_list("full_name", flat=True)) == ["Phạm Văn Hui"]
    assert sum(Event.objects.get().counts.values_list("count", flat=True)) == 1


def test_the_fatherland_front_cannot_open_the_list_form(client, fatherland_front, records):
    client.force_login(fatherland_front)

    response = client.get(
        reverse("activities:event_participants", kwargs={"pk": records["event"].pk})
    )

    assert response.status_code == 403
    assert "Đinh Thị Bùi" not in response.content.decode()
