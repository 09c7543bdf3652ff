"""The import pages: upload, preview with every problem, confirm; outsiders get nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duan8.core.models import AuditEvent
from duan8.documents.tests.import_builders import seed_bytes, seed_docx
from duan8.documents.views_import import SESSION_KEY
from duan8.programs.models import AllocationCell, Plan, Target

NUOC_DANG = "3\tThôn Nước Đang\t01\t01\t0\t0\t0\t0\t0\t0"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def world(program_structure, ba_trang, villages):
    return ba_trang


def upload_url(unit) -> str:
    return reverse("documents:plan_import", args=[unit.pk])


def upload(client, unit, content: bytes, name: str = "ke_hoach_87.txt", **extra):
    return client.post(upload_url(unit), {"file": SimpleUploadedFile(name, content), **extra})


def preview_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def confirm_url(preview: str) -> str:
    return f"{preview}xac-nhan/"


def stored_rows() -> tuple[int, int, int]:
    return Plan.objects.count(), Target.objects.count(), AllocationCell.objects.count()


def test_the_unit_page_links_to_the_import_for_those_who_may_edit(
    client, world, commune_officer, commune_leader
):
    unit_page = reverse("orgunits:unit_detail", args=[world.pk])

    client.force_login(commune_officer)
    assert upload_url(world) in client.get(unit_page).content.decode()
    client.force_login(commune_leader)  # approves plans, does not edit them
    assert upload_url(world) not in client.get(unit_page).content.decode()


def test_upload_preview_and_confirm_create_the_draft_plan(client, world, commune_officer):
    client.force_login(commune_officer)

    form = client.get(upload_url(world))
    preview = preview_url(upload(client, world, seed_bytes()))
    page = client.get(preview)

    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.content.decode()
    html = page.content.decode()
    assert page.status_code == 200
    assert stored_rows() == (0, 0, 0)  # nothing saved by the preview
    assert "87/KH-UBND" in html and "25/09/2023" in html
    assert "Ủy ban nhân dân xã Ba Trang" in html
    assert "195/KH-UBND" in html and "29/12/2022" in html
    assert "45 targets read" in html
    assert "7 columns, 6 rows, 42 cells" in html
    assert "Thôn Nước Đang" in html
    assert "4 problems" in html
    assert "Line 3" in html and "The number is left blank in the header" in html
    assert "Tạm dừng hoạt động cho đến khi có văn bản hướng dẫn của Trung ương" in html

    done = client.post(confirm_url(preview))

    plan = Plan.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("programs:plan_detail", args=[plan.pk])
    assert (plan.status, plan.number, plan.year) == (Plan.Status.DRAFT, 87, 2023)
    assert stored_rows() == (1, 45, 42)
    assert AuditEvent.objects.get(action="documents.plan.imported").actor == commune_officer
    assert client.session[SESSION_KEY] == {}
    assert "was created from “ke_hoach_87.txt”" in client.get(done["Location"]).content.decode()


def test_a_word_file_goes_through_the_same_steps(client, world, commune_officer):
    client.force_login(commune_officer)

    preview = preview_url(upload(client, world, seed_docx(), "ke_hoach_87.docx"))
    client.post(confirm_url(preview))

    assert Plan.objects.get().signer_authority == "TM. ỦY BAN NHÂN DÂN"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"not a Word file at all", "ke_hoach.docx", "is not a Word file"),
        (b"abc", "ke_hoach.pdf", "Only Word files (.docx) and text files (.txt) can be imported"),
    ],
)
def test_unreadable_files_are_refused_on_the_upload_form(
    client, world, commune_officer, content, name, message
):
    client.force_login(commune_officer)

    response = upload(client, world, content, name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert SESSION_KEY not in client.session or not client.session[SESSION_KEY]
    assert stored_rows() == (0, 0, 0)


def test_the_seed_without_its_appendix_tables_is_created_without_targets(
    client, world, commune_officer
):
    client.force_login(commune_officer)

    preview = preview_url(upload(client, world, seed_docx(with_tables=False), "kh.docx"))
    html = client.get(preview).content.decode()
    done = client.post(confirm_url(preview))

    assert "The file has no appendix tables" in html and "0 targets read" in html
    assert done.status_code == 302
    plan = Plan.objects.get()
    assert (plan.number, plan.year, plan.legal_bases.count()) == (87, 2023, 4)
    assert stored_rows() == (1, 0, 0)


def test_a_file_larger_than_the_limit_is_refused(client, world, commune_officer, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(commune_officer)

    response = upload(client, world, seed_bytes())

    assert "The file is larger than 1.0 KB." in response.content.decode()
    assert stored_rows() == (0, 0, 0)


def test_a_table_that_does_not_add_up_is_shown_and_cannot_be_confirmed(
    client, world, commune_officer
):
    client.force_login(commune_officer)
    content = seed_bytes([(NUOC_DANG, NUOC_DANG.replace("\t01\t01\t", "\t01\t02\t"))])

    preview = preview_url(upload(client, world, content))
    html = client.get(preview).content.decode()
    forced = client.post(confirm_url(preview))

    assert "“UBND xã” says 01, but the rows under it add up to 02." in html
    assert "Table 2, row 6" in html
    assert confirm_url(preview) not in html  # no confirm button
    assert forced.status_code == 400
    assert "The file has problems to correct first" in forced.content.decode()
    assert stored_rows() == (0, 0, 0)


def test_an_unknown_village_is_shown_and_nothing_is_saved(client, world, commune_officer):
    client.force_login(commune_officer)

    preview = preview_url(upload(client, world, seed_bytes([("Thôn Kon Riêng", "Thôn Giả")])))
    html = client.get(preview).content.decode()
    client.post(confirm_url(preview))

    assert "Unknown village “Thôn Giả”" in html
    assert stored_rows() == (0, 0, 0)


def test_an_existing_draft_is_replaced_only_when_the_box_is_ticked(
    client, ba_trang_plan, ba_trang, commune_officer
):
    client.force_login(commune_officer)
    preview = preview_url(upload(client, ba_trang, seed_docx(), "kh.docx"))

    html = client.get(preview).content.decode()
    refused = client.post(confirm_url(preview))
    assert "A draft plan 87/KH-UBND of 2023 already exists" in html
    assert refused.status_code == 400
    assert "confirm that the import replaces it" in refused.content.decode()
    assert Plan.objects.get().signer_authority == "TM. ỦY BAN NHÂN DÂN"
    assert not AuditEvent.objects.filter(action="documents.plan.imported").exists()

    done = client.post(confirm_url(preview), {"replace": "on"})

    assert done.status_code == 302
    assert Plan.objects.get().pk == ba_trang_plan.pk
    assert AuditEvent.objects.filter(action="documents.plan.imported").count() == 1


def test_an_approved_plan_cannot_be_replaced_from_the_preview(
    client, ba_trang_plan, ba_trang, commune_officer
):
    Plan.objects.filter(pk=ba_trang_plan.pk).update(status=Plan.Status.APPROVED)
    client.force_login(commune_officer)
    preview = preview_url(upload(client, ba_trang, seed_bytes()))

    html = client.get(preview).content.decode()
    forced = client.post(confirm_url(preview), {"replace": "on"})

    assert "is approved; an import cannot replace it" in html
    assert confirm_url(preview) not in html
    assert forced.status_code == 400
    assert Plan.objects.get().status == Plan.Status.APPROVED
    assert not AuditEvent.objects.filter(action="documents.plan.imported").exists()


def test_an_expired_or_foreign_token_shows_the_upload_form(client, world, commune_officer):
    client.force_login(commune_officer)
    url = reverse("documents:plan_import_preview", args=[world.pk, "0123456789abcdef"])

    page = client.get(url)
    confirm = client.post(f"{url}xac-nhan/")

    assert page.status_code == 200
    assert "This import is no longer available" in page.content.decode()
    assert confirm.status_code == 302 and confirm["Location"] == upload_url(world)
    assert stored_rows() == (0, 0, 0)


@pytest.mark.parametrize(
    ("outsider", "refusal"),
    [
        ("other_commune_officer", 404),  # Ba Trang is not theirs to see
        ("village_head", 404),
        ("commune_leader", 403),  # they see Ba Trang, and may not edit its plans
    ],
)
def test_outsiders_cannot_upload_preview_or_confirm(
    client, world, commune_officer, outsider, refusal, request
):
    client.force_login(commune_officer)
    preview = preview_url(upload(client, world, seed_bytes()))
    token = re.search(r"/nhap-ke-hoach/([0-9a-f]+)/", preview)[1]
    stolen = client.session[SESSION_KEY]
    client.logout()
    user = request.getfixturevalue(outsider)
    client.force_login(user)
    session = client.session  # even with the officer's parsed plan in their own session
    session[SESSION_KEY] = stolen
    session.save()

    got = client.get(upload_url(world))
    uploaded = upload(client, world, seed_bytes())
    previewed = client.get(preview)
    confirmed = client.post(confirm_url(preview))

    for response in (got, uploaded, previewed, confirmed):
        assert response.status_code == refusal, response.status_code
        assert "87/KH-UBND" not in response.content.decode()
    assert token in preview
    assert stored_rows() == (0, 0, 0)
    assert AuditEvent.objects.filter(action="access.denied", actor=user).count() == 4
