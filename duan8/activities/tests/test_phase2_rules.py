"""The 2026–2030 indicators count records by rules of their own (issue 12, point 6): a 2027 plan's
progress shows computed values for them; the rules are provisional like the structure, and an
administrator edits them where the phase-I rules are edited (the rules file, reloaded)."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from duan8.accounts.tests.factories import UserFactory, membership
from duan8.activities.models import Event, IndicatorRule
from duan8.activities.rules import RULES_FILE, indicator_rules_load
from duan8.activities.selectors.progress import plan_progress
from duan8.activities.values import SYSTEM
from duan8.core.schemas import FileInvalid
from duan8.programs.models import ProgramElement
from duan8.programs.plan_new import EMPTY, plan_new

POLICY_TRAININGS = "MTQG2635.GD1.DA8.ND1.2"
DIALOGUES = "MTQG2635.GD1.DA8.ND3.1"


@pytest.fixture
def plan_2027(program_structure, indicator_rules, ba_trang_merger, villages):
    return plan_new(actor=None, unit=ba_trang_merger, year=2027, source=EMPTY).plan


def event_2027(plan, code: str, kind: str, unit, day=datetime.date(2027, 3, 8)) -> Event:
    return Event.objects.create(
        plan=plan,
        activity=ProgramElement.objects.get(code=code),
        kind=kind,
        title="Tập huấn 04 gói chính sách 2027",
        held_on=day,
        org_unit=unit,
    )


def test_every_phase_two_indicator_has_its_own_provisional_rule(indicator_rules):
    indicators = ProgramElement.objects.filter(
        code__startswith="MTQG2635.", kind=ProgramElement.Kind.INDICATOR
    )

    ruled = IndicatorRule.objects.filter(element__in=indicators)

    assert set(ruled.values_list("element__code", flat=True)) == {e.code for e in indicators}
    assert all("chưa kiểm chứng" in rule.description for rule in ruled)
    assert not any(e.verified for e in indicators)


@time_machine.travel(datetime.datetime(2027, 9, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_a_2027_event_is_counted_in_the_phase_two_indicator_of_a_2027_plan(plan_2027, villages):
    event_2027(plan_2027, POLICY_TRAININGS, "training", plan_2027.issuing_unit)
    event_2027(plan_2027, POLICY_TRAININGS, "nomination", villages["Bùi Hui"])
    event_2027(plan_2027, DIALOGUES, "dialogue", villages["Kon Riêng"])
    event_2027(plan_2027, POLICY_TRAININGS, "communication", villages["Bùi Hui"])  # not counted

    progress = plan_progress(actor=SYSTEM, plan=plan_2027)

    lines = {line.line.element.code: line for line in progress.lines}
    assert plan_2027.project.code == "MTQG2635.GD1.DA8"
    assert lines[POLICY_TRAININGS].measured
    assert lines[POLICY_TRAININGS].actual == 2
    assert lines[DIALOGUES].actual == 1


@time_machine.travel(datetime.datetime(2027, 9, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_the_2027_progress_page_shows_the_computed_value(client, plan_2027, ba_trang_merger):
    officer = UserFactory(username="hlhpn.dangthuytram")
    membership(officer, ba_trang_merger, "commune_wu_officer")
    event_2027(plan_2027, POLICY_TRAININGS, "training", ba_trang_merger)
    element = ProgramElement.objects.get(code=POLICY_TRAININGS)
    client.force_login(officer)

    response = client.get(reverse("activities:plan_progress", args=[plan_2027.pk]))

    assert response.status_code == 200
    row = response.content.decode()
    start = row.index(f'id="line-{element.pk}"')
    assert ">1<" in row[start : row.index("</tr>", start)].replace(" ", "")


@time_machine.travel(datetime.datetime(2027, 9, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_a_reader_of_another_commune_sees_no_2027_progress(
    client, plan_2027, other_commune_officer
):
    client.force_login(other_commune_officer)

    response = client.get(reverse("activities:plan_progress", args=[plan_2027.pk]))

    assert response.status_code == 404


def test_the_administrator_edits_a_phase_two_rule_in_the_rules_file(program_structure, tmp_path):
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    for rule in data["rules"]:
        if rule["element"] == DIALOGUES:
            rule["filters"] = {"kinds": ["dialogue", "forum"], "activities": ["MTQG2635.GD1.DA8"]}
    path = tmp_path / "indicator_rules.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    call_command("load_indicator_rules", "--file", str(path), stdout=io.StringIO())

    rule = IndicatorRule.objects.get(element__code=DIALOGUES)
    assert rule.filters["kinds"] == ["dialogue", "forum"]


def test_a_phase_two_rule_marked_verified_is_refused(program_structure, tmp_path):
    path = tmp_path / "rules.json"
    rule = {"element": DIALOGUES, "source": "events", "filters": {"kinds": ["dialogue"]}}
    path.write_text(
        json.dumps({"format": "duan8.indicator_rules/1", "rules": [rule]}), encoding="utf-8"
    )

    with pytest.raises(FileInvalid) as caught:
        indicator_rules_load(path=path)

    assert DIALOGUES in " ".join(caught.value.lines())
    assert not IndicatorRule.objects.filter(element__code=DIALOGUES).exists()
