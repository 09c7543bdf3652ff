"""Community groups, cadres and difficulties on a small phone: nothing scrolls sideways, and a
village head records a group's status and raises a difficulty from their village."""

import datetime
import os

from playwright.sync_api import Page, expect

from duan8.activities.models import CommunityGroup, Difficulty
from duan8.activities.reference import ethnic_group_by_code, ethnic_groups_load
from duan8.activities.services.cadres import CadreInput, woman_cadre_save
from duan8.activities.services.groups import GroupInput, community_group_create
from duan8.activities.services.members import MemberInput
from tests.browser.helpers import (
    default_roles,  # noqa: F401 (autouse)
    sign_in,
    with_password,
)

D = datetime.date
SHOTS = os.environ.get("DUAN8_SCREENSHOTS")  # a folder: save what the phone showed


def _overflow(page: Page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _team(officer, village) -> CommunityGroup:
    ethnic_groups_load()  # the live server's flush empties the table the migration filled
    hre = ethnic_group_by_code()["19"]
    return community_group_create(
        actor=officer,
        data=GroupInput(
            kind="communication_team",
            name="Tổ truyền thông cộng đồng thôn Nước Đang",
            org_unit=village,
            founded_on=D(2023, 10, 2),
            channel="zalo",
            channel_address="Nhóm Zalo “Tổ truyền thông thôn Nước Đang — Ba Trang”",
            equipment="01 loa kéo di động có micro không dây\n01 bộ tranh lật truyền thông",
        ),
        members=[
            MemberInput("Đinh Thị Lan", "F", hre, D(2023, 10, 2), 1985, "leader"),
            MemberInput("Đinh Văn Tư", "M", hre, D(2023, 10, 2), 1979, "core"),
            MemberInput("Phạm Thị Mai", "F", hre, D(2023, 10, 2), 1992),
        ],
    )


def test_a_village_head_keeps_the_team_of_their_village_on_a_phone(
    phone_page: Page, commune_officer, village_head, villages
) -> None:
    team = _team(commune_officer, villages["Nước Đang"])
    woman_cadre_save(
        actor=commune_officer,
        data=CadreInput(
            org_unit=villages["Nước Đang"],
            full_name="Đinh Thị Nước",
            ethnic_group=ethnic_group_by_code()["19"],
            position="Chi hội trưởng Chi hội phụ nữ thôn Nước Đang",
            status="nominated",
            since=D(2023, 9, 1),
        ),
    )
    with_password(village_head)
    page = phone_page
    sign_in(page, village_head.username)
    village = villages["Nước Đang"]

    page.goto(f"/don-vi/{village.pk}/mo-hinh/")
    expect(page.get_by_text("Tổ truyền thông cộng đồng thôn Nước Đang")).to_be_visible()
    team_row = page.locator("table.groups tr", has_text="Tổ truyền thông cộng đồng thôn Nước Đang")
    expect(team_row.locator("td.number")).to_have_text(["3", "33%"])  # members, share of men
    _shot(page, "groups_list")
    assert _overflow(page) <= 0

    page.get_by_role("link", name="Tổ truyền thông cộng đồng thôn Nước Đang").click()
    expect(page.locator("table.members")).to_contain_text("Đinh Thị Lan")
    page.locator("details.panel summary").first.click()
    page.locator("select[name=status]").select_option("maintained")
    page.locator("input[name=on]").fill("2023-12-20")
    page.locator("input[name=note]").fill("Sinh hoạt định kỳ quý IV")
    page.locator("form[action$='/trang-thai/'] button[type=submit]").click()
    expect(page.locator(".status-history")).to_contain_text("20/12/2023")
    _shot(page, "group_detail")
    assert _overflow(page) <= 0
    assert list(team.statuses.values_list("status", flat=True)) == ["founded", "maintained"]

    page.goto(f"/don-vi/{village.pk}/can-bo-nu/")
    expect(page.locator("table.cadres")).to_contain_text("Đinh Thị Nước")
    _shot(page, "cadres_list")
    assert _overflow(page) <= 0

    page.goto(f"/don-vi/{village.pk}/vuong-mac/them/")
    page.locator("input[name=raised_on]").fill("2023-11-02")
    page.locator("textarea[name=description]").fill("Loa của tổ bị hỏng, chưa có kinh phí sửa")
    assert _overflow(page) <= 0
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".difficulty-text")).to_contain_text("Loa của tổ bị hỏng")
    _shot(page, "difficulty_detail")
    assert _overflow(page) <= 0
    difficulty = Difficulty.objects.get()
    assert (difficulty.org_unit, difficulty.raised_by) == (village, "Thôn Nước Đang")
