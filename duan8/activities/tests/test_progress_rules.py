"""The filters of indicator rules: one declaration (``rule_filters.SOURCES``), what the loader
accepts from it, and what happens to a filter a source does not have."""

import json

import pytest
from django.core.exceptions import ValidationError

from duan8.activities.models import IndicatorRule
from duan8.activities.rule_filters import SOURCES, Period, filter_problems
from duan8.activities.rules import RULES_FILE, indicator_rules_load
from duan8.activities.tests.rule_samples import EVERY_FILTER
from duan8.activities.values import SYSTEM, indicator_values
from duan8.activities.values.queries import rule_values
from duan8.programs.models import ProgramElement

pytestmark = pytest.mark.usefixtures("english")

SESSIONS = "1719.GD1.DA8.ND1.HD2.2"


def rules_file(tmp_path, *rules):
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"format": "duan8.indicator_rules/1", "rules": list(rules)}))
    return path


def rule(source, filters, element=SESSIONS):
    return {"element": element, "source": source, "filters": filters}


def test_the_samples_name_every_filter_of_every_source():
    """A filter added to a source without a sample rule naming it fails here: the readings of
    rules are tested against each other on ``EVERY_FILTER`` only."""
    declared = {(source, key) for source, spec in SOURCES.items() for key in spec.filters}

    named = {(source, key) for source, filters in EVERY_FILTER for key, v in filters.items() if v}

    assert named == declared
    assert set(SOURCES) == set(IndicatorRule.Source.values)


def test_every_sample_rule_is_accepted_by_the_loader(program_structure, tmp_path):
    path = rules_file(tmp_path, *(rule(source, filters) for source, filters in EVERY_FILTER))

    assert indicator_rules_load(path=path) == len(EVERY_FILTER)

    assert IndicatorRule.objects.count() == len(EVERY_FILTER)


def test_the_shipped_rules_load(program_structure):
    count = indicator_rules_load()

    assert count == len(json.loads(RULES_FILE.read_text(encoding="utf-8"))["rules"])
    assert IndicatorRule.objects.count() == count


def test_the_loader_refuses_a_filter_the_source_does_not_have(program_structure, tmp_path):
    path = rules_file(
        tmp_path,
        rule("events", {"kinds": ["dialogue"]}),
        rule("events", {"sex": "F"}),  # participants have a sex, events do not
        rule("cadres", {"kinds": ["training"], "color": "red"}),
    )

    with pytest.raises(ValidationError) as exc:
        indicator_rules_load(path=path)

    assert exc.value.messages == [
        f"rules.json: rules.2.filters ({SESSIONS}): "
        "records “events” have no filter sex (they have: kinds, activities).",
        f"rules.json: rules.3.filters ({SESSIONS}): "
        "records “cadres” have no filter color, kinds (they have: statuses).",
    ]
    assert not IndicatorRule.objects.exists()


def test_the_loader_refuses_values_a_filter_does_not_take(program_structure, tmp_path):
    path = rules_file(
        tmp_path,
        rule("events", {"kinds": ["communcation"]}),  # a typo would count nothing, silently
        rule("events", {"kinds": "training"}),  # not a list
        rule("participants", {"minority": "yes", "sex": "F"}),
        rule("participants", {"minority": 1}),
        rule("groups", {"has_channel": "zalo"}),
        rule("members", {"sex": "female"}),
        rule("difficulties", {"statuses": ["open", None]}),
        rule("events", {"activities": "1719.GD1.DA8.ND1"}),
    )

    with pytest.raises(ValidationError) as exc:
        indicator_rules_load(path=path)

    places = [f"rules.json: rules.{n}.filters ({SESSIONS}): " for n in range(1, 9)]
    messages = exc.value.messages
    assert [m[: len(place)] for m, place in zip(messages, places, strict=True)] == places
    messages = [m.removeprefix(place) for m, place in zip(messages, places, strict=True)]
    assert messages[0].startswith('filter “kinds” cannot be ["communcation"]: it takes')
    assert '"training", "nomination"' in messages[0]
    assert messages[2] == 'filter “minority” cannot be "yes": it takes one value among true, false.'
    assert messages[3].startswith("filter “minority” cannot be 1:")
    assert messages[5] == 'filter “sex” cannot be "female": it takes one value among "F", "M".'
    assert "a list of codes of program elements" in messages[7]
    assert not IndicatorRule.objects.exists()


def test_the_loader_refuses_an_activity_no_program_element_has(program_structure, tmp_path):
    path = rules_file(tmp_path, rule("events", {"activities": ["1719.GD1.DA8.ND9", SESSIONS]}))

    with pytest.raises(ValidationError) as exc:
        indicator_rules_load(path=path)

    assert exc.value.messages == [
        f"rules.json: rules.1.filters ({SESSIONS}): no program element has code 1719.GD1.DA8.ND9."
    ]


def test_a_reload_replaces_only_the_rules_of_the_indicators_it_names(program_structure, tmp_path):
    indicator_rules_load()
    before = IndicatorRule.objects.count()
    named_as_activity = "1719.GD1.DA8.ND1.HD1.1"  # an indicator with a rule of its own
    own = list(IndicatorRule.objects.filter(element__code=named_as_activity))
    assert own

    indicator_rules_load(
        path=rules_file(tmp_path, rule("events", {"activities": [named_as_activity]}))
    )

    assert list(IndicatorRule.objects.filter(element__code=named_as_activity)) == own
    assert [r.filters for r in IndicatorRule.objects.filter(element__code=SESSIONS)] == [
        {"activities": [named_as_activity]}
    ]
    assert IndicatorRule.objects.count() == before


def test_filter_problems_is_empty_for_good_filters():
    for source, filters in EVERY_FILTER:
        assert filter_problems(source, filters) == [], (source, filters)


@pytest.mark.parametrize("reading", ["own query", "engine"])
def test_a_rule_naming_a_filter_its_source_lacks_is_an_error_not_ignored(
    program_structure, ba_trang, reading
):
    """A rule written to the table around the loader: counting it must not silently drop the
    filter (it would count every record of the source)."""
    bad = IndicatorRule.objects.create(
        element=ProgramElement.objects.get(code=SESSIONS),
        source="events",
        filters={"kinds": ["communication"], "sex": "F"},
    )
    period = Period.year(2023)

    with pytest.raises(ValueError, match="sex"):
        if reading == "own query":
            rule_values(bad, path="", period=period)
        else:
            indicator_values(actor=SYSTEM, unit=ba_trang, period=period, as_of=period.end)
