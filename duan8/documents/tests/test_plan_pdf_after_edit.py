"""The PDF of a plan shows what was just edited on the text pages (issue 12, point 2: "the plan
page, the .docx and the PDF show the same text"): edited in the browser's pages, downloaded as
PDF (LibreOffice), read back with pdftotext.

Without LibreOffice or poppler-utils the test is skipped on a developer's machine, never in CI
(``CI`` set), as in ``test_pdf``.
"""

import os
import shutil

import pytest
from django.urls import reverse

from duan8.documents.pdf import soffice_path
from duan8.documents.tests.reading import pdf_pages, squash
from duan8.jobs.tests.helpers import download_through_job

pytestmark = [pytest.mark.soffice]

PURPOSE = "Bảo đảm 100% thôn có tổ truyền thông cộng đồng hoạt động thường xuyên năm 2024"
SIGNER = "Nguyễn Thị Thu Hà"
FOCUS = "Tổ chức đối thoại chính sách tại thôn Nước Đang về sinh kế của phụ nữ"


@pytest.fixture
def readers():
    missing = [
        name
        for name, found in (
            ("LibreOffice (soffice)", soffice_path()),
            ("poppler-utils (pdftotext)", shutil.which("pdftotext")),
        )
        if not found
    ]
    if missing:
        message = f"{', '.join(missing)} not installed (make system-deps)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PDF tests: {message}")
        pytest.skip(message)


def _form_data(response) -> dict:
    """What the page's form would send back unchanged."""
    form = response.context["form"]
    data = {}
    for field in form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def test_texts_edited_on_the_pages_are_in_the_pdf(readers, client, ba_trang_plan, commune_officer):
    plan = ba_trang_plan
    client.force_login(commune_officer)
    texts_url = reverse("programs:plan_text_edit", kwargs={"pk": plan.pk})
    data = _form_data(client.get(texts_url))
    data["purposes"] = f"{data['purposes']}\n{PURPOSE}"
    data["signer_name"] = SIGNER
    assert client.post(texts_url, data).status_code == 302

    focus_url = reverse("programs:plan_focus_edit", kwargs={"pk": plan.pk})
    data = _form_data(client.get(focus_url))
    focus = plan.focuses.get(content__code="1719.GD1.DA8.ND3")
    data[f"focus-{focus.pk}"] = f"{data[f'focus-{focus.pk}']}\n- {FOCUS}"
    assert client.post(focus_url, data).status_code == 302

    response = download_through_job(client, reverse("documents:plan_pdf", kwargs={"pk": plan.pk}))

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = squash(" ".join(pdf_pages(response.content)))
    assert PURPOSE in text
    assert FOCUS in text
    assert SIGNER in text
