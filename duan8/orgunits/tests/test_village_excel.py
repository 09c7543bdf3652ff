"""Villages loaded from the Excel template (issue 12, point 7): all or nothing, by row."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from duan8.orgunits.models import OrgUnit, OrgUnitAttribute

D = datetime.date
KEY = "u" * 24


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


def workbook(*rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["Village name", "Code", "Especially difficult", "Exists from"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("thon.xlsx", buffer.getvalue())


def upload(client, commune, *rows):
    url = reverse("orgunits:villages_upload", args=[commune.pk])
    return client.post(url, {"once": KEY, "file": workbook(*rows)})


def test_the_template_downloads_with_its_columns(client, commune_officer, ba_trang):
    client.force_login(commune_officer)

    response = client.get(reverse("orgunits:villages_template", args=[ba_trang.pk]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert response.status_code == 200
    assert [c.value for c in sheet[1]] == [
        "Village name",
        "Code (optional)",
        "Especially difficult (có/không)",
        "Exists from (dd/mm/yyyy)",
    ]


def test_upload_adds_every_village_with_its_difficulty(client, commune_officer, ba_trang):
    client.force_login(commune_officer)

    response = upload(
        client,
        ba_trang,
        ("Làng Mới", "", "có", "01/02/2024"),
        ("Gò Lăng", "21520-77", "không", datetime.datetime(2024, 2, 1)),
    )

    assert response.status_code == 302
    added = {v.name: v for v in ba_trang.children.all()}
    assert added["Gò Lăng"].code == "21520-77"
    assert added["Làng Mới"].valid_from == D(2024, 2, 1)
    difficult = OrgUnitAttribute.objects.filter(key="dbkk_village")
    assert [a.org_unit.name for a in difficult] == ["Làng Mới"]


def test_one_bad_row_saves_nothing_and_names_row_and_column(
    client, commune_officer, ba_trang, villages
):
    client.force_login(commune_officer)

    response = upload(
        client,
        ba_trang,
        ("Làng Mới", "", "có", "01/02/2024"),
        ("Bùi Hui", "", "không", "01/02/2024"),
        ("Làng Khác", "", "có lẽ", "31/02/2024"),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Row 3, column “Village name”: Xã Ba Trang already has a village named Bùi Hui." in html
    assert "Row 4, column “Especially difficult (có/không)”" in html
    assert "Row 4, column “Exists from (dd/mm/yyyy)”: 31/02/2024 is not a date" in html
    assert not OrgUnit.objects.filter(name="Làng Mới").exists()


def test_a_file_that_is_not_a_workbook_is_refused(client, commune_officer, ba_trang):
    client.force_login(commune_officer)
    url = reverse("orgunits:villages_upload", args=[ba_trang.pk])

    response = client.post(url, {"once": KEY, "file": SimpleUploadedFile("a.xlsx", b"not zip")})

    assert response.status_code == 400
    assert ba_trang.children.count() == 0


def test_another_communes_officer_cannot_upload(client, other_commune_officer, ba_trang):
    client.force_login(other_commune_officer)

    response = upload(client, ba_trang, ("Làng Mới", "", "có", "01/02/2024"))

    assert response.status_code == 404
    assert not OrgUnit.objects.filter(name="Làng Mới").exists()
