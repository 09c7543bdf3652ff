"""Downloads from the plan page and the check page: who may, what they get, what is recorded."""

import json

import pytest
from django.urls import reverse

from duan8.core.models import AuditEvent
from duan8.documents.models import DocumentTemplate
from duan8.documents.plan_document import plan_docx
from duan8.documents.tests.reading import lines, read_docx
from duan8.jobs.models import Job
from duan8.programs.tests import builders

pytestmark = pytest.mark.usefixtures("english")

EXPORTED = "documents.plan.exported"


def url(name, plan):
    return reverse(f"documents:{name}", args=[plan.pk])


def test_plan_page_links_to_word_pdf_and_the_check(client, commune_officer, ba_trang_plan):
    client.force_login(commune_officer)

    html = client.get(reverse("programs:plan_detail", args=[ba_trang_plan.pk])).content.decode()

    for name in ("plan_docx", "plan_pdf", "plan_check"):
        assert url(name, ba_trang_plan) in html


def test_the_commune_officer_downloads_the_word_file_and_it_is_audited(
    client, commune_officer, ba_trang_plan
):
    client.force_login(commune_officer)

    response = client.get(url("plan_docx", ba_trang_plan))

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="ke-hoach-87-kh-ubnd-2023-ba-trang.docx"'
    )
    document = read_docx(response.content)
    assert lines(document.tables[0].cell(1, 0)) == ["Số: 87/KH-UBND"]
    event = AuditEvent.objects.get(action=EXPORTED)
    assert event.actor == commune_officer
    assert event.target_id == str(ba_trang_plan.pk)
    assert event.after["format"] == "docx"
    assert event.org_unit == ba_trang_plan.issuing_unit


@pytest.mark.parametrize("name", ["plan_docx", "plan_pdf", "plan_check"])
@pytest.mark.parametrize("outsider", ["other_commune_officer", "village_head"])
def test_outsiders_get_404_and_nothing_is_exported(client, request, ba_trang_plan, name, outsider):
    client.force_login(request.getfixturevalue(outsider))

    response = client.get(url(name, ba_trang_plan))

    assert response.status_code == 404
    assert b"87/KH-UBND" not in response.content
    assert not AuditEvent.objects.filter(action=EXPORTED).exists()
    assert AuditEvent.objects.filter(action="access.denied").count() == 1


def test_the_district_reviewer_above_may_download(client, district_reviewer, ba_trang_plan):
    client.force_login(district_reviewer)

    assert client.get(url("plan_docx", ba_trang_plan)).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, ba_trang_plan):
    response = client.get(url("plan_docx", ba_trang_plan))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_downloads_refuse_post(client, commune_officer, ba_trang_plan):
    client.force_login(commune_officer)

    assert client.post(url("plan_docx", ba_trang_plan)).status_code == 405


def test_the_pdf_link_shows_a_button_that_starts_the_job(client, commune_officer, ba_trang_plan):
    client.force_login(commune_officer)

    page = client.get(url("plan_pdf", ba_trang_plan))

    html = page.content.decode()
    assert page.status_code == 200 and 'method="post"' in html
    assert not Job.objects.exists()  # a GET starts nothing


def test_without_libreoffice_the_pdf_job_explains_and_leads_back_to_the_word_file(
    client, commune_officer, ba_trang_plan, settings
):
    settings.DOCUMENTS_SOFFICE = "/nonexistent/soffice"
    client.force_login(commune_officer)

    response = client.post(url("plan_pdf", ba_trang_plan), follow=True)

    html = response.content.decode()
    job = Job.objects.get()
    assert response.redirect_chain[-1][0] == reverse("jobs:job_detail", args=[job.pk])
    assert job.status == Job.Status.FAILED
    assert "PDF export needs LibreOffice" in html
    assert reverse("jobs:job_retry", args=[job.pk]) in html
    assert reverse("programs:plan_detail", args=[ba_trang_plan.pk]) in html
    assert not AuditEvent.objects.filter(action=EXPORTED).exists()


def test_check_page_lists_each_problem_with_its_place(client, commune_officer, ba_trang_plan):
    ba_trang_plan.signer_authority = ""
    ba_trang_plan.save(update_fields=["signer_authority"])
    client.force_login(commune_officer)

    response = client.get(url("plan_check", ba_trang_plan))

    html = response.content.decode()
    assert response.status_code == 200
    assert "1 error" in html and "warnings" in html
    assert "Signature block" in html and "TM. ỦY BAN NHÂN DÂN" in html
    assert "huyện Ba Tr" in html


def test_check_page_of_a_clean_plan_says_it_can_be_issued(
    client, commune_officer, ba_trang, villages
):
    plan = builders.plan(ba_trang, list(villages.values()))
    plan.signer_name = "Phạm Văn Thích"
    plan.save(update_fields=["signer_name"])
    client.force_login(commune_officer)

    html = client.get(url("plan_check", plan)).content.decode()

    assert "No problems found" in html


# The template in the admin


def _template_form(template, **changes):
    data = {
        "key": template.key,
        "name": template.name,
        "document_type": template.document_type,
        "notes": template.notes,
        "agency": json.dumps(template.agency),
        "texts": json.dumps(template.texts),
        "recipients": template.recipients,
        "signature": json.dumps(template.signature),
        "layout": json.dumps(template.layout),
        "checks": json.dumps(template.checks),
    }
    data.update(changes)
    return data


def test_an_administrator_edits_recipients_and_layout_in_the_admin(admin_client, ba_trang_plan):
    template = DocumentTemplate.objects.get(key="plan.commune")
    url = reverse("admin:documents_documenttemplate_change", args=[template.pk])
    layout = {**template.layout, "sizes": {**template.layout["sizes"], "body": 13}}

    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, _template_form(template, layout=json.dumps(layout), recipients="- Lưu: VT.")
    )

    assert response.status_code == 302
    template.refresh_from_db()
    assert template.recipients == "- Lưu: VT."
    document = read_docx(plan_docx(ba_trang_plan))
    assert document.styles["Normal"].font.size.pt == 13


def test_the_admin_refuses_a_layout_with_a_wrong_value(admin_client):
    template = DocumentTemplate.objects.get(key="plan.commune")
    url = reverse("admin:documents_documenttemplate_change", args=[template.pk])
    layout = {**template.layout, "margins_mm": {"left": "wide"}}

    response = admin_client.post(url, _template_form(template, layout=json.dumps(layout)))

    assert response.status_code == 200
    assert "margins_mm" in response.content.decode()
    template.refresh_from_db()
    assert template.layout["margins_mm"]["left"] == 30
