"""A merged commune takes over its predecessors' villages (issue 12, points 5 and 7): xã Đặng Thùy
Trâm's officer then keeps them (records, renames) and the roll-up counts their past there."""

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from duan8.accounts.permissions import RECORDS_EDIT
from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.models import Event
from duan8.activities.services.events import CountInput, EventInput, event_create, plan_activities
from duan8.activities.values.engine import indicator_values
from duan8.activities.values.result import SYSTEM
from duan8.core.audit import AuditEvent
from duan8.legal.models import LegalDocument
from duan8.orgunits.access import can
from duan8.orgunits.inherited import villages_on
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute, OrgUnitSuccession
from duan8.orgunits.services import org_unit_save_with_path
from duan8.orgunits.villages import village_rename
from duan8.orgunits.villages_move import villages_take_over, villages_take_over_preview
from duan8.programs.plan_new import EMPTY, plan_new
from duan8.testing import event_samples

D = datetime.date
DBKK = OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE
REFORM = D(2025, 7, 1)
LAST_DAY = D(2025, 6, 30)


@pytest.fixture
def dtt_officer(ba_trang_merger):
    user = UserFactory.create(username="hlhpn.dangthuytram")
    membership(user, ba_trang_merger, "commune_wu_officer")
    return user


@pytest.fixture
def dbkk_decision(db):
    return LegalDocument.objects.create(
        kind=LegalDocument.Kind.DECISION,
        number="612",
        symbol="QĐ-UBDT",
        issued_on=D(2021, 9, 16),
        issuer="Ủy ban Dân tộc",
        title="Phê duyệt danh sách các thôn đặc biệt khó khăn",
    )


def _own(commune):
    return {v.name: v for v in commune.children.filter(level=OrgUnit.Level.VILLAGE)}


def test_the_villages_move_to_the_merged_commune_with_their_dbkk(
    ba_trang_merger, villages, ba_kham_village, dtt_officer, dbkk_decision
):
    bui_hui = villages["Bùi Hui"]
    OrgUnitAttribute.objects.create(
        org_unit=bui_hui, key=DBKK, valid_from=D(2021, 9, 16), decision=dbkk_decision
    )
    OrgUnitSuccession.objects.filter(successor=ba_trang_merger).update(
        legal_act="NQ 1677/NQ-UBTVQH15"
    )

    result = villages_take_over(actor=dtt_officer, commune=ba_trang_merger)

    own = _own(ba_trang_merger)
    assert sorted(own) == ["Bùi Hui", "Kon Riêng", "Làng Rêu", "Nước Đang"]
    assert len(result.created) == 4
    new = own["Bùi Hui"]
    assert (new.kind, new.valid_from, new.valid_to) == ("Thôn", REFORM, None)
    assert new.path.startswith(ba_trang_merger.path)
    edge = OrgUnitSuccession.objects.get(predecessor=bui_hui)
    assert (edge.successor, edge.kind, edge.effective_on, edge.is_primary) == (
        new,
        OrgUnitSuccession.Kind.UNCHANGED,
        REFORM,
        True,
    )
    assert edge.legal_act == "NQ 1677/NQ-UBTVQH15" == new.legal_act
    carried = new.attributes.get(key=DBKK)
    assert (carried.valid_from, carried.valid_to, carried.decision) == (REFORM, None, dbkk_decision)
    assert bui_hui.attributes.get(key=DBKK).valid_to == LAST_DAY
    assert not own["Kon Riêng"].attributes.exists()
    bui_hui.refresh_from_db()
    assert bui_hui.valid_to == LAST_DAY
    event = AuditEvent.objects.get(action="orgunits.villages.taken_over")
    assert event.actor == dtt_officer and event.org_unit == ba_trang_merger
    # the commune's villages are now its own, no longer the inherited ones
    assert villages_on(commune=ba_trang_merger, on=D(2027, 1, 1)) == sorted(
        own.values(), key=lambda v: (v.name, v.pk)
    )


def test_an_old_village_still_open_ends_on_its_communes_last_day(ba_trang_merger, villages):
    kon_rieng = villages["Kon Riêng"]
    kon_rieng.valid_to = None
    kon_rieng.save(update_fields=["valid_to"])

    villages_take_over(actor=None, commune=ba_trang_merger)

    kon_rieng.refresh_from_db()
    assert kon_rieng.valid_to == LAST_DAY


def test_a_second_take_over_creates_nothing_and_says_so(ba_trang_merger, villages, dtt_officer):
    villages_take_over(actor=dtt_officer, commune=ba_trang_merger)

    again = villages_take_over(actor=dtt_officer, commune=ba_trang_merger)

    assert again.created == [] and len(again.done) == 3
    assert len(again.lines()) == 1 and "Đặng Thùy Trâm" in again.lines()[0]
    assert ba_trang_merger.children.count() == 3
    assert OrgUnitSuccession.objects.filter(kind=OrgUnitSuccession.Kind.UNCHANGED).count() == 3
    assert AuditEvent.objects.filter(action="orgunits.villages.taken_over").count() == 1
    assert villages_take_over_preview(commune=ba_trang_merger).moves == []


def test_same_names_in_two_predecessors_get_their_old_communes_name(
    ba_trang_merger, villages, ba_kham
):
    org_unit_save_with_path(
        OrgUnit(
            code_scheme=OrgUnit.CodeScheme.LOCAL,
            code="21508-02",
            name="Bùi Hui",
            level=OrgUnit.Level.VILLAGE,
            kind="Thôn",
            parent=ba_kham,
            valid_to=ba_kham.valid_to,
        )
    )

    villages_take_over(actor=None, commune=ba_trang_merger)

    assert sorted(_own(ba_trang_merger)) == [
        "Bùi Hui (Ba Khâm)",
        "Bùi Hui (Ba Trang)",
        "Kon Riêng",
        "Nước Đang",
    ]


def test_a_village_the_commune_already_has_keeps_its_name_and_the_new_one_is_told_apart(
    ba_trang_merger, villages, dtt_officer
):
    org_unit_save_with_path(
        OrgUnit(
            code_scheme=OrgUnit.CodeScheme.LOCAL,
            code="DTT-01",
            name="Nước Đang",
            level=OrgUnit.Level.VILLAGE,
            kind="Thôn",
            parent=ba_trang_merger,
            valid_from=REFORM,
        )
    )

    preview = villages_take_over_preview(commune=ba_trang_merger)

    assert [m.name for m in preview.moves if m.renamed] == ["Nước Đang (Ba Trang)"]


def test_a_predecessor_split_between_communes_is_left_out_with_the_reason(
    ba_trang_merger, villages, ba_kham_village, new_quang_ngai
):
    other = org_unit_save_with_path(
        OrgUnit(
            code_scheme=OrgUnit.CodeScheme.QD19_2025,
            code="21999",
            name="Khác",
            level=OrgUnit.Level.COMMUNE,
            kind="Xã",
            parent=new_quang_ngai,
            valid_from=REFORM,
        )
    )
    ba_kham = ba_kham_village.parent
    OrgUnitSuccession.objects.filter(predecessor=ba_kham).update(kind="split")
    OrgUnitSuccession.objects.create(
        predecessor=ba_kham, successor=other, kind="split", effective_on=REFORM, is_primary=False
    )

    result = villages_take_over(actor=None, commune=ba_trang_merger)

    assert sorted(_own(ba_trang_merger)) == ["Bùi Hui", "Kon Riêng", "Nước Đang"]
    assert [unit for unit, _why in result.left_out] == [ba_kham]
    assert "Ba Khâm" in result.lines()[-1]


def test_a_reader_of_the_commune_may_not_take_over(ba_trang_merger, villages):
    reader = UserFactory.create(username="mttq.dangthuytram")
    membership(reader, ba_trang_merger, "fatherland_front")

    with pytest.raises(PermissionDenied):
        villages_take_over(actor=reader, commune=ba_trang_merger)

    assert not ba_trang_merger.children.exists()


def test_another_communes_officer_may_not_take_over(
    ba_trang_merger, villages, commune_officer, other_commune_officer
):
    for officer in (commune_officer, other_commune_officer):  # Ba Trang's, Ba Khâm's
        with pytest.raises(PermissionDenied):
            villages_take_over(actor=officer, commune=ba_trang_merger)

    assert not ba_trang_merger.children.exists()
    assert not AuditEvent.objects.filter(action="orgunits.villages.taken_over").exists()


def test_a_village_is_not_a_commune_to_take_over(ba_trang_merger, villages):
    with pytest.raises(ValidationError):
        villages_take_over(actor=None, commune=villages["Bùi Hui"])


def _event(plan, village, held_on):
    activity = plan_activities(plan)[0]
    return EventInput(
        plan=plan,
        activity=activity,
        kind="communication",
        title=f"Truyền thông thôn {village.name}",
        held_on=held_on,
        org_unit=village,
        counts=[CountInput("F", True, "adult", 10)],
    )


def test_the_merged_communes_officer_records_in_a_taken_over_village_in_2027(
    program_structure, ethnic_groups, ba_trang_merger, villages, dtt_officer, commune_officer
):
    villages_take_over(actor=dtt_officer, commune=ba_trang_merger)
    bui_hui = _own(ba_trang_merger)["Bùi Hui"]
    plan = plan_new(actor=None, unit=ba_trang_merger, year=2027, source=EMPTY).plan
    assert [r.village for r in plan.allocation_rows.filter(kind="village")] == list(
        ba_trang_merger.children.order_by("name")
    )

    with time_machine.travel(datetime.datetime(2027, 3, 10, 9, tzinfo=datetime.UTC), tick=False):
        event = event_create(actor=dtt_officer, data=_event(plan, bui_hui, D(2027, 3, 9)))
        with pytest.raises(PermissionDenied):  # Ba Trang's officer: the village is not hers
            event_create(actor=commune_officer, data=_event(plan, bui_hui, D(2027, 3, 8)))

    assert event.org_unit == bui_hui
    assert Event.objects.filter(org_unit=bui_hui).count() == 1
    assert can(dtt_officer, RECORDS_EDIT, bui_hui)
    assert not can(commune_officer, RECORDS_EDIT, bui_hui)
    assert not can(dtt_officer, RECORDS_EDIT, villages["Bùi Hui"])


def test_the_officer_renames_a_taken_over_village(ba_trang_merger, villages, dtt_officer):
    villages_take_over(actor=dtt_officer, commune=ba_trang_merger)
    kon_rieng = _own(ba_trang_merger)["Kon Riêng"]

    renamed = village_rename(
        village=kon_rieng, name="Kon Riêng Thượng", effective_on=D(2026, 9, 1), actor=dtt_officer
    )

    assert renamed.parent == ba_trang_merger
    names = {v.name for v in villages_on(commune=ba_trang_merger, on=D(2027, 1, 1))}
    assert names == {"Bùi Hui", "Kon Riêng Thượng", "Nước Đang"}


def test_the_2023_records_of_an_old_village_count_in_its_successor_for_the_merged_commune(
    ba_trang_plan, ethnic_groups, indicator_rules, ba_trang_merger, villages, commune_officer
):
    event_samples(ba_trang_plan, villages, commune_officer)
    old = villages["Bùi Hui"]
    then = indicator_values(actor=SYSTEM, unit=old.parent, period=2023, as_of=D(2023, 12, 31))

    villages_take_over(actor=None, commune=ba_trang_merger)
    new = _own(ba_trang_merger)["Bùi Hui"]
    now = indicator_values(actor=SYSTEM, unit=ba_trang_merger, period=2023, as_of=D(2027, 1, 1))

    assert new in now.children and old not in now.children
    counted = {e.code: then.actual(old, e) for e in then.elements if then.actual(old, e)}
    assert counted  # the dialogue in thôn Bùi Hui counts somewhere
    assert {code: now.actual(new, e) for e in now.elements if (code := e.code) in counted} == (
        counted
    )
    assert all(now.actual(v, e) == 0 for v in now.children if v != new for e in now.elements)


# --- the page and the command -----------------------------------------------------------------


def _url(name, unit):
    return reverse(f"orgunits:{name}", args=[unit.pk])


def test_the_merged_communes_page_offers_the_take_over_listing_what_it_creates(
    client, ba_trang_merger, villages, dtt_officer
):
    client.cookies["django_language"] = "en"
    client.force_login(dtt_officer)

    unit_page = client.get(_url("unit_detail", ba_trang_merger)).content.decode()
    page = client.get(_url("villages_take_over", ba_trang_merger))

    assert _url("villages_take_over", ba_trang_merger) in unit_page
    html = page.content.decode()
    assert page.status_code == 200
    assert "Thôn Bùi Hui" in html and "Xã Ba Trang" in html and "Take over 3 villages" in html


def test_the_page_takes_over_once_even_if_sent_twice(
    client, ba_trang_merger, villages, dtt_officer
):
    client.force_login(dtt_officer)
    data = {"once": "k" * 24}

    first = client.post(_url("villages_take_over", ba_trang_merger), data)
    again = client.post(_url("villages_take_over", ba_trang_merger), data)

    assert first.status_code == 302 and again.status_code == 302
    assert ba_trang_merger.children.count() == 3
    unit_page = client.get(_url("unit_detail", ba_trang_merger)).content.decode()
    assert _url("villages_take_over", ba_trang_merger) not in unit_page  # it has villages now


def test_the_page_is_refused_to_a_reader_and_hidden_from_another_commune(
    client, ba_trang_merger, villages, ba_kham
):
    reader = UserFactory.create(username="mttq.dangthuytram")
    membership(reader, ba_trang_merger, "fatherland_front")
    stranger = UserFactory.create(username="hlhpn.khac")
    membership(stranger, ba_kham, "commune_wu_officer")

    client.force_login(reader)
    read = client.get(_url("villages_take_over", ba_trang_merger))
    posted = client.post(_url("villages_take_over", ba_trang_merger), {"once": "r" * 24})
    client.force_login(stranger)
    hidden = client.post(_url("villages_take_over", ba_trang_merger), {"once": "s" * 24})

    assert read.status_code == 403 and posted.status_code == 403
    assert hidden.status_code == 404
    assert not ba_trang_merger.children.exists()


def test_the_command_takes_over_and_says_so_when_run_again(ba_trang_merger, villages):
    out = io.StringIO()
    call_command("villages_take_over", unit="21520", on="2026-01-01", stdout=out)
    call_command("villages_take_over", unit="21520", on="2026-01-01", stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == 5  # a summary and a line per village, then one line
    assert ba_trang_merger.children.count() == 3
    event = AuditEvent.objects.get(action="orgunits.villages.taken_over")
    assert event.actor is None and "command line" in event.actor_name


def test_the_command_refuses_a_code_that_is_no_commune_that_day(ba_trang_merger):
    with pytest.raises(CommandError):
        call_command("villages_take_over", unit="99999", stdout=io.StringIO())


def test_the_preview_reads_a_fixed_number_of_queries_however_many_villages(
    ba_trang_merger, villages, ba_kham, django_assert_max_num_queries
):
    for n in range(2, 12):
        org_unit_save_with_path(
            OrgUnit(
                code_scheme=OrgUnit.CodeScheme.LOCAL,
                code=f"21508-{n:02d}",
                name=f"Thôn {n}",
                level=OrgUnit.Level.VILLAGE,
                kind="Thôn",
                parent=ba_kham,
                valid_to=ba_kham.valid_to,
            )
        )

    with django_assert_max_num_queries(6):
        preview = villages_take_over_preview(commune=ba_trang_merger)

    assert len(preview.moves) == 13
