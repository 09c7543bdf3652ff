"""Extra indicators and rules that exercise every kind of record (members, participants by
cell, cadres, difficulties, groups by leadership and founding year): the shipped rules count
mostly events and groups. Used by the benchmark (to reach 40 indicators) and by the tests that
check the roll-up against ``rule_values``; never loaded into a real database."""

from duan8.activities.models import IndicatorRule
from duan8.programs.models import ProgramElement

A = "1719.GD1.DA8."
EXTRA_RULES: list[tuple[str, dict]] = [
    ("members", {"kinds": ["communication_team"], "sex": "F"}),
    ("members", {"kinds": ["communication_team"], "sex": "M"}),
    ("members", {"kinds": ["change_club"]}),
    ("members", {"kinds": ["livelihood_group", "cooperative_group"]}),
    ("participants", {"activities": [A + "ND1.HD2.2"], "sex": "F"}),
    ("participants", {"activities": [A + "ND1.HD2.2"], "minority": True}),
    ("participants", {"kinds": ["dialogue"], "sex": "F"}),
    ("participants", {"age_group": "child"}),
    ("participants", {"kinds": ["training", "nomination"], "minority": False}),
    ("cadres", {"statuses": ["in_position"]}),
    ("cadres", {"statuses": ["planned", "nominated"]}),
    ("cadres", {"statuses": ["trained"]}),
    ("difficulties", {}),
    ("difficulties", {"statuses": ["resolved", "answered"]}),
    ("groups", {"kinds": ["livelihood_group"], "women_leadership": ["lead"]}),
    ("groups", {"kinds": ["communication_team"], "founded_in_year": True}),
    ("events", {"kinds": ["campaign"]}),
    ("events", {"kinds": ["communication"], "activities": [A + "ND4.2"]}),
]


def extra_rules_load() -> list[IndicatorRule]:
    """One made-up indicator (``X.01`` …) per extra rule, with its rule."""
    rules = []
    for index, (source, filters) in enumerate(EXTRA_RULES, start=1):
        element, _created = ProgramElement.objects.get_or_create(
            code=f"X.{index:02d}",
            defaults={
                "kind": ProgramElement.Kind.INDICATOR,
                "title": f"Extra indicator {index}: {source} {filters}",
                "order": 10_000 + index,
            },
        )
        rule, _created = IndicatorRule.objects.get_or_create(
            element=element, defaults={"source": source, "filters": filters, "order": index}
        )
        rules.append(rule)
    return rules
