"""Excel templates: headers, the instructions sheet, drop-down lists that refer to the hidden
lists sheet; who may download them."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from duan8.activities.excel.kinds import BY_SLUG, PARTICIPANTS
from duan8.activities.models import CommunityGroup
from duan8.activities.tests.excel_support import read
from duan8.testing import event_samples

SLUGS = sorted(BY_SLUG)


def _range_values(workbook, formula: str) -> list[str]:
    sheet_part, cells = formula.rsplit("!", 1)
    sheet = workbook[sheet_part.strip("'").replace("''", "'")]
    first, last = cells.replace("$", "").split(":")
    return [row[0].value for row in sheet[first:last]]


def _validations(sheet) -> dict[str, str]:
    """Column letter → list formula of the data sheet's drop-downs."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.type == "list":
            letter = re.match(r"[A-Z]+", str(validation.sqref)).group()
            found[letter] = validation.formula1
    return found


@pytest.fixture
def team(villages, ethnic_groups):
    return CommunityGroup.objects.create(
        kind="communication_team",
        name="Tổ truyền thông thôn Nước Đang",
        org_unit=villages["Nước Đang"],
        founded_on="2023-10-02",
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_each_template_has_headers_instructions_and_drop_downs_on_the_lists_sheet(
    client, ba_trang_plan, ba_trang, commune_officer, ethnic_groups, team, slug
):
    kind = BY_SLUG[slug]
    client.force_login(commune_officer)

    response = client.get(reverse("activities:excel_template", args=[ba_trang.pk, slug]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment;" in response["Content-Disposition"]
    workbook = read(response.content)
    data, instructions, lists = workbook.worksheets
    assert [instructions.title, lists.title] == [_("Instructions"), _("Lists")]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in data[1]] == [str(c.header) for c in kind.upload_columns]
    assert data.max_row == 1  # no example rows
    text = " ".join(str(c.value) for row in instructions.iter_rows() for c in row if c.value)
    assert "dd/mm/yyyy" in text
    for column in kind.upload_columns:
        assert str(column.header) in text and str(column.help) in text
    validations = _validations(data)
    for index, column in enumerate(kind.upload_columns, start=1):
        if column.type == "choice":
            letter = data.cell(row=1, column=index).column_letter
            assert validations[letter].startswith(f"'{_('Lists')}'!"), column.key
            assert _range_values(workbook, validations[letter])


def test_lists_hold_the_54_ethnic_groups_the_villages_and_the_plan_activities(
    client, ba_trang_plan, ba_trang, commune_officer, ethnic_groups
):
    client.force_login(commune_officer)

    content = client.get(reverse("activities:excel_template", args=[ba_trang.pk, "su-kien"]))
    members = client.get(reverse("activities:excel_template", args=[ba_trang.pk, "thanh-vien"]))

    events_book, members_book = read(content.content), read(members.content)
    events = _validations(events_book.worksheets[0])
    assert _range_values(events_book, events["F"]) == [
        "Xã Ba Trang",
        "Thôn Bùi Hui",
        "Thôn Kon Riêng",
        "Thôn Nước Đang",
    ]
    activities = _range_values(events_book, events["A"])
    assert any(a.startswith("3.1.2 - Tổ chức các cuộc đối thoại") for a in activities)
    ethnicities = _range_values(members_book, _validations(members_book.worksheets[0])["D"])
    assert len(ethnicities) == 54
    assert ethnicities[0] == "01 - Kinh" and "19 - Hrê" in ethnicities and "30 - Co" in ethnicities


def test_the_template_of_a_village_head_offers_only_their_village(
    client, ba_trang_plan, villages, village_head, ethnic_groups
):
    client.force_login(village_head)

    response = client.get(
        reverse("activities:excel_template", args=[villages["Nước Đang"].pk, "can-bo-nu"])
    )

    workbook = read(response.content)
    units = _range_values(workbook, _validations(workbook.worksheets[0])["A"])
    assert units == ["Thôn Nước Đang"]


def test_the_participants_template_of_an_event_has_the_person_columns(
    client, ba_trang_plan, villages, commune_officer, ethnic_groups
):
    event = event_samples(ba_trang_plan, villages, commune_officer)["event"]
    client.force_login(commune_officer)

    response = client.get(reverse("activities:excel_participants_template", args=[event.pk]))

    assert response.status_code == 200
    assert [c.value for c in read(response.content).worksheets[0][1]] == [
        str(c.header) for c in PARTICIPANTS.columns
    ]


def test_a_reader_without_the_right_to_record_gets_no_template(
    client, ba_trang_plan, ba_trang, commune_leader
):
    client.force_login(commune_leader)

    response = client.get(reverse("activities:excel_template", args=[ba_trang.pk, "thanh-vien"]))

    assert response.status_code == 403


def test_another_commune_and_a_village_head_above_their_village_get_404(
    client, ba_trang_plan, ba_trang, villages, other_commune_officer, village_head
):
    for user, unit in ((other_commune_officer, ba_trang), (village_head, ba_trang)):
        client.force_login(user)
        for name in ("excel_home", "excel_template", "excel_upload", "excel_export"):
            args = [unit.pk] if name == "excel_home" else [unit.pk, "thanh-vien"]
            response = client.get(reverse(f"activities:{name}", args=args))
            assert response.status_code == 404, (user, name)
            assert "Ba Trang" not in response.content.decode()


def test_a_plan_of_another_commune_is_not_found(
    client, ba_trang_plan, ba_kham, other_commune_officer
):
    client.force_login(other_commune_officer)

    response = client.get(
        reverse("activities:excel_home", args=[ba_kham.pk]), {"plan": ba_trang_plan.pk}
    )

    assert response.status_code == 404


def test_an_unknown_list_is_not_found(client, ba_trang_plan, ba_trang, commune_officer):
    client.force_login(commune_officer)

    response = client.get(reverse("activities:excel_template", args=[ba_trang.pk, "khong-co"]))

    assert response.status_code == 404
