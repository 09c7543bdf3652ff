"""Load the indicator rules (data file ``data/indicator_rules.json``)."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duan8.activities.models import IndicatorRule
from duan8.programs.models import ProgramElement

RULES_FILE = Path(__file__).resolve().parent / "data" / "indicator_rules.json"
_FILTER_KEYS = {
    "kinds",
    "statuses",
    "activities",
    "sex",
    "minority",
    "age_group",
    "founded_in_year",
    "women_leadership",
    "has_channel",
}


@transaction.atomic
def indicator_rules_load(*, path: Path | str = RULES_FILE) -> int:
    """Replace the rules of every indicator named in the file; checks everything first."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("format") != "duan8.indicator_rules/1":
        raise ValidationError(_("%(path)s is not an indicator rules file.") % {"path": path})
    codes = {item["element"] for item in data["rules"]}
    elements = {e.code: e for e in ProgramElement.objects.filter(code__in=codes)}
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
        unknown = set(item.get("filters", {})) - _FILTER_KEYS
        if unknown:
            errors.append(
                _("Rule %(n)s: unknown filters %(keys)s.")
                % {"n": index, "keys": ", ".join(sorted(unknown))}
            )
    if errors:
        raise ValidationError(errors)
    IndicatorRule.objects.filter(element__in=elements.values()).delete()
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
