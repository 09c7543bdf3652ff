"""The phone form of a case (propose and correct), and the reject form. They only read input
into a ``CaseInput``: the services check and write, and their problems are put beside their
field (``core.problems.on_form``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from duan8.activities.models import EthnicGroup, Sex
from duan8.core.idempotency import OnceForm
from duan8.core.problems import on_form
from duan8.mothers.models import Mother, Pregnancy
from duan8.mothers.services.checks import ETHNIC_CODES, MOST_BABIES
from duan8.mothers.services.inputs import HEALTH_FIELDS, CaseInput, ChildInput, VisitInput
from duan8.orgunits.forms import DATE_INPUT_FORMATS, DateInput
from duan8.orgunits.models import OrgUnit

VISITS_SHOWN = 10
VISITS_OPEN = 4
_DATE_ERROR = {"invalid": _("Enter a date as dd/mm/yyyy, e.g. 25/09/2023.")}


def _date(label: Any, *, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        help_text=help_text,
        error_messages=_DATE_ERROR,
    )


def _number(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


class CaseForm(OnceForm):
    """One case on a phone: the mother first, then the pregnancy, visits and delivery."""

    village = forms.TypedChoiceField(label=_("Village"), coerce=int)
    full_name = forms.CharField(label=_("Mother's full name"), max_length=120, required=False)
    birth_year = _number(_("Year of birth"))
    id_number = forms.CharField(
        label=_("Personal ID number"),
        max_length=30,
        required=False,
        help_text=_("12 digits (CCCD), or 9 digits of an old identity card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    ethnic_code = forms.ChoiceField(label=_("Ethnicity"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    household = forms.ChoiceField(
        label=_("Household status"), choices=Mother.Household.choices, required=False
    )
    expected_on = _date(_("Expected delivery date"))
    delivered_on = _date(_("Delivery date"), help_text=_("Leave empty before the delivery."))
    place = forms.ChoiceField(
        label=_("Place of delivery"),
        choices=[("", "—"), *Pregnancy.Place.choices],
        required=False,
    )
    facility = forms.CharField(label=_("Health facility"), max_length=200, required=False)
    mode = forms.ChoiceField(
        label=_("Kind of delivery"), choices=[("", "—"), *Pregnancy.Mode.choices], required=False
    )
    babies = _number(_("Number of babies"))
    girls = _number(_("Girls born"), min_value=0, max_value=MOST_BABIES)
    boys = _number(_("Boys born"), min_value=0, max_value=MOST_BABIES)
    days_at_facility = _number(_("Days at the facility"))
    has_carer = forms.BooleanField(label=_("A family carer went with her"), required=False)
    carer_name = forms.CharField(label=_("Family carer's name"), max_length=120, required=False)
    visits_facility = forms.CharField(
        label=_("Where the antenatal visits took place"), max_length=200, required=False
    )

    def __init__(
        self, *args: Any, villages: list[OrgUnit], health: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.health = health
        village_choices = [(v.pk, v.full_name) for v in villages]
        self.fields["village"].choices = village_choices  # type: ignore[attr-defined]
        if len(villages) == 1:
            self.fields["village"].initial = villages[0].pk
        groups = EthnicGroup.objects.filter(code_system=ETHNIC_CODES).order_by("code")
        self.fields["ethnic_code"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (g.code, f"{g.code} {g.name}") for g in groups
        ]
        for n in range(1, VISITS_SHOWN + 1):
            self.fields[f"visit_{n}"] = _date(_("Antenatal visit %(n)s") % {"n": n})
        self._villages = {v.pk: v for v in villages}
        if not health:
            for name in self.health_field_names():
                del self.fields[name]

    def _visit_fields(self) -> list[Any]:
        return [
            self[f"visit_{n}"] for n in range(1, VISITS_SHOWN + 1) if f"visit_{n}" in self.fields
        ]

    @property
    def shown_visits(self) -> list[Any]:
        """The first visits' fields, always shown (a phone screen is short)."""
        return self._visit_fields()[:VISITS_OPEN]

    @property
    def more_visits(self) -> list[Any]:
        """The others, behind "More antenatal visits"."""
        return self._visit_fields()[VISITS_OPEN:]

    @property
    def more_visits_open(self) -> bool:
        return any(field.value() or field.errors for field in self.more_visits)

    def health_field_names(self) -> list[str]:
        names = [n for n in HEALTH_FIELDS if n != "visits"]
        names += ["visits_facility", *(f"visit_{n}" for n in range(1, VISITS_SHOWN + 1))]
        return [n for n in names if n in self.fields]

    def to_input(self, commune: OrgUnit) -> CaseInput:
        data = self.cleaned_data
        visits = [
            VisitInput(visited_on=data[f"visit_{n}"], facility=data.get("visits_facility") or "")
            for n in range(1, VISITS_SHOWN + 1)
            if data.get(f"visit_{n}")
        ]
        children = [ChildInput(sex=Sex.FEMALE) for _n in range(data.get("girls") or 0)]
        children += [ChildInput(sex=Sex.MALE) for _n in range(data.get("boys") or 0)]
        return CaseInput(
            commune=commune,
            village=self._villages.get(data["village"]),
            full_name=data["full_name"],
            birth_year=data["birth_year"],
            ethnic_code=data["ethnic_code"],
            id_number=data["id_number"],
            phone=data["phone"],
            household=data["household"],
            expected_on=data.get("expected_on"),
            delivered_on=data["delivered_on"],
            babies=data.get("babies"),
            days_at_facility=data.get("days_at_facility"),
            has_carer=data["has_carer"],
            carer_name=data["carer_name"],
            visits=visits,
            children=children,
            place=data.get("place") or "",
            facility=data.get("facility") or "",
            mode=data.get("mode") or "",
        )

    def show_problems(self, error: ValidationError) -> None:
        fields = {f"visits.{n}.visited_on": f"visit_{n}" for n in range(1, VISITS_SHOWN + 1)}
        fields.update({"visits": "visit_1", "children": "girls", "commune": "village"})
        fields.update({f"children.{n}.sex": "girls" for n in range(1, MOST_BABIES + 1)})
        on_form(self, error, fields=fields)


def case_initial(data: CaseInput) -> dict[str, Any]:
    """The form's values for a stored case (the edit page)."""
    initial: dict[str, Any] = {
        name: getattr(data, name)
        for name in (
            "full_name",
            "birth_year",
            "id_number",
            "ethnic_code",
            "phone",
            "household",
            "expected_on",
            "delivered_on",
            "place",
            "facility",
            "mode",
            "babies",
            "days_at_facility",
            "has_carer",
            "carer_name",
        )
    }
    initial["village"] = data.village.pk if data.village else None
    initial["girls"] = sum(1 for c in data.children if c.sex == Sex.FEMALE)
    initial["boys"] = sum(1 for c in data.children if c.sex == Sex.MALE)
    for n, visit in enumerate(data.visits[:VISITS_SHOWN], start=1):
        initial[f"visit_{n}"] = visit.visited_on
    initial["visits_facility"] = data.visits[0].facility if data.visits else ""
    return initial


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RejectForm(VersionForm):
    reason = forms.CharField(
        label=_("Why is the case rejected?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class CaseEditForm(CaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, id_ending: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if id_ending:
            self.fields["id_number"].help_text = _(
                "Recorded: the number ending in %(end)s. Leave empty to keep it."
            ) % {"end": id_ending}
