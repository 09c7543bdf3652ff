"""The drop-down lists of the "Danh mục" sheet, and how a cell's text is read back.

A list shows one label per value ("19 - Hrê", "Thôn Nước Đang", "1.2.2 - Hỗ trợ Tổ truyền
thông…": an activity by the number the pages print). Reading accepts the label in Vietnamese or
English, the bare code ("19", "F", "leader", "1.2.2", and the older "ND1.HD2.2") and known other
spellings, whatever the case, accents composed or not.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Choices
from django.utils import translation
from django.utils.translation import gettext as _

from duan8.activities.excel.scope import Scope
from duan8.activities.models import (
    CommunityGroup,
    CommunityGroupMember,
    CommunityGroupStatus,
    Difficulty,
    EthnicGroup,
    Event,
    Sex,
    WomanCadre,
)
from duan8.activities.services.events import plan_activities
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import element_number

LANGUAGES = ("vi", "en")
LABEL_LENGTH = 90  # Excel shows long list entries badly; activity titles are cut to this.


def clean(value: Any) -> str:
    """A cell's text: NFC (Excel files often arrive decomposed), spaces collapsed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    return " ".join(text.split())


def key(value: Any) -> str:
    """The form two texts are compared in: clean, case-folded, dashes unified."""
    text = clean(value).casefold().replace("–", "-").replace("—", "-")
    return re.sub(r"\s*-\s*", " - ", text)


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


@dataclass
class ChoiceList:
    name: str
    title: str
    entries: list[tuple[str, Any]]  # (label shown in the list, value), in list order
    known: dict[str, Any] = field(default_factory=dict)  # key(text) → value, for reading
    labels: dict[Any, str] = field(default_factory=dict)  # value (pk for rows) → label
    # Values that can be read although the list does not offer them (other villages of the
    # commune): the importer refuses them with a clearer reason than "not in the list".
    extra: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, Any] = field(default_factory=dict)  # key(code) → value, for coded lists

    def __post_init__(self) -> None:
        for label, value in self.entries:
            self.labels.setdefault(_pk(value), label)
            self.known.setdefault(key(label), value)

    def alias(self, text: str, value: Any) -> None:
        if text:
            self.known.setdefault(key(text), value)

    def read(self, text: str) -> Any:
        """The value of a cell's text; KeyError when it is not in the list. A list of coded
        values also reads "code - any label" by its code ("1.2.2 - Hỗ trợ…", "19 - H're")."""
        k = key(text)
        if k in self.known:
            return self.known[k]
        if k in self.extra:
            return self.extra[k]
        code = k.split(" - ", 1)[0].strip()
        if self.codes and code in self.codes and code != k:
            return self.codes[code]
        raise KeyError(text)

    def code(self, code: str, value: Any) -> None:
        self.codes[key(code)] = value
        self.alias(code, value)

    def label(self, value: Any) -> str:
        if value is None or value == "":
            return ""
        return self.labels.get(_pk(value), str(value))


def _from_choices(
    name: str, title: str, choices: type[Choices], skip_blank: bool = True
) -> ChoiceList:
    entries = [(str(label), value) for value, label in choices.choices if value or not skip_blank]
    result = ChoiceList(name, title, entries)
    for value, _label in choices.choices:
        result.alias(str(value), value)
        for language in LANGUAGES:
            with translation.override(language):
                result.alias(str(choices(value).label), value)
    return result


def ethnic_group_label(group: EthnicGroup) -> str:
    return f"{group.code} - {group.name}"


def _ethnic_groups(scope: Scope) -> ChoiceList:
    groups = list(EthnicGroup.objects.filter(code_system="qd121_tctk_1979").order_by("code"))
    result = ChoiceList(
        "ethnic_groups", _("Ethnicity"), [(ethnic_group_label(g), g) for g in groups]
    )
    for group in groups:
        result.code(group.code, group)
        result.code(str(int(group.code)), group)
        result.alias(group.name, group)
        for alias in group.aliases.split(";"):
            result.alias(alias.strip(), group)
            result.alias(f"{group.code} - {alias.strip()}", group)
    return result


def unit_label(unit: OrgUnit) -> str:
    return unit.full_name


def commune_units(commune: OrgUnit) -> list[OrgUnit]:
    """The commune and all its villages (those of earlier years too), villages by name."""
    villages = OrgUnit.objects.filter(parent=commune, level=OrgUnit.Level.VILLAGE).order_by(
        "name", "pk"
    )
    return [commune, *villages]


def _units(scope: Scope) -> ChoiceList:
    everything = commune_units(scope.commune)
    offered = [u for u in everything if scope.covers(u)]
    result = ChoiceList("units", _("Villages and commune"), [(unit_label(u), u) for u in offered])
    for unit in offered:
        result.alias(unit.name, unit)
        result.alias(unit.code, unit)
    for unit in everything:
        if not scope.covers(unit):
            for text in (unit_label(unit), unit.name, unit.code):
                result.extra.setdefault(key(text), unit)
    return result


def activity_code(element_code: str, project_code: str) -> str:
    prefix = f"{project_code}."
    return element_code[len(prefix) :] if element_code.startswith(prefix) else element_code


def activity_label(element: Any, project_code: str) -> str:
    """ "1.2.2 - Hỗ trợ Tổ truyền thông…": the number people read on the pages, then the title."""
    title = clean(element.title)
    label = f"{element_number(element.code)} - {title}"
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1].rstrip() + "…"


def _activities(scope: Scope) -> ChoiceList:
    if scope.plan is None:
        return ChoiceList("activities", _("Plan activities"), [])
    project = scope.plan.project.code
    elements = plan_activities(scope.plan)
    result = ChoiceList(
        "activities",
        _("Plan activities"),
        [(activity_label(e, project), e) for e in elements],
    )
    for element in elements:
        short = activity_code(element.code, project)
        result.code(short, element)
        result.code(short.replace("HD", "HĐ"), element)
        result.code(element.code, element)
        result.code(element_number(element.code), element)
    return result


def group_labels(groups: Iterable[CommunityGroup]) -> dict[int, str]:
    """A group's label: its name, with its village when another group has the same name."""
    groups = list(groups)
    seen: dict[str, int] = {}
    for group in groups:
        seen[key(group.name)] = seen.get(key(group.name), 0) + 1
    return {
        g.pk: g.name if seen[key(g.name)] == 1 else f"{g.name} ({g.org_unit.name})" for g in groups
    }


def _groups(scope: Scope) -> ChoiceList:
    groups = list(
        CommunityGroup.objects.filter(org_unit__path__startswith=scope.commune.path)
        .select_related("org_unit")
        .order_by("org_unit__path", "name", "pk")
    )
    labels = group_labels(groups)
    offered = [g for g in groups if scope.covers(g.org_unit) or g.org_unit_id == scope.commune.pk]
    result = ChoiceList("groups", _("Groups"), [(labels[g.pk], g) for g in offered])
    names: dict[str, list[CommunityGroup]] = {}
    for group in groups:
        names.setdefault(key(group.name), []).append(group)
    for group in offered:
        if len(names[key(group.name)]) == 1:
            result.alias(group.name, group)
    for group in groups:
        if group not in offered:
            result.extra.setdefault(key(labels[group.pk]), group)
            if len(names[key(group.name)]) == 1:
                result.extra.setdefault(key(group.name), group)
    return result


def _sexes() -> ChoiceList:
    result = _from_choices("sexes", _("Sex"), Sex)
    result.alias("Nữ", Sex.FEMALE)  # whatever the interface language, these are read
    result.alias("Nam", Sex.MALE)
    return result


BUILDERS: dict[str, Callable[[Scope], ChoiceList]] = {
    "ethnic_groups": _ethnic_groups,
    "units": _units,
    "activities": _activities,
    "groups": _groups,
    "sexes": lambda s: _sexes(),
    "event_kinds": lambda s: _from_choices("event_kinds", _("Kinds of event"), Event.Kind),
    "group_kinds": lambda s: _from_choices("group_kinds", _("Kinds of group"), CommunityGroup.Kind),
    "group_statuses": lambda s: _from_choices(
        "group_statuses", _("Group statuses"), CommunityGroupStatus.Status
    ),
    "roles": lambda s: _from_choices("roles", _("Roles"), CommunityGroupMember.Role),
    "women_leadership": lambda s: _from_choices(
        "women_leadership", _("Women's leadership"), CommunityGroup.WomenLeadership
    ),
    "channels": lambda s: _from_choices("channels", _("Digital channels"), CommunityGroup.Channel),
    "cadre_statuses": lambda s: _from_choices(
        "cadre_statuses", _("Cadre statuses"), WomanCadre.Status
    ),
    "difficulty_statuses": lambda s: _from_choices(
        "difficulty_statuses", _("Difficulty statuses"), Difficulty.Status
    ),
}


def lists_build(scope: Scope, names: Iterable[str]) -> dict[str, ChoiceList]:
    return {name: BUILDERS[name](scope) for name in dict.fromkeys(names) if name}
