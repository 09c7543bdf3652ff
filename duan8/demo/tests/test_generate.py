import datetime
import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    Event,
    IndicatorRule,
    ParticipantCount,
)
from duan8.activities.rule_filters import Period
from duan8.activities.values import SYSTEM, Measure, indicator_values
from duan8.activities.values.queries import rule_values
from duan8.core.models import AuditEvent
from duan8.demo.generator import DEMO_MARK
from duan8.demo.generator.extra_rules import extra_rules_load
from duan8.orgunits.models import REFORM_DATE, OrgUnit, OrgUnitSuccession
from duan8.programs.models import Plan

D = datetime.date
OLD = OrgUnit.CodeScheme.QD124_2004
NEW = OrgUnit.CodeScheme.QD19_2025

pytestmark = pytest.mark.django_db


def _generate(seed: int = 8) -> str:
    out = StringIO()
    call_command("generate_demo", scale="commune", seed=seed, stdout=out)
    return out.getvalue()


def _fingerprint() -> str:
    """What a user would see of the generated records, without database ids."""
    rows = Event.objects.order_by("held_on", "org_unit__code", "kind", "title", "cost")
    text = [
        (e.held_on, e.org_unit.code, e.kind, e.title, e.cost, e.activity.code)
        for e in rows.select_related("org_unit", "activity")
    ]
    text += list(
        ParticipantCount.objects.order_by(
            "event__held_on",
            "event__org_unit__code",
            "event__title",
            "sex",
            "minority",
            "age_group",
        ).values_list("event__held_on", "sex", "minority", "age_group", "count")
    )
    text += list(
        CommunityGroupMember.objects.order_by("group__name", "full_name", "birth_year").values_list(
            "group__name", "full_name", "sex", "birth_year"
        )
    )
    text += list(OrgUnit.objects.order_by("code").values_list("code", "name", "kind"))
    return hashlib.sha256(repr(text).encode()).hexdigest()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Quảng Ngãi's map and xã Ba Trang's demo data, made once for the module inside a
    transaction rolled back at its end (as Django's ``setUpTestData``): each test runs in a
    savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _generate()
        transaction.set_rollback(True)


def test_the_commune_scale_fills_ba_trang_for_five_years(demo):
    ba_trang = OrgUnit.objects.get(code_scheme=OLD, code="21520")
    villages = OrgUnit.objects.filter(parent=ba_trang, level=OrgUnit.Level.VILLAGE)

    assert 10 <= villages.count() <= 30
    years = set(Event.objects.values_list("held_on__year", flat=True))
    assert years == {2021, 2022, 2023, 2024, 2025}
    assert Plan.objects.filter(issuing_unit=ba_trang, proposal=DEMO_MARK).count() == 5
    assert CommunityGroup.objects.filter(kind="communication_team").exists()
    assert "2021–2025" in demo


def test_participants_are_mostly_women_and_ethnic_minority(demo):
    counts = ParticipantCount.objects.values_list("sex", "minority", "count")
    total = sum(n for _s, _m, n in counts)
    women = sum(n for s, _m, n in counts if s == "F")
    minority = sum(n for _s, m, n in counts if m)

    assert total > 1000
    assert 0.5 < women / total < 0.8
    assert minority / total > 0.8


def test_after_the_reform_records_sit_on_the_new_commune_and_its_copied_villages(demo):
    dang_thuy_tram = OrgUnit.objects.get(code_scheme=NEW, code="21520")
    ba_trang = OrgUnit.objects.get(code_scheme=OLD, code="21520")

    later = Event.objects.filter(held_on__gte=REFORM_DATE)
    earlier = Event.objects.filter(held_on__lt=REFORM_DATE)
    assert later.exists()
    assert all(e.org_unit.path.startswith(dang_thuy_tram.path) for e in later)
    assert all(e.org_unit.path.startswith(ba_trang.path) for e in earlier)
    copies = OrgUnitSuccession.objects.filter(
        predecessor__parent=ba_trang, successor__parent=dang_thuy_tram
    )
    assert copies.count() == OrgUnit.objects.filter(parent=ba_trang).count()


def test_the_same_seed_gives_the_same_data_and_a_rerun_replaces_it(demo):
    before = _fingerprint()
    events = Event.objects.count()

    output = _generate()

    assert _fingerprint() == before
    assert Event.objects.count() == events
    assert "replaced" in output or "thay" in output
    assert AuditEvent.objects.filter(action="reports.demo.generated").count() == 2


def test_another_seed_gives_other_records_on_the_villages_already_made(demo):
    before = _fingerprint()
    villages = set(OrgUnit.objects.filter(level=OrgUnit.Level.VILLAGE).values_list("pk"))

    _generate(seed=9)

    assert _fingerprint() != before
    assert villages <= set(OrgUnit.objects.filter(level=OrgUnit.Level.VILLAGE).values_list("pk"))


def test_the_roll_up_agrees_with_rule_values_for_every_rule_and_village(demo):
    extra_rules_load()
    ba_trang = OrgUnit.objects.get(code_scheme=OLD, code="21520")
    for year in (2022, 2024):
        data = indicator_values(actor=SYSTEM, unit=ba_trang, period=year, as_of=D(year, 12, 31))
        villages = {v.path: v for v in data.children}
        expected: dict[tuple[int, int], int] = {}
        for rule in IndicatorRule.objects.select_related("element"):
            for unit_id, value in rule_values(
                rule, path=ba_trang.path, period=Period.year(year)
            ).items():
                unit = OrgUnit.objects.get(pk=unit_id)
                village = villages.get(unit.path[: len(ba_trang.path) + 9])
                for shown in (ba_trang, village):
                    if shown is not None:
                        key = (shown.pk, rule.element_id)
                        expected[key] = expected.get(key, 0) + value
        got = {
            (row.unit.pk, row.element.pk): row.value
            for row in data
            if row.measure == Measure.VALUE and row.value
        }
        assert got == expected
        assert len({element for _unit, element in got}) >= 30  # most indicators are exercised


def test_2025_on_the_new_map_is_the_old_communes_half_year_plus_the_new_ones(demo):
    extra_rules_load()
    ba_trang = OrgUnit.objects.get(code_scheme=OLD, code="21520")
    dang_thuy_tram = OrgUnit.objects.get(code_scheme=NEW, code="21520")

    data = indicator_values(actor=SYSTEM, unit=dang_thuy_tram, period=2025, as_of=D(2026, 1, 1))

    for rule in IndicatorRule.objects.select_related("element"):
        parts = [
            sum(rule_values(rule, path=unit.path, period=Period.year(2025)).values())
            for unit in (ba_trang, dang_thuy_tram)
        ]
        if rule.source in ("groups", "members"):
            # The groups of the old villages carry on after the reform (the new commune founds
            # none): the new map counts each once.
            assert data.value(dang_thuy_tram, rule.element) == parts[0]
        else:
            assert data.value(dang_thuy_tram, rule.element) == sum(parts)


def test_the_2026_view_of_the_new_province_holds_ba_trangs_figures(demo):
    ba_trang = OrgUnit.objects.get(code_scheme=OLD, code="21520")
    dang_thuy_tram = OrgUnit.objects.get(code_scheme=NEW, code="21520")
    province = dang_thuy_tram.parent

    old = indicator_values(actor=SYSTEM, unit=ba_trang, period=2023, as_of=D(2023, 12, 31))
    new = indicator_values(actor=SYSTEM, unit=province, period=2023, as_of=D(2026, 1, 1))

    for element in old.elements:
        assert new.value(dang_thuy_tram, element) == old.value(ba_trang, element)
        assert new.value(province, element) == old.value(ba_trang, element)
    # Village by village too: each old village's figures sit on its copy.
    own = indicator_values(actor=SYSTEM, unit=dang_thuy_tram, period=2023, as_of=D(2026, 1, 1))
    copy_of = dict(
        OrgUnitSuccession.objects.filter(predecessor__parent=ba_trang).values_list(
            "predecessor_id", "successor_id"
        )
    )
    for village in old.children:
        copy = OrgUnit.objects.get(pk=copy_of[village.pk])
        for element in old.elements:
            assert own.value(copy, element) == old.value(village, element)
