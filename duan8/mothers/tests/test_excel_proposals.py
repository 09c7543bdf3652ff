"""The health station's proposal list in Excel (issue 13, point 6): the template with its lists,
an upload checked row by row and saved all or nothing, files refused before parsing."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from duan8.activities.tests.test_excel_bombs import numbered_rows, row_bomb
from duan8.core import xlsx
from duan8.core.models import AuditEvent
from duan8.mothers.excel import COLUMNS, proposals_check, proposals_save
from duan8.mothers.excel_template import proposals_template
from duan8.mothers.models import Mother, Pregnancy
from duan8.mothers.tests.conftest import MothersWorld

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _row(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "full_name": "Đinh Thị Lan",
        "birth": "1998",
        "ethnic": "19 - Hrê",
        "village": "Thôn Nước Đang",
        "phone": "0905123456",
        "id_number": "051198001234",
        "expected_on": "15/03/2025",
        "visit_1": "01/10/2024",
        "visit_2": "02/12/2024",
        "delivered_on": "10/03/2025",
        "place": "At a health facility",
        "facility": "Trạm y tế xã Ba Trang",
        "mode": "Normal delivery",
        "babies": 1,
        "carer_name": "Đinh Văn Lũy",
        "days_at_facility": 3,
        "child_sex": "F",
        "child_born_on": "",
    }
    values.update(overrides)
    return values


def _filled(template: bytes, rows: list[dict[str, Any]]) -> bytes:
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    for index, row in enumerate(rows, start=2):
        for column, spec in enumerate(COLUMNS, start=1):
            sheet.cell(row=index, column=column, value=row.get(spec.key))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def template(mothers_world: MothersWorld) -> bytes:
    return proposals_template(actor=mothers_world.health_station, commune=mothers_world.commune)


def _check(world: MothersWorld, content: bytes) -> Any:
    return proposals_check(
        actor=world.health_station,
        commune=world.commune,
        source=io.BytesIO(content),
        name="ds.xlsx",
    )


def test_the_template_has_the_lists_and_text_columns(template: bytes) -> None:
    book = load_workbook(io.BytesIO(template))
    data, _help, lists = book.worksheets

    headers = [c.value for c in data[1]]
    assert headers[:6] == [
        "Full name",
        "Date or year of birth",
        "Ethnicity",
        "Village",
        "Phone",
        "Personal ID number",
    ]
    assert lists.sheet_state == "hidden"
    listed = {c.value for column in lists.iter_cols() for c in column}
    assert {"19 - Hrê", "Thôn Nước Đang", "Thôn Bùi Hui", "Thôn Kon Riêng"} <= listed
    validations = {str(v.sqref).split(":")[0]: v for v in data.data_validations.dataValidation}
    assert validations["C2"].type == "list" and validations["D2"].type == "list"
    assert data.column_dimensions["F"].number_format == "@"  # the ID number stays text
    assert all(
        isinstance(c.value, str) for row in book.worksheets[1].iter_rows() for c in row if c.value
    )


def test_a_good_file_proposes_every_row(mothers_world: MothersWorld, template: bytes) -> None:
    content = _filled(
        template,
        [
            _row(),
            _row(
                full_name="Phạm Thị Hoa",
                birth="05/06/2000",
                village="Bùi Hui",
                id_number="",
                phone="",
                child_sex="M",
            ),
        ],
    )

    check = _check(mothers_world, content)
    assert check.ok, check.messages
    assert Pregnancy.objects.count() == 0  # the check writes nothing

    _check_again, cases = proposals_save(
        actor=mothers_world.health_station,
        commune=mothers_world.commune,
        source=io.BytesIO(content),
        name="ds.xlsx",
    )

    assert cases is not None and len(cases) == 2
    hoa = Mother.objects.get(full_name="Phạm Thị Hoa")
    assert hoa.birth_date == datetime.date(2000, 6, 5) and hoa.birth_year == 2000
    assert Mother.objects.get(full_name="Đinh Thị Lan").id_number == "051198001234"
    assert AuditEvent.objects.filter(action="mothers.proposals.imported").count() == 1


def test_a_bad_row_refuses_the_whole_file(mothers_world: MothersWorld, template: bytes) -> None:
    content = _filled(
        template,
        [
            _row(),
            _row(full_name="Phạm Thị Hoa", id_number="", delivered_on="31/02/2025"),
            _row(full_name="Hồ Thị Đào", id_number="", ethnic="99 - Không có"),
        ],
    )

    check = _check(mothers_world, content)

    assert not check.ok
    assert check.messages == [
        "Row 3, column “Delivery date”: “31/02/2025” is not a date; write dd/mm/yyyy",
        "Row 4, column “Ethnicity”: “99 - Không có” is not in the list",
    ]
    _again, cases = proposals_save(
        actor=mothers_world.health_station,
        commune=mothers_world.commune,
        source=io.BytesIO(content),
        name="ds.xlsx",
    )
    assert cases is None
    assert Pregnancy.objects.count() == 0


def test_the_registry_s_checks_name_row_and_column(
    mothers_world: MothersWorld, template: bytes
) -> None:
    content = _filled(
        template, [_row(), _row(full_name="Phạm Thị Hoa", id_number="12345", visit_1="01/01/2020")]
    )

    messages = _check(mothers_world, content).messages

    assert any(m.startswith("Row 3, column “Personal ID number”: ") for m in messages), messages
    assert any(m.startswith("Row 3, column “Antenatal visit 1”: ") for m in messages), messages
    assert Pregnancy.objects.count() == 0


@pytest.mark.parametrize(
    "build", [row_bomb, lambda t: numbered_rows(t, xlsx.MAX_ROWS + 1)], ids=["bomb", "rows"]
)
def test_a_bomb_or_too_many_rows_is_refused_unread(
    mothers_world: MothersWorld, template: bytes, build: Any
) -> None:
    with pytest.raises(ValidationError) as caught:
        _check(mothers_world, build(template))

    assert "ds.xlsx" in caught.value.messages[0]
    assert Pregnancy.objects.count() == 0


@pytest.mark.parametrize("who", ["officer", "accountant", "leader", "other_health_station"])
def test_others_may_not_use_the_proposal_list(mothers_world: MothersWorld, who: str) -> None:
    actor = getattr(mothers_world, who)

    with pytest.raises(PermissionDenied):
        proposals_template(actor=actor, commune=mothers_world.commune)
    client = Client()
    client.force_login(actor)
    for name in ("proposal_template", "proposal_upload", "proposal_preview"):
        url = reverse(f"mothers:{name}", args=[mothers_world.commune.pk])
        # another commune's health station is not even told that the commune's page exists
        assert client.get(url).status_code == (404 if who == "other_health_station" else 403)


def test_the_pages_upload_preview_and_save(mothers_world: MothersWorld, template: bytes) -> None:
    client = Client()
    client.force_login(mothers_world.health_station)
    commune = mothers_world.commune.pk
    downloaded = client.get(reverse("mothers:proposal_template", args=[commune]))
    assert downloaded.status_code == 200 and downloaded["Content-Type"] == XLSX
    upload = SimpleUploadedFile("ds.xlsx", _filled(downloaded.content, [_row()]), XLSX)

    response = client.post(reverse("mothers:proposal_upload", args=[commune]), {"file": upload})
    assert response.status_code == 302
    preview = client.get(reverse("mothers:proposal_preview", args=[commune]))
    assert "Đinh Thị Lan" in preview.content.decode()
    assert "19 - Hrê" in preview.content.decode()
    assert "051198001234" not in preview.content.decode()
    assert Pregnancy.objects.count() == 0

    saved = client.post(reverse("mothers:proposal_preview", args=[commune]), {"action": "confirm"})

    assert saved.status_code == 302
    assert Pregnancy.objects.count() == 1


def test_a_double_tap_on_confirm_saves_the_list_once(
    mothers_world: MothersWorld, template: bytes
) -> None:
    import re

    client = Client()
    client.force_login(mothers_world.health_station)
    commune = mothers_world.commune.pk
    upload = SimpleUploadedFile("ds.xlsx", _filled(template, [_row()]), XLSX)
    client.post(reverse("mothers:proposal_upload", args=[commune]), {"file": upload})
    page = client.get(reverse("mothers:proposal_preview", args=[commune])).content.decode()
    match = re.search(r'name="once" value="([^"]+)"', page)
    assert match is not None
    confirm = {"action": "confirm", "once": match.group(1)}
    url = reverse("mothers:proposal_preview", args=[commune])

    first = client.post(url, confirm)
    second = client.post(url, confirm)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]  # sent on to what the first saved
    assert Pregnancy.objects.count() == 1
