"""Exports of every list: the template's columns (an export uploads again to the same rows),
names only for records.personal, every export audited."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    Difficulty,
    Event,
    Participant,
    WomanCadre,
)
from duan8.activities.tests.excel_support import fill, headers, read, table
from duan8.core.models import AuditEvent
from duan8.testing import event_samples

D = datetime.date
TEAM = "Tổ truyền thông thôn Nước Đang"

ROWS = {
    "to-nhom": [
        [
            "communication_team",
            TEAM,
            "Nước Đang",
            "",
            "02/10/2023",
            None,
            "zalo",
            "zalo.me/g/nd",
            "Loa; micro",
            None,
            None,
            "",
        ],
        [
            "change_club",
            "CLB Thủ lĩnh của sự thay đổi",
            "Xã Ba Trang",
            "Trường PTDTBT THCS Ba Trang",
            "15/09/2023",
            None,
            None,
            "",
            "",
            "Maintained",
            "01/11/2023",
            "Lớp 8, 9",
        ],
    ],
    "thanh-vien": [
        [TEAM, "Đinh Thị Lan", "Nữ", "19 - Hrê", 1985, "leader", "02/10/2023", None],
        [TEAM, "Đinh Văn Tư", "Nam", "19", 1979, None, "02/10/2023", "30/11/2023"],
        [TEAM, "Phạm Thị Nga", "Nữ", "Co", None, "core", "05/10/2023", None],
    ],
    "su-kien": [
        [
            "ND1.HD2.2",
            "communication",
            "Truyền thông xóa bỏ tảo hôn",
            "05/11/2023",
            None,
            "Nước Đang",
            "Nhà văn hóa",
            "Chi hội phụ nữ",
            TEAM,
            1500000,
            20,
            3,
            0,
            0,
            8,
            0,
            0,
            0,
            31,
            "",
        ],
        [
            "ND3.HD1.2",
            "dialogue",
            "Đối thoại chính sách xã",
            "12/10/2023",
            "13/10/2023",
            "Xã Ba Trang",
            "Hội trường UBND xã",
            "Hội LHPN xã",
            None,
            0,
            30,
            0,
            2,
            0,
            10,
            0,
            1,
            0,
            None,
            "Có phát thanh",
        ],
    ],
    "can-bo-nu": [
        [
            "Xã Ba Trang",
            "Phạm Thị Hoa",
            "19 - Hrê",
            1990,
            "Phó Chủ tịch Hội LHPN xã",
            "planned",
            "01/03/2023",
            None,
            "",
        ],
        [
            "Thôn Kon Riêng",
            "Đinh Thị Rin",
            "30 - Co",
            None,
            "Chi hội trưởng",
            "in_position",
            "01/01/2022",
            "31/12/2023",
            "Tái cử",
        ],
    ],
    "vuong-mac": [
        [
            "Thôn Nước Đang",
            "Trưởng thôn Nước Đang",
            "02/11/2023",
            "Thiếu loa truyền thanh",
            "ND1.HD2.2",
        ],
        ["Xã Ba Trang", "Hội LHPN xã", "15/11/2023", "Chưa có kinh phí đối ứng", None],
    ],
}
MODELS = {
    "to-nhom": CommunityGroup,
    "thanh-vien": CommunityGroupMember,
    "su-kien": Event,
    "can-bo-nu": WomanCadre,
    "vuong-mac": Difficulty,
}


@pytest.fixture
def team(villages, ba_trang_plan, ethnic_groups):
    group = CommunityGroup.objects.create(
        kind="communication_team",
        name=TEAM,
        org_unit=villages["Nước Đang"],
        founded_on=D(2023, 10, 2),
    )
    CommunityGroupStatus.objects.create(group=group, status="founded", on=group.founded_on)
    return group


def _url(name, unit, slug):
    return reverse(f"activities:excel_{name}", args=[unit.pk, slug])


def _upload_and_confirm(client, unit, slug, content):
    uploaded = client.post(
        _url("upload", unit, slug), {"file": SimpleUploadedFile("f.xlsx", content)}
    )
    assert uploaded.status_code == 302, uploaded.content.decode()[-3000:]
    confirmed = client.post(_url("preview", unit, slug), {"action": "confirm"})
    assert confirmed.status_code == 302, confirmed.content.decode()[-3000:]


@pytest.mark.parametrize("slug", sorted(ROWS))
def test_an_export_uploaded_again_gives_the_same_rows(
    client, ba_trang, commune_officer, team, slug
):
    client.force_login(commune_officer)
    if slug == "to-nhom":
        team.delete()
    blank = client.get(_url("template", ba_trang, slug)).content
    _upload_and_confirm(client, ba_trang, slug, fill(blank, ROWS[slug]))
    exported = client.get(_url("export", ba_trang, slug)).content
    model = MODELS[slug]
    count = model.objects.count()

    _upload_and_confirm(client, ba_trang, slug, exported)  # everything already recorded
    assert model.objects.count() == count
    model.objects.all().delete()
    _upload_and_confirm(client, ba_trang, slug, exported)
    again = client.get(_url("export", ba_trang, slug)).content

    assert model.objects.count() == count == len(ROWS[slug])
    assert table(again) == table(exported)
    assert headers(exported)[: len(headers(blank))] == headers(blank)


def test_the_participants_of_an_event_round_trip(
    client, ba_trang_plan, villages, commune_officer, ethnic_groups
):
    event = event_samples(ba_trang_plan, villages, commune_officer)["event"]
    client.force_login(commune_officer)
    export_url = reverse("activities:excel_participants_export", args=[event.pk])
    exported = client.get(export_url).content
    rows = table(exported)

    uploaded = client.post(
        reverse("activities:excel_participants_upload", args=[event.pk]),
        {"file": SimpleUploadedFile("ds.xlsx", exported)},
    )
    client.post(
        reverse("activities:excel_participants_preview", args=[event.pk]), {"action": "confirm"}
    )

    assert uploaded.status_code == 302
    assert [r[_("Full name")] for r in rows] == ["Đinh Thị Bùi", "Phạm Văn Hui"]
    assert table(client.get(export_url).content) == rows
    assert Participant.objects.filter(event=event).count() == 2


def test_an_export_without_records_personal_has_no_names(
    client, ba_trang, commune_officer, commune_leader, team
):
    client.force_login(commune_officer)
    blank = client.get(_url("template", ba_trang, "thanh-vien")).content
    _upload_and_confirm(client, ba_trang, "thanh-vien", fill(blank, ROWS["thanh-vien"]))
    client.force_login(commune_leader)

    response = client.get(_url("export", ba_trang, "thanh-vien"))

    columns = headers(response.content)
    assert _("Full name") not in columns and _("Ethnicity") not in columns
    assert _("Year of birth") not in columns
    assert _("Sex") in columns and _("Group") in columns
    rows = table(response.content)
    assert len(rows) == 3
    text = " ".join(
        str(c.value) for s in read(response.content) for row in s.iter_rows() for c in row
    )
    assert "Đinh Thị Lan" not in text and "Hrê" not in text
    audit = AuditEvent.objects.get(action="activities.members.exported", actor=commune_leader)
    assert audit.after["personal"] is False and audit.after["rows"] == 3
    assert not AuditEvent.objects.filter(
        action="activities.personal.exported", actor=commune_leader
    ).exists()


def test_an_export_with_names_is_audited_as_personal(client, ba_trang, commune_officer, team):
    client.force_login(commune_officer)
    blank = client.get(_url("template", ba_trang, "thanh-vien")).content
    _upload_and_confirm(client, ba_trang, "thanh-vien", fill(blank, ROWS["thanh-vien"]))

    response = client.get(_url("export", ba_trang, "thanh-vien"))

    assert _("Full name") in headers(response.content)
    assert AuditEvent.objects.filter(action="activities.members.exported").count() == 1
    personal = AuditEvent.objects.get(action="activities.personal.exported")
    assert personal.after["list"] == "members" and personal.org_unit == ba_trang


@pytest.mark.parametrize(
    "slug", ["su-kien", "to-nhom", "thanh-vien", "can-bo-nu", "vuong-mac", "tien-do"]
)
def test_every_export_is_audited(client, ba_trang, ba_trang_plan, commune_leader, slug):
    client.force_login(commune_leader)

    response = client.get(_url("export", ba_trang, slug))

    assert response.status_code == 200
    kind = {
        "su-kien": "events",
        "to-nhom": "groups",
        "thanh-vien": "members",
        "can-bo-nu": "cadres",
        "vuong-mac": "difficulties",
        "tien-do": "progress",
    }[slug]
    assert (
        AuditEvent.objects.filter(
            action=f"activities.{kind}.exported", actor=commune_leader
        ).count()
        == 1
    )


def test_a_village_head_exports_only_their_village(
    client, ba_trang, villages, commune_officer, village_head, team
):
    client.force_login(commune_officer)
    blank = client.get(_url("template", ba_trang, "can-bo-nu")).content
    _upload_and_confirm(client, ba_trang, "can-bo-nu", fill(blank, ROWS["can-bo-nu"]))
    WomanCadre.objects.filter(full_name="Đinh Thị Rin").update(org_unit=villages["Nước Đang"])
    client.force_login(village_head)

    response = client.get(_url("export", villages["Nước Đang"], "can-bo-nu"))

    names = [r[_("Full name")] for r in table(response.content)]
    assert names == ["Đinh Thị Rin"]


def test_the_progress_export_has_each_village(
    client, ba_trang, ba_trang_plan, villages, commune_officer, team, indicator_rules
):
    client.force_login(commune_officer)

    response = client.get(_url("export", ba_trang, "tien-do"))

    sheet = read(response.content).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[2]
    assert f"{_('%(village)s: done') % {'village': 'Nước Đang'}}" in header
    teams = next(
        r for r in rows if r[1] and str(r[1]).startswith("Thành lập mới và duy trì tổ truyền thông")
    )
    done = header.index(_("%(village)s: done") % {"village": "Nước Đang"})
    assert teams[done] == 1 and teams[header.index(_("Done"))] == 1
    assert teams[0] == "1.1.1"  # numbered as on the pages, not ND1.HD1.1


def test_an_export_takes_the_same_queries_for_one_row_or_many(
    client, ba_trang, commune_officer, team, django_assert_num_queries
):
    client.force_login(commune_officer)
    blank = client.get(_url("template", ba_trang, "thanh-vien")).content
    _upload_and_confirm(client, ba_trang, "thanh-vien", fill(blank, ROWS["thanh-vien"][:1]))
    with django_assert_num_queries(10):
        client.get(_url("export", ba_trang, "thanh-vien"))
    _upload_and_confirm(client, ba_trang, "thanh-vien", fill(blank, ROWS["thanh-vien"]))

    with django_assert_num_queries(10):
        client.get(_url("export", ba_trang, "thanh-vien"))
