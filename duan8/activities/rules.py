"""Load the indicator rules (data file ``data/indicator_rules.json``).

Format ``duan8.indicator_rules/1``: ``{"format", "source", "notes", "rules": [{"element": code,
"source": records, "filters": {…}, "description": …, "verified": …}]}``. The file's shape is
declared below (``RulesFile``); a rule's filters are checked against what ``rule_filters.SOURCES``
declares for its records, and every program element code against the loaded structure, in the
same pass. A rule of a provisional element (the 2026–2030 structure, ``verified`` unticked) says
``"verified": false`` and its description says so: it cannot claim more than its indicator.

An administrator edits the rules in the file and reloads them (``duan8 load_indicator_rules``);
the rules of both phases live in the one file, so one reload covers them.
"""

from pathlib import Path
from typing import Annotated, Any, Literal

from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import Field, ValidationInfo, field_validator

from duan8.activities.models import IndicatorRule
from duan8.activities.rule_filters import SOURCES, Under, filter_problems
from duan8.core.schemas import FileSchema, Name, Text, load, read_json
from duan8.programs.models import ProgramElement

RULES_FILE = Path(__file__).resolve().parent / "data" / "indicator_rules.json"


class RuleRow(FileSchema):
    """One rule: the indicator it computes, the records it counts and how it narrows them."""

    element: Name
    source: Annotated[IndicatorRule.Source, Field(strict=False)]
    filters: dict[str, Any] = {}
    description: Text = ""
    verified: Annotated[bool, Field(validate_default=True)] = True

    @field_validator("element")
    @classmethod
    def _element_known(cls, code: str, info: ValidationInfo) -> str:
        if code not in (info.context or {}).get("codes", ()):
            raise ValueError(_("no program element has code %(code)s.") % {"code": code})
        return code

    @field_validator("filters")
    @classmethod
    def _filters_of_the_source(cls, filters: dict[str, Any], info: ValidationInfo) -> dict:
        source = info.data.get("source")
        if source is None:  # already refused
            return filters
        problems = filter_problems(source, filters)
        codes = (info.context or {}).get("codes", ())
        problems += [
            _("no program element has code %(code)s.") % {"code": code}
            for code in sorted(_activity_codes(source, filters) - set(codes))
        ]
        if problems:
            raise ValueError(" ".join(problems))
        return filters

    @field_validator("verified")
    @classmethod
    def _not_more_certain_than_its_indicator(cls, verified: bool, info: ValidationInfo) -> bool:
        code = info.data.get("element")
        if verified and code in (info.context or {}).get("unverified", ()):
            raise ValueError(
                _(
                    "the indicator %(code)s is not verified, so its rule cannot be: "
                    'write "verified": false.'
                )
                % {"code": code}
            )
        return verified


class RulesFile(FileSchema):
    format: Literal["duan8.indicator_rules/1"]
    source: Text = ""
    notes: list[Text] = []
    rules: list[RuleRow]


def _activity_codes(source: str, filters: dict[str, Any]) -> set[str]:
    """The program element codes a rule's filters name (its ``Under`` filters)."""
    spec = SOURCES.get(source)
    if spec is None:
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
    the source), every program element it names and that a rule of an unverified indicator is
    not marked verified. ``FileInvalid`` names each problem
    ("rules.json: rules.2.filters (code): …") and nothing is changed."""
    path = Path(path)
    codes = dict(ProgramElement.objects.values_list("code", "verified"))
    context = {
        "codes": set(codes),
        "unverified": {c for c, verified in codes.items() if not verified},
    }
    rules = load(RulesFile, read_json(path), source=path.name, context=context).rules
    elements = ProgramElement.objects.in_bulk([rule.element for rule in rules], field_name="code")
    IndicatorRule.objects.filter(element__in=elements.values()).delete()
    IndicatorRule.objects.bulk_create(
        IndicatorRule(
            element=elements[rule.element],
            source=rule.source.value,
            filters=rule.filters,
            description=rule.description,
            order=index,
        )
        for index, rule in enumerate(rules)
    )
    return len(rules)
