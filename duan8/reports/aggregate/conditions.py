"""Indicator rules as conditions, so that one query per kind of record computes every rule.

``duan8.activities.selectors.progress.rule_queryset`` answers one rule with one query; a roll-up
of 40 indicators over a province would then scan the year's events 40 times. Here each rule
becomes a condition on the records of its source (``Count("id", filter=condition)``), and all the
rules of a source share one scan.

What a source's records are and what each filter means is not written here: it is declared once
in ``duan8.activities.rule_filters`` (``SOURCES``), which the progress pages read too. This
module only adds the roll-up's way of reading it: activities compared by element id
(``Elements``), and an events rule applied to the participant counts of its events.
"""

from django.db.models import Q

from duan8.activities.models import IndicatorRule
from duan8.activities.rule_filters import (
    SOURCES,
    Elements,
    Period,
    Source,
    filters_q,
    rule_q,
)

__all__ = ["SOURCES", "Elements", "Source", "events_of_rule_condition", "rule_condition"]


def rule_condition(rule: IndicatorRule, period: Period, *, elements: Elements | None = None) -> Q:
    """Which of the source's records in ``period`` (``SOURCES[source].in_period``) the rule
    counts; the roll-up applies the period once, to the whole scan. A filter the source does
    not have raises ValueError."""
    return rule_q(rule, period, elements=elements)


def events_of_rule_condition(
    rule: IndicatorRule, period: Period, *, elements: Elements | None = None
) -> Q:
    """The participant counts of the events an events rule counts (its filters read through
    ``event__``)."""
    return filters_q(Source.EVENTS, rule.filters or {}, period, elements=elements, prefix="event__")
