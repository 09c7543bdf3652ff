"""The Excel pages: upload → preview (every error, the first rows) → confirm; the kept file;
refusals of files that are not Excel or too large; the page of a commune."""

import datetime
import html
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _

from duan8.activities.excel.pending import SESSION_KEY
from duan8.activities.models import CommunityGroup, CommunityGroupMember, Event
from duan8.activities.tests.excel_support import fill
from duan8.core.models import AuditEvent

D = datetime.date
TEAM = "Tổ truyền thông thôn Nước Đang"


@pytest.fixture
def team(villages, ba_trang_plan, ethnic_groups):
    return CommunityGroup.objects.create(
        kind="communication_team",
        name=TEAM,
        org_unit=villages["Nước Đang"],
        founded_on=D(2023, 10, 2),
    )


def _urls(unit, slug="thanh-vien"):
    return {
        name: reverse(f"activities:excel_{name}", args=[unit.pk, slug])
        for name in ("template", "upload", "preview", "export")
    }


def _rows(count, **changes):
    return [
        [
            TEAM,
            f"Thành viên {i:03d}",
            "Nữ" if i % 3 else "Nam",
            "19 - Hrê",
            1980 + i % 20,
            None,
            "02/10/2023",
            None,
        ]
        for i in range(count)
    ]


def _upload(client, urls, content, name="thanh-vien.xlsx"):
    return client.post(urls["upload"], {"file": SimpleUploadedFile(name, content)})


def _kept() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "uploads"
    return sorted(folder.glob("*")) if folder.exists() else []


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_upload_preview_confirm_saves_every_row_once(client, ba_trang, commune_officer, team):
    client.force_login(commune_officer)
    urls = _urls(ba_trang)
    blank = client.get(urls["template"]).content

    uploaded = _upload(client, urls, fill(blank, _rows(30)))
    preview = client.get(uploaded["Location"])

    assert uploaded.status_code == 302 and uploaded["Location"].startswith(urls["preview"])
    assert CommunityGroupMember.objects.count() == 0  # nothing before the confirmation
    page = _text(preview)
    assert "Thành viên 000" in page and "Thành viên 019" in page and "Thành viên 020" not in page
    assert [p.suffix for p in _kept()] == [".json", ".xlsx"]

    confirmed = client.post(urls["preview"], {"action": "confirm"})

    assert confirmed.status_code == 302
    assert CommunityGroupMember.objects.count() == 30
    assert AuditEvent.objects.filter(action="activities.members.imported").count() == 1
    assert _kept() == [] and SESSION_KEY not in client.session
    saved = _(
        "Saved from “%(file)s”: %(created)s new, %(updated)s changed, %(unchanged)s already "
        "recorded."
    ) % {"file": "thanh-vien.xlsx", "created": 30, "updated": 0, "unchanged": 0}
    assert saved in _text(client.get(confirmed["Location"]))


def test_the_preview_lists_every_error_and_offers_no_save(client, ba_trang, commune_officer, team):
    client.force_login(commune_officer)
    urls = _urls(ba_trang)
    rows = _rows(5)
    rows[1][3] = "Kinh Hrê"
    rows[4][6] = "2023-13-45"

    preview = client.get(
        _upload(client, urls, fill(client.get(urls["template"]).content, rows))["Location"]
    )

    page = _text(preview)
    assert (
        _("Row %(row)s, column “%(column)s”: %(message)s")
        % {
            "row": 3,
            "column": _("Ethnicity"),
            "message": _("“%(value)s” is not in the list") % {"value": "Kinh Hrê"},
        }
        in page
    )
    assert (
        "Row 6" in page or _("Row %(row)s, column “%(column)s”: %(message)s").split("%")[0] in page
    )
    assert 'value="confirm"' not in page

    forced = client.post(urls["preview"], {"action": "confirm"})

    assert forced.status_code == 200
    assert CommunityGroupMember.objects.count() == 0


def test_the_confirmation_saves_the_checked_file_not_a_new_one(
    client, ba_trang, commune_officer, team
):
    client.force_login(commune_officer)
    urls = _urls(ba_trang)
    blank = client.get(urls["template"]).content
    _upload(client, urls, fill(blank, _rows(2)))

    client.post(
        urls["preview"],
        {"action": "confirm", "file": SimpleUploadedFile("khac.xlsx", fill(blank, _rows(9)))},
    )

    assert CommunityGroupMember.objects.count() == 2


def test_the_confirmation_checks_again_and_refuses_what_became_wrong(
    client, ba_trang, commune_officer, team
):
    from duan8.activities.models import DataLock

    client.force_login(commune_officer)
    urls = _urls(ba_trang)
    _upload(client, urls, fill(client.get(urls["template"]).content, _rows(2)))
    DataLock.objects.create(
        org_unit=ba_trang, period_start=D(2023, 7, 1), period_end=D(2023, 12, 31), reason="Đã duyệt"
    )

    response = client.post(urls["preview"], {"action": "confirm"})

    assert response.status_code == 200
    assert "Đã duyệt" in _text(response)
    assert CommunityGroupMember.objects.count() == 0


def test_abandoning_removes_the_kept_file(client, ba_trang, commune_officer, team):
    client.force_login(commune_officer)
    urls = _urls(ba_trang)
    _upload(client, urls, fill(client.get(urls["template"]).content, _rows(2)))

    client.post(urls["preview"], {"action": "abandon"})

    assert _kept() == []
    assert CommunityGroupMember.objects.count() == 0
    assert _("No uploaded file is waiting for confirmation.") in _text(client.get(urls["preview"]))


def test_a_file_waiting_for_one_list_is_not_confirmed_from_another(
    client, ba_trang, villages, commune_officer, team
):
    client.force_login(commune_officer)
    members = _urls(ba_trang)
    _upload(client, members, fill(client.get(members["template"]).content, _rows(2)))

    client.post(_urls(ba_trang, "can-bo-nu")["preview"], {"action": "confirm"})
    client.post(_urls(villages["Nước Đang"])["preview"], {"action": "confirm"})

    assert CommunityGroupMember.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.xlsx", b"%PDF-1.4 a pdf renamed"),
        ("cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel"),
        ("hong.xlsx", b"PK\x03\x04 a broken zip"),
    ],
)
def test_a_file_that_is_not_an_excel_workbook_is_refused_clearly(
    client, ba_trang, commune_officer, team, name, content
):
    client.force_login(commune_officer)

    response = _upload(client, _urls(ba_trang), content, name=name)

    assert response.status_code == 200
    assert name in _text(response) and ".xlsx" in _text(response)
    assert _kept() == [] and CommunityGroupMember.objects.count() == 0


def test_a_file_over_the_limit_is_refused(client, settings, ba_trang, commune_officer, team):
    client.force_login(commune_officer)
    urls = _urls(ba_trang)
    content = fill(client.get(urls["template"]).content, _rows(3))
    settings.UPLOAD_MAX_BYTES = len(content) - 1

    response = _upload(client, urls, content)

    assert response.status_code == 200
    assert _("The file “%(name)s” is %(size)s; the limit is %(limit)s.").split("%")[0] in _text(
        response
    )
    assert _kept() == []


def test_a_file_with_wrong_headers_is_refused_and_not_kept(client, ba_trang, commune_officer, team):
    client.force_login(commune_officer)
    urls = _urls(ba_trang)
    other = client.get(_urls(ba_trang, "can-bo-nu")["template"]).content

    response = _upload(client, urls, other)

    assert response.status_code == 200
    assert f"“{_('Group')}”" in _text(response)
    assert _kept() == []


def test_the_upload_page_has_a_progress_bar_that_works_without_javascript(
    client, ba_trang, commune_officer, team
):
    client.force_login(commune_officer)

    page = client.get(_urls(ba_trang)["upload"]).content.decode()

    assert 'enctype="multipart/form-data"' in page and "data-upload-progress" in page
    assert "<progress" in page and "js/upload_progress.js" in page
    assert "<script>" not in page and "style=" not in page


def test_the_commune_page_links_every_list_in_a_fixed_number_of_queries(
    client, ba_trang, ba_trang_plan, commune_officer, team, django_assert_num_queries
):
    from duan8.activities.services.events import CountInput, EventInput, event_create
    from duan8.programs.models import ProgramElement

    client.force_login(commune_officer)
    url = reverse("activities:excel_home", args=[ba_trang.pk])
    client.get(url)

    def training(day):
        event_create(
            actor=commune_officer,
            data=EventInput(
                plan=ba_trang_plan,
                activity=ProgramElement.objects.get(code="1719.GD1.DA8.ND3.HD4.1"),
                kind="training",
                title=f"Tập huấn {day}",
                held_on=D(2023, 10, day),
                org_unit=ba_trang,
                counts=[CountInput("F", True, "adult", 3)],
            ),
        )

    training(1)
    with django_assert_num_queries(6) as one:
        first = client.get(url)
    for day in range(2, 9):
        training(day)
    with django_assert_num_queries(len(one.captured_queries)):
        many = client.get(url)

    assert first.status_code == many.status_code == 200
    page = many.content.decode()
    for slug in ("su-kien", "to-nhom", "thanh-vien", "can-bo-nu", "vuong-mac", "tien-do"):
        assert reverse("activities:excel_export", args=[ba_trang.pk, slug]) in page
    assert reverse("activities:excel_participants_upload", args=[Event.objects.first().pk]) in page


def test_a_reader_sees_exports_but_no_uploads(client, ba_trang, ba_trang_plan, commune_leader):
    client.force_login(commune_leader)

    page = client.get(reverse("activities:excel_home", args=[ba_trang.pk])).content.decode()

    assert reverse("activities:excel_export", args=[ba_trang.pk, "thanh-vien"]) in page
    assert reverse("activities:excel_upload", args=[ba_trang.pk, "thanh-vien"]) not in page
    assert client.get(_urls(ba_trang)["upload"]).status_code == 403
    assert client.post(_urls(ba_trang)["preview"], {"action": "confirm"}).status_code == 403
