"""Community groups: the list of a commune, a group's page, and the forms that record them."""

import datetime

import lxml.html
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    Event,
)
from duan8.activities.selectors.community import (
    community_group_list,
    community_group_status_on,
    men_percent,
)
from duan8.activities.services.attachments import attachment_add
from duan8.activities.services.events import CountInput, EventInput, event_create
from duan8.activities.services.groups import (
    GroupInput,
    community_group_create,
    community_group_status_set,
)
from duan8.activities.services.members import MemberInput, member_leave
from duan8.core.models import AuditEvent
from duan8.programs.models import ProgramElement

D = datetime.date
PERSONAL = "activities.personal.viewed"


@pytest.fixture(autouse=True)
def _english(client):
    """Assert on the English msgids, whatever the Vietnamese catalogue says."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def make_team(officer, unit, ethnic_groups, *, name="Tổ truyền thông thôn Nước Đang", **extra):
    hre, kinh = ethnic_groups["19"], ethnic_groups["01"]
    return community_group_create(
        actor=officer,
        data=GroupInput(
            kind=extra.pop("kind", "communication_team"),
            name=name,
            org_unit=unit,
            founded_on=extra.pop("founded_on", D(2023, 3, 1)),
            channel="zalo",
            channel_address="Zalo Tổ TT Nước Đang",
            equipment="01 loa kéo\n01 bộ tranh lật",
            **extra,
        ),
        members=[
            MemberInput("Đinh Thị Lan", "F", hre, D(2023, 3, 1), 1985, "leader"),
            MemberInput("Đinh Thị Mai", "F", hre, D(2023, 3, 1), 1990),
            MemberInput("Phạm Thị Hà", "F", kinh, D(2023, 3, 1), 1988),
            MemberInput("Đinh Văn Tư", "M", hre, D(2023, 3, 1), 1979),
            MemberInput("Phạm Văn Ba", "M", hre, D(2023, 3, 1), 1970),
            MemberInput("Đinh Văn Cũ", "M", hre, D(2023, 3, 1), 1960, left_on=D(2023, 8, 1)),
        ],
    )


def list_url(unit):
    return reverse("activities:community_group_list", kwargs={"pk": unit.pk})


def detail_url(group):
    return reverse("activities:community_group_detail", kwargs={"pk": group.pk})


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_each_team_with_status_members_share_of_men_channel_and_equipment(
    client, commune_officer, villages, ethnic_groups
):
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    community_group_create(
        actor=commune_officer,
        data=GroupInput(
            kind="change_club",
            name="CLB Thủ lĩnh của sự thay đổi",
            org_unit=villages["Bùi Hui"],
            school="Trường PTDTBT THCS Ba Trang",
            founded_on=D(2023, 9, 15),
        ),
    )
    community_group_status_set(actor=commune_officer, group=team, status="paused", on=D(2024, 2, 1))
    client.force_login(commune_officer)

    page = client.get(list_url(villages["Nước Đang"].parent)).content.decode()

    assert "Tổ truyền thông thôn Nước Đang" in page and "CLB Thủ lĩnh của sự thay đổi" in page
    assert "Trường PTDTBT THCS Ba Trang" in page
    assert "Paused" in page and "from 01/02/2024" in page
    (team_row,) = lxml.html.fromstring(page).xpath(
        '//tr[td/a[text()="Tổ truyền thông thôn Nước Đang"]]'
    )
    members_and_men = [td.text_content() for td in team_row.xpath('td[@class="number"]')]
    assert members_and_men == ["5", "40%"]  # 2 men of 5 today; the man who left is not counted
    assert "Zalo Tổ TT Nước Đang" in page
    assert "01 loa kéo" in page and "01 bộ tranh lật" in page
    rows = client.get(list_url(villages["Nước Đang"].parent)).context["rows"]
    assert [(r.group.name, r.members, r.men) for r in rows] == [
        ("Tổ truyền thông thôn Nước Đang", 5, 2),
        ("CLB Thủ lĩnh của sự thay đổi", 0, 0),
    ]
    assert rows[1].men_percent is None


@pytest.mark.parametrize(
    ("men", "total", "percent"),
    [(0, 0, None), (0, 4, 0), (1, 3, 33), (2, 3, 67), (1, 8, 13), (818, 1337, 61), (5, 5, 100)],
)
def test_share_of_men_is_a_whole_percent_rounded_half_up(men, total, percent):
    assert men_percent(men, total) == percent


def test_the_status_on_a_date_is_the_latest_one_set_on_or_before_it(
    commune_officer, villages, ethnic_groups
):
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)  # founded 1/3/2023
    community_group_status_set(actor=commune_officer, group=team, status="paused", on=D(2023, 6, 1))
    community_group_status_set(
        actor=commune_officer, group=team, status="maintained", on=D(2023, 9, 1)
    )
    community_group_status_set(
        actor=commune_officer, group=team, status="dissolved", on=D(2023, 9, 1)
    )

    assert community_group_status_on(team, D(2023, 2, 28)) is None
    assert community_group_status_on(team, D(2023, 3, 1)) == "founded"
    assert community_group_status_on(team, D(2023, 5, 31)) == "founded"
    assert community_group_status_on(team, D(2023, 6, 1)) == "paused"
    assert community_group_status_on(team, D(2023, 8, 31)) == "paused"
    assert community_group_status_on(team, D(2023, 9, 1)) == "dissolved"  # set last that day
    listed = community_group_list(
        actor=commune_officer, unit=villages["Nước Đang"], on=D(2023, 7, 1)
    ).get()
    assert (listed.status_now, listed.status_since) == ("paused", D(2023, 6, 1))
    assert listed.members_now == 6  # the man who left on 1/8/2023 was still a member
    assert listed.men_now == 3


def test_the_list_on_a_past_date_shows_the_status_and_members_of_that_day(
    client, commune_officer, villages, ethnic_groups
):
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    community_group_status_set(actor=commune_officer, group=team, status="paused", on=D(2023, 6, 1))
    client.force_login(commune_officer)

    response = client.get(list_url(villages["Nước Đang"]), {"on": "2023-07-01"})
    before_founding = client.get(list_url(villages["Nước Đang"]), {"on": "2023-02-01"})

    row = response.context["rows"][0]
    assert (row.status, row.members, row.men_percent) == ("paused", 6, 50)
    assert "01/07/2023" in response.content.decode()
    assert before_founding.context["rows"] == []


def test_the_list_filters_by_kind_and_names_an_unknown_kind(
    client, commune_officer, villages, ethnic_groups
):
    make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    make_team(
        commune_officer,
        villages["Bùi Hui"],
        ethnic_groups,
        name="Địa chỉ tin cậy thôn Bùi Hui",
        kind="trusted_address",
    )
    client.force_login(commune_officer)
    commune = villages["Bùi Hui"].parent

    trusted = client.get(list_url(commune), {"kind": "trusted_address"})
    unknown = client.get(list_url(commune), {"kind": "hợp tác xã ma"})

    assert [r.group.name for r in trusted.context["rows"]] == ["Địa chỉ tin cậy thôn Bùi Hui"]
    assert len(unknown.context["rows"]) == 2
    assert "hợp tác xã ma" in unknown.content.decode()


def test_the_list_runs_a_fixed_number_of_queries(
    client, commune_officer, villages, ethnic_groups, django_assert_num_queries
):
    make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    client.force_login(commune_officer)
    url = list_url(villages["Nước Đang"].parent)
    with_one = queries(client, url)
    for i, village in enumerate(list(villages.values()) * 4):
        make_team(commune_officer, village, ethnic_groups, name=f"Tổ {i}", kind="livelihood_group")

    with django_assert_num_queries(with_one):
        response = client.get(url)

    assert len(response.context["rows"]) == 13


# --- who sees what ---------------------------------------------------------------------------


def test_a_village_head_sees_the_groups_of_their_village_only(
    client, commune_officer, village_head, villages, ethnic_groups
):
    own = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    other = make_team(
        commune_officer, villages["Bùi Hui"], ethnic_groups, name="Tổ truyền thông thôn Bùi Hui"
    )
    client.force_login(village_head)

    own_list = client.get(list_url(villages["Nước Đang"]))
    commune_list = client.get(list_url(villages["Nước Đang"].parent))
    other_detail = client.get(detail_url(other))
    other_list = client.get(list_url(villages["Bùi Hui"]))

    assert own_list.status_code == 200 and own.name in own_list.content.decode()
    assert "Bùi Hui" not in own_list.content.decode()
    assert commune_list.status_code == 404
    assert other_detail.status_code == 404 and "Bùi Hui" not in other_detail.content.decode()
    assert other_list.status_code == 404


def test_an_officer_of_another_commune_sees_nothing(
    client, commune_officer, other_commune_officer, villages, ethnic_groups
):
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    client.force_login(other_commune_officer)

    for url in (
        list_url(villages["Nước Đang"].parent),
        detail_url(team),
        reverse("activities:community_group_edit", kwargs={"pk": team.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "Nước Đang" not in response.content.decode()


def test_the_officer_reads_the_members_by_name_and_each_reading_is_audited(
    client, commune_officer, villages, ethnic_groups
):
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    client.force_login(commune_officer)

    page = client.get(detail_url(team)).content.decode()
    client.get(detail_url(team))

    assert "Đinh Thị Lan" in page and "Hrê" in page and "1985" in page
    assert "Đinh Văn Cũ" in page and "01/08/2023" in page  # a former member, with the day left
    audits = AuditEvent.objects.filter(action=PERSONAL, target_id=str(team.pk))
    assert audits.count() == 2
    assert audits.first().actor == commune_officer


@pytest.mark.parametrize("persona", ["commune_leader", "fatherland_front", "district_reviewer"])
def test_leaders_and_the_front_see_counts_by_sex_and_minority_but_no_names(
    client, request, persona, commune_officer, villages, ethnic_groups
):
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(detail_url(team))

    page = response.content.decode()
    assert response.status_code == 200
    for name in ("Đinh Thị Lan", "Phạm Thị Hà", "Đinh Văn Tư", "Đinh Văn Cũ", "1985"):
        assert name not in page
    counts = response.context["members"].counts
    assert (counts.women.minority, counts.women.other, counts.men.minority) == (2, 1, 2)
    assert counts.former == 1 and counts.men_percent == 40
    assert not AuditEvent.objects.filter(action=PERSONAL).exists()
    assert reverse("activities:community_group_edit", kwargs={"pk": team.pk}) not in page


def test_the_commune_leader_may_not_create_or_change_a_group(
    client, commune_officer, commune_leader, villages, ethnic_groups
):
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    client.force_login(commune_leader)
    commune = villages["Nước Đang"].parent

    create = client.get(reverse("activities:community_group_create", kwargs={"pk": commune.pk}))
    edit = client.post(
        reverse("activities:community_group_edit", kwargs={"pk": team.pk}),
        {"kind": "communication_team", "name": "Đổi tên", "org_unit": team.org_unit_id},
    )
    status = client.post(
        reverse("activities:community_group_status", kwargs={"pk": team.pk}),
        {"status": "dissolved", "on": "2023-12-01"},
    )

    assert (create.status_code, edit.status_code, status.status_code) == (403, 403, 403)
    team.refresh_from_db()
    assert team.name == "Tổ truyền thông thôn Nước Đang"
    assert team.statuses.count() == 1


def test_a_village_head_may_not_record_in_another_village(
    commune_officer, bui_hui_head, villages, ethnic_groups
):
    with pytest.raises(PermissionDenied):
        make_team(bui_hui_head, villages["Nước Đang"], ethnic_groups)
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    with pytest.raises(PermissionDenied):
        community_group_status_set(
            actor=bui_hui_head, group=team, status="paused", on=D(2023, 6, 1)
        )
    with pytest.raises(PermissionDenied):
        member_leave(actor=bui_hui_head, member=team.members.first(), on=D(2023, 6, 1))


# --- forms -----------------------------------------------------------------------------------


def group_form(unit, **changes):
    data = {
        "kind": "communication_team",
        "name": "Tổ truyền thông cộng đồng thôn Kon Riêng",
        "org_unit": unit.pk,
        "school": "",
        "founded_on": "2023-10-02",
        "plan": "",
        "women_leadership": "",
        "channel": "facebook",
        "channel_address": "fb.com/groups/konrieng",
        "equipment": "01 loa kéo",
        "notes": "",
    }
    data.update(changes)
    return data


def test_a_village_head_records_a_group_of_their_village(client, village_head, villages):
    client.force_login(village_head)
    url = reverse("activities:community_group_create", kwargs={"pk": villages["Nước Đang"].pk})

    form = client.get(url).context["form"]
    response = client.post(url, group_form(villages["Nước Đang"]))

    assert [u.name for u in form.fields["org_unit"].queryset] == ["Nước Đang"]
    group = CommunityGroup.objects.get()
    assert response.status_code == 302 and response.url == detail_url(group)
    assert group.org_unit == villages["Nước Đang"] and group.channel == "facebook"
    assert list(group.statuses.values_list("status", "on")) == [("founded", D(2023, 10, 2))]
    assert AuditEvent.objects.filter(action="activities.group.created").count() == 1


def test_the_group_form_refuses_an_unknown_kind_a_future_date_and_another_village(
    client, village_head, villages
):
    client.force_login(village_head)
    url = reverse("activities:community_group_create", kwargs={"pk": villages["Nước Đang"].pk})

    response = client.post(
        url,
        group_form(
            villages["Bùi Hui"], kind="hop_tac_xa_ma", founded_on=D.today().replace(year=2100)
        ),
    )
    future = client.post(url, group_form(villages["Nước Đang"], founded_on="2100-01-01"))

    form = response.context["form"]
    assert form.errors["kind"] == ["“hop_tac_xa_ma” is not a kind of group."]
    assert "org_unit" in form.errors
    assert future.context["form"].errors["founded_on"] == [
        "01/01/2100 is in the future; record what has been carried out."
    ]
    assert not CommunityGroup.objects.exists()


def test_unknown_kinds_and_future_dates_are_refused_by_the_service(commune_officer, villages):
    with pytest.raises(ValidationError) as exc:
        community_group_create(
            actor=commune_officer,
            data=GroupInput(
                kind="hop_tac_xa_ma",
                name="X",
                org_unit=villages["Bùi Hui"],
                founded_on=D(2100, 1, 1),
            ),
        )

    assert exc.value.message_dict == {
        "kind": ["“hop_tac_xa_ma” is not a kind of group."],
        "founded_on": ["01/01/2100 is in the future; record what has been carried out."],
    }
    assert not CommunityGroup.objects.exists()


def test_editing_over_someone_elses_change_is_refused(
    client, commune_officer, villages, ethnic_groups
):
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    url = reverse("activities:community_group_edit", kwargs={"pk": team.pk})
    client.force_login(commune_officer)
    loaded = team.version

    first = client.post(url, group_form(team.org_unit, name="Tên mới", version=loaded))
    second = client.post(url, group_form(team.org_unit, name="Tên khác", version=loaded))

    assert first.status_code == 302
    assert second.status_code == 200 and second.context["form"].non_field_errors()
    team.refresh_from_db()
    assert team.name == "Tên mới"


def test_the_status_form_records_a_status_and_refuses_a_day_before_founding(
    client, commune_officer, villages, ethnic_groups
):
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    url = reverse("activities:community_group_status", kwargs={"pk": team.pk})
    client.force_login(commune_officer)

    ok = client.post(url, {"status": "maintained", "on": "2023-12-20", "note": "Họp định kỳ"})
    early = client.post(url, {"status": "paused", "on": "2023-01-01"})
    future = client.post(url, {"status": "paused", "on": "2100-01-01"})

    assert ok.status_code == 302
    assert early.status_code == 200
    assert early.context["status_form"].errors == {"on": ["before the group was founded."]}
    assert future.context["status_form"].errors == {
        "on": ["01/01/2100 is in the future; record what has been carried out."]
    }
    assert list(team.statuses.values_list("status", flat=True)) == ["founded", "maintained"]
    page = client.get(detail_url(team)).content.decode()
    assert "20/12/2023" in page and "Họp định kỳ" in page


def member_rows(*rows, total=5):
    data = {"m-TOTAL_FORMS": str(total), "m-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"m-{i}-{k}": v for k, v in row.items()})
    return data


def test_members_are_added_in_one_go_and_empty_blocks_are_left_out(
    client, commune_officer, villages, ethnic_groups
):
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    url = reverse("activities:community_group_members_add", kwargs={"pk": team.pk})
    client.force_login(commune_officer)
    hre = ethnic_groups["19"]

    response = client.post(
        url,
        member_rows(
            {
                "full_name": "Đinh Văn Mới",
                "sex": "M",
                "ethnic_group": hre.pk,
                "birth_year": "1992",
                "role": "core",
                "joined_on": "2023-11-01",
            },
            {
                "full_name": "Phạm Thị Mới",
                "sex": "F",
                "ethnic_group": hre.pk,
                "role": "member",
                "joined_on": "2023-11-01",
            },
        ),
    )

    assert response.status_code == 302
    assert team.members.count() == 8
    assert team.members.get(full_name="Đinh Văn Mới").role == "core"


def test_adding_members_names_each_wrong_block_and_saves_none(
    client, commune_officer, villages, ethnic_groups
):
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    url = reverse("activities:community_group_members_add", kwargs={"pk": team.pk})
    client.force_login(commune_officer)
    hre = ethnic_groups["19"]

    response = client.post(
        url,
        member_rows(
            {
                "full_name": "Đinh Văn Đúng",
                "sex": "M",
                "ethnic_group": hre.pk,
                "joined_on": "2023-11-01",
            },
            {
                "full_name": "Phạm Thị Tương Lai",
                "sex": "F",
                "ethnic_group": hre.pk,
                "joined_on": "2100-11-01",
            },
            {"full_name": "Không Dân Tộc", "sex": "F", "joined_on": "2023-11-01"},
        ),
    )

    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert [form.errors for form in forms[:3]] == [
        {},
        {"joined_on": ["01/11/2100 is in the future; record what has been carried out."]},
        {"ethnic_group": ["required."]},
    ]
    assert team.members.count() == 6


def test_a_member_leaves_on_a_day_and_not_before_joining(
    client, commune_officer, villages, ethnic_groups
):
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    member = team.members.get(full_name="Đinh Thị Mai")
    url = reverse("activities:community_member_leave", kwargs={"pk": member.pk})
    client.force_login(commune_officer)

    early = client.post(url, {"left_on": "2023-01-01", "version": "1"}, follow=True)
    member.refresh_from_db()
    assert member.left_on is None
    assert early.status_code == 200 and "Đinh Thị Mai" in early.content.decode()

    done = client.post(url, {"left_on": "2023-12-31", "version": "1"})

    member.refresh_from_db()
    assert done.status_code == 302 and member.left_on == D(2023, 12, 31)
    with pytest.raises(ValidationError):
        member_leave(actor=commune_officer, member=member, on=D(2023, 2, 1))


def test_the_service_refuses_a_member_who_left_before_joining(
    commune_officer, villages, ethnic_groups
):
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)

    with pytest.raises(ValidationError) as exc:
        community_group_create(
            actor=commune_officer,
            data=GroupInput(
                kind="communication_team",
                name="Tổ B",
                org_unit=team.org_unit,
                founded_on=D(2023, 3, 1),
            ),
            members=[
                MemberInput(
                    "Đinh Văn Ngược", "M", ethnic_groups["19"], D(2023, 5, 1), left_on=D(2023, 4, 1)
                )
            ],
        )

    assert exc.value.message_dict == {"members.1.left_on": ["before the date joined."]}
    assert CommunityGroupMember.objects.filter(full_name="Đinh Văn Ngược").count() == 0


# --- the group's page ------------------------------------------------------------------------


def test_the_group_page_lists_status_history_equipment_and_the_events_it_held(
    client, commune_officer, ba_trang_plan, villages, ethnic_groups
):
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    community_group_status_set(
        actor=commune_officer, group=team, status="maintained", on=D(2023, 9, 1), note="Sinh hoạt"
    )
    event_create(
        actor=commune_officer,
        data=EventInput(
            plan=ba_trang_plan,
            activity=ProgramElement.objects.get(code="1719.GD1.DA8.ND1.HD2.2"),
            kind=Event.Kind.COMMUNICATION,
            title="Truyền thông xóa bỏ tảo hôn",
            held_on=D(2023, 11, 5),
            org_unit=villages["Nước Đang"],
            group=team,
            counts=[CountInput("F", True, "adult", 20), CountInput("M", True, "adult", 8)],
        ),
    )
    client.force_login(commune_officer)

    page = client.get(detail_url(team)).content.decode()

    assert "01/03/2023" in page and "01/09/2023" in page and "Sinh hoạt" in page
    assert "01 loa kéo" in page
    (held,) = lxml.html.fromstring(page).xpath('//ul[@class="group-event-list"]/li')
    held = " ".join(held.text_content().split())
    assert held.startswith("05/11/2023 — Truyền thông xóa bỏ tảo hôn (")
    assert held.endswith(", 28 participants)")  # 20 women and 8 men


def test_the_group_page_runs_a_fixed_number_of_queries(
    client, commune_officer, villages, ethnic_groups, django_assert_num_queries
):
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    client.force_login(commune_officer)
    with_six = queries(client, detail_url(team))
    for i in range(20):
        CommunityGroupMember.objects.create(
            group=team,
            full_name=f"Người {i}",
            sex="F",
            ethnic_group=ethnic_groups["30"],
            joined_on=D(2023, 4, 1),
        )
        CommunityGroupStatus.objects.create(group=team, status="maintained", on=D(2023, 4, 1))

    with django_assert_num_queries(with_six):
        client.get(detail_url(team))


def test_the_group_page_lists_its_files_for_download_to_those_who_may_see_it(
    client, commune_officer, other_commune_officer, villages, ethnic_groups
):
    team = make_team(commune_officer, villages["Nước Đang"], ethnic_groups)
    photo = SimpleUploadedFile("ra-mat-to.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    attachment = attachment_add(actor=commune_officer, upload=photo, group=team)
    download = reverse("activities:attachment_download", kwargs={"pk": attachment.pk})
    client.force_login(commune_officer)

    page = client.get(detail_url(team)).content.decode()
    got = client.get(download)
    client.force_login(other_commune_officer)
    refused = client.get(download)

    assert "ra-mat-to.png" in page and download in page
    assert got.status_code == 200
    assert refused.status_code == 404
