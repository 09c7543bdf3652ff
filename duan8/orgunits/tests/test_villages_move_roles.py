"""The people go with the villages a merged commune takes over (issue 12, points 5 and 7): the head
of thôn Nước Đang of xã Ba Trang keeps recording, in 2027, in xã Đặng Thùy Trâm's Nước Đang."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from duan8.accounts.models import Membership
from duan8.accounts.permissions import RECORDS_EDIT
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.models import Event
from duan8.activities.services.events import CountInput, EventInput, event_create, plan_activities
from duan8.core.audit import AuditEvent
from duan8.orgunits.access import can
from duan8.orgunits.models import OrgUnit
from duan8.orgunits.villages_move import villages_take_over
from duan8.programs.plan_new import EMPTY, plan_new

D = datetime.date
REFORM = D(2025, 7, 1)
LAST_DAY = D(2025, 6, 30)
IN_2027 = datetime.datetime(2027, 3, 10, 9, tzinfo=datetime.UTC)
ROLE_EVENTS = ("accounts.role.ended", "accounts.role.granted")


@pytest.fixture
def dtt_officer(ba_trang_merger):
    user = UserFactory.create(username="hlhpn.dangthuytram")
    membership(user, ba_trang_merger, "commune_wu_officer")
    return user


def _new(commune, name):
    return commune.children.get(level=OrgUnit.Level.VILLAGE, name=name)


def _event(plan, village, held_on):
    return EventInput(
        plan=plan,
        activity=plan_activities(plan)[0],
        kind="communication",
        title=f"Truyền thông thôn {village.name}",
        held_on=held_on,
        org_unit=village,
        counts=[CountInput("F", True, "adult", 10)],
    )


def _fresh(user):
    """The user as a new request reads her (rights are cached on the instance)."""
    return type(user).objects.get(pk=user.pk)


def test_the_village_head_records_in_the_new_nuoc_dang_in_2027_and_no_longer_in_the_old_one(
    program_structure, ethnic_groups, ba_trang_merger, villages, village_head, dtt_officer
):
    old = villages["Nước Đang"]

    villages_take_over(actor=dtt_officer, commune=ba_trang_merger)
    new = _new(ba_trang_merger, "Nước Đang")
    plan = plan_new(actor=None, unit=ba_trang_merger, year=2027, source=EMPTY).plan

    with time_machine.travel(IN_2027, tick=False):
        head = _fresh(village_head)
        event = event_create(actor=head, data=_event(plan, new, D(2027, 3, 9)))
        assert can(head, RECORDS_EDIT, new) and not can(head, RECORDS_EDIT, old)
        with pytest.raises(PermissionDenied):
            event_create(actor=_fresh(village_head), data=_event(plan, old, D(2027, 3, 8)))
    assert Event.objects.filter(org_unit=new).get() == event
    assert not Event.objects.filter(org_unit=old).exists()
    ended = Membership.objects.get(user=village_head, org_unit=old)
    moved = Membership.objects.get(user=village_head, org_unit=new)
    assert (ended.valid_to, moved.valid_from, moved.valid_to) == (LAST_DAY, REFORM, None)
    assert moved.role == ended.role and moved.role.code == "village_head"
    events = AuditEvent.objects.filter(action__in=ROLE_EVENTS).order_by("pk")
    assert [(e.action, e.org_unit, e.actor) for e in events] == [
        ("accounts.role.ended", old, dtt_officer),
        ("accounts.role.granted", new, dtt_officer),
    ]
    assert all("Nước Đang" in e.message for e in events)


def test_taking_over_again_moves_no_role_twice(ba_trang_merger, villages, village_head):
    first = villages_take_over(actor=None, commune=ba_trang_merger)
    again = villages_take_over(actor=None, commune=ba_trang_merger)

    assert len(first.roles) == 1 and again.roles == []
    assert Membership.objects.filter(user=village_head).count() == 2
    assert AuditEvent.objects.filter(action__in=ROLE_EVENTS).count() == 2
    assert any("Đinh Văn Nước" in line for line in first.lines())


def test_a_role_left_in_a_village_taken_over_before_is_moved_by_the_next_call(
    ba_trang_merger, villages
):
    villages_take_over(actor=None, commune=ba_trang_merger)
    worker = UserFactory.create(username="ytt.buihui", full_name="Đinh Thị Y")
    left = membership(worker, villages["Bùi Hui"], "village_head")

    result = villages_take_over(actor=None, commune=ba_trang_merger)

    left.refresh_from_db()
    assert result.created == [] and len(result.roles) == 1
    assert left.valid_to == LAST_DAY
    assert Membership.objects.get(user=worker, valid_from=REFORM).org_unit == _new(
        ba_trang_merger, "Bùi Hui"
    )


def test_a_role_ended_before_the_old_villages_last_day_is_not_moved(ba_trang_merger, villages):
    former = UserFactory.create(username="tt.buihui.cu")
    ended = membership(former, villages["Bùi Hui"], "village_head")
    Membership.objects.filter(pk=ended.pk).update(valid_to=D(2024, 12, 31))

    result = villages_take_over(actor=None, commune=ba_trang_merger)

    assert result.roles == []
    assert Membership.objects.get(user=former).valid_to == D(2024, 12, 31)


def test_a_person_already_holding_the_role_in_the_new_village_gets_no_second_one(
    ba_trang_merger, villages, village_head
):
    villages_take_over(actor=None, commune=ba_trang_merger)
    new = _new(ba_trang_merger, "Nước Đang")
    other = UserFactory.create(username="tt.nuocdang.2")
    membership(other, new, "village_head")
    left = membership(other, villages["Nước Đang"], "village_head")

    result = villages_take_over(actor=None, commune=ba_trang_merger)

    left.refresh_from_db()
    assert len(result.roles) == 1 and left.valid_to == LAST_DAY
    assert Membership.objects.filter(user=other, org_unit=new).count() == 1
    assert AuditEvent.objects.filter(action="accounts.role.granted").count() == 1  # the head's


def test_the_preview_page_lists_the_people_whose_roles_move(
    client, ba_trang_merger, villages, village_head, dtt_officer
):
    client.force_login(dtt_officer)

    page = client.get(reverse("orgunits:villages_take_over", args=[ba_trang_merger.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    roles = html.split('id="roles-moved"', 1)[1].split("</section>")[0]
    assert "Đinh Văn Nước" in roles and "Thôn Nước Đang" in roles and "01/07/2025" in roles


def test_a_reader_may_not_take_over_and_the_village_heads_role_stays(
    ba_trang_merger, villages, village_head
):
    reader = UserFactory.create(username="mttq.dangthuytram")
    membership(reader, ba_trang_merger, "fatherland_front")

    with pytest.raises(PermissionDenied):
        villages_take_over(actor=reader, commune=ba_trang_merger)

    assert Membership.objects.get(user=village_head).valid_to is None
    assert not AuditEvent.objects.filter(action__in=ROLE_EVENTS).exists()
