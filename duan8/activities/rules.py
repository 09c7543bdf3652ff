"""Load the indicator rules (data file ``data/indicator_rules.json``)."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duan8.activities.models import IndicatorRule
from duan8.activities.rule_filters import SOURCES, Under, filter_problems
from duan8.programs.models import ProgramElement

RULES_FILE = Path(__file__).resolve().parent / "data" / "indicator_rules.json"


def _activity_codes(item: dict) -> set[str]:
    """The program element codes a rule's filters name (its ``Under`` filters)."""
    spec, filters = SOURCES.get(item["source"]), item.get("filters")
    if spec is None or not isinstance(filters, dict):
        return set()
    return {
        code
        for key, value in filters.items()
        if isinstance(spec.filters.get(key), Under) and isinstance(value, list)
        for code in value
        if isinstance(code, str)
    }


@transaction.atomic
def indicator_rules_load(*, path: Path | str = RULES_FILE) -> int:
    """Replace the rules of every indicator named in the file; checks everything first: each
    rule's source, its filters (keys and values, as ``rule_filters.SOURCES`` declares them for
    the source) and every program element it names."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("format") != "duan8.indicator_rules/1":
        raise ValidationError(_("%(path)s is not an indicator rules file.") % {"path": path})
    codes = {item["element"] for item in data["rules"]}
    named = {code for item in data["rules"] for code in _activity_codes(item)}
    elements = {e.code: e for e in ProgramElement.objects.filter(code__in=codes | named)}
    errors = []
    for index, item in enumerate(data["rules"], start=1):
        if item["element"] not in elements:
            errors.append(
                _("Rule %(n)s: no program element has code %(code)s.")
                % {"n": index, "code": item["element"]}
            )
        if item["source"] not in IndicatorRule.Source.values:
            errors.append(
                _("Rule %(n)s: unknown records “%(source)s”.")
                % {"n": index, "source": item["source"]}
            )
            continue
        for problem in filter_problems(item["source"], item.get("filters", {})):
            errors.append(_("Rule %(n)s: %(problem)s") % {"n": index, "problem": problem})
        for code in sorted(_activity_codes(item) - set(elements)):
            errors.append(
                _("Rule %(n)s: no program element has code %(code)s.") % {"n": index, "code": code}
            )
    if errors:
        raise ValidationError(errors)
    IndicatorRule.objects.filter(element__in=[elements[code] for code in codes]).delete()
    IndicatorRule.objects.bulk_create(
        IndicatorRule(
            element=elements[item["element"]],
            source=item["source"],
            filters=item.get("filters", {}),
            description=item.get("description", ""),
            order=index,
        )
        for index, item in enumerate(data["rules"])
    )
    return len(data["rules"])
