"""Forms of the event pages. They only read input; ``activities.services`` checks and writes.

The entry form is built for a phone: the fields most events need come first, with defaults; the
participant grid is eight large number inputs; the rest folds under "More information".
"""

import copy
import datetime
import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duan8.activities.models import AgeGroup, Attachment, CommunityGroup, EthnicGroup, Event, Sex
from duan8.activities.selectors.count_grids import GRID_ROWS, grid_row_label
from duan8.activities.selectors.events import activity_label
from duan8.activities.services.events import CountInput, EventInput, PersonInput, event_check
from duan8.core.idempotency import OnceForm
from duan8.core.problems import Problem, on_form, problems_of
from duan8.orgunits.forms import DATE_INPUT_FORMATS, DateInput
from duan8.orgunits.models import OrgUnit
from duan8.programs.models import Plan, ProgramElement

MAX_COUNT = 100_000
AGE_COLUMNS = [AgeGroup.ADULT, AgeGroup.CHILD]
COUNT_ERRORS = {
    "min_value": _("cannot be negative."),
    "max_value": _("is too large."),
    "invalid": _("enter a whole number."),
}


def count_field_name(sex: str, minority: bool, age_group: str) -> str:
    return f"n-{sex}-{'minority' if minority else 'other'}-{age_group}"


def count_field_label(sex: str, minority: bool, age_group: str) -> str:
    age = gettext("adults") if age_group == AgeGroup.ADULT else gettext("children under 16")
    return f"{grid_row_label(sex, minority)}, {age}"


class CountInputWidget(forms.NumberInput):
    """A large number box that opens the phone's digit keypad."""

    def __init__(self) -> None:
        super().__init__(
            attrs={
                "inputmode": "numeric",
                "pattern": "[0-9]*",
                "min": "0",
                "class": "count-input",
                "autocomplete": "off",
            }
        )


class ActivitySelect(forms.Select):
    """Each activity carries the kind of event it calls for (``data-kind``), for events.js."""

    def __init__(self, kinds: dict[str, str]) -> None:
        super().__init__()
        self.kinds = kinds

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        kind = self.kinds.get(str(option["value"]))
        if kind:
            option["attrs"]["data-kind"] = kind
        return option


class ObjectChoiceField(forms.ChoiceField):
    """A choice among objects already loaded by the view: no query to validate the choice."""

    def set_objects(self, objects: list[Any], labels: list[str], empty: str | None = None) -> None:
        self.objects = {str(o.pk): o for o in objects}
        head = [("", empty)] if empty is not None else []
        self.choices = head + [(str(o.pk), label) for o, label in zip(objects, labels, strict=True)]

    def clean(self, value: Any) -> Any:
        key = super().clean(value)
        return self.objects.get(key) if key else None


def objects_field(form: forms.BaseForm, name: str) -> ObjectChoiceField:
    return cast(ObjectChoiceField, form.fields[name])


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def parse_amount(raw: str) -> Decimal:
    """An amount in đồng as people type it: "1.500.000", "1 500 000", "1500000"."""
    text = raw.strip().replace("đ", "").replace("VND", "").strip()
    if text.startswith("-"):
        raise forms.ValidationError(_("cannot be negative."))
    digits = re.sub(r"[\s.,]", "", text)
    if not digits.isdigit() or len(digits) > 14:
        raise forms.ValidationError(_("enter an amount in đồng, e.g. 1.500.000."))
    return Decimal(digits)


# Problems shown beside the participant grid: the numbers and the list of persons.
GRID_PROBLEMS = ("counts", "participants")
PERSON_LABELS = {
    "full_name": _("Full name"),
    "sex": _("Sex"),
    "ethnic_group": _("Ethnicity"),
    "birth_year": _("Year of birth"),
}
MORE_FIELDS = ["ended_on", "place", "organiser", "group", "cost", "notes"]


class EventForm(OnceForm):
    """One event: the few fields first, then the participant grid, then the rest.

    ``with_list``: the event has a named list of participants; its counts come from the list
    and the grid is not shown.
    """

    held_on = forms.DateField(
        label=_("Date held"), input_formats=DATE_INPUT_FORMATS, widget=DateInput()
    )
    org_unit = ObjectChoiceField(
        label=_("Held in"),
        error_messages={"invalid_choice": _("choose one of the villages listed.")},
    )
    activity = ObjectChoiceField(
        label=_("Plan activity"),
        error_messages={"invalid_choice": _("choose one of the activities of the plan.")},
    )
    kind = forms.ChoiceField(label=_("Kind of event"), choices=[("", "---------")])
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        help_text=_("e.g. Truyền thông xóa bỏ tảo hôn"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    ended_on = forms.DateField(
        label=_("End date"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        help_text=_("Only for events over several days"),
    )
    place = forms.CharField(
        label=_("Venue"),
        max_length=255,
        required=False,
        help_text=_("e.g. Nhà văn hóa thôn"),
    )
    organiser = forms.CharField(label=_("Organiser"), max_length=255, required=False)
    group = ObjectChoiceField(
        label=_("Held by group"),
        required=False,
        error_messages={"invalid_choice": _("choose one of the groups listed.")},
    )
    cost = forms.CharField(
        label=_("Cost (đồng)"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("e.g. 1.500.000"),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Sent by the "save anyway" button of the warning about a similar event already recorded.
    confirm_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        plan: Plan,
        units: list[OrgUnit],
        activities: list[ProgramElement],
        kinds: dict[int, str],
        groups: list[CommunityGroup] | None,
        with_list: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.plan, self.with_list = plan, with_list
        self.participant_errors: list[str] = []
        self.similar: Event | None = None
        unit_field = objects_field(self, "org_unit")
        if len(units) == 1:
            unit_field.widget = forms.HiddenInput()
        unit_field.set_objects(
            units, [u.full_name for u in units], None if len(units) == 1 else "---------"
        )
        self.fixed_unit = units[0] if len(units) == 1 else None
        activity_field = objects_field(self, "activity")
        activity_field.widget = ActivitySelect({})
        self.set_kinds(kinds)
        activity_field.set_objects(activities, [activity_label(a) for a in activities], "---------")
        choice_field(self, "kind").choices = [("", "---------"), *Event.Kind.choices]
        self.set_groups(groups or [])
        first, last = datetime.date(plan.year, 1, 1), datetime.date(plan.year, 12, 31)
        latest = min(last, timezone.localdate())
        for name in ("held_on", "ended_on"):
            self.fields[name].widget.attrs.update(
                {"min": first.isoformat(), "max": max(first, latest).isoformat()}
            )
        if not with_list:
            for sex, minority in GRID_ROWS:
                for age in AGE_COLUMNS:
                    self.fields[count_field_name(sex, minority, age)] = forms.IntegerField(
                        label=count_field_label(sex, minority, age),
                        required=False,
                        min_value=0,
                        max_value=MAX_COUNT,
                        error_messages=COUNT_ERRORS,
                        widget=CountInputWidget(),
                    )

    def set_groups(self, groups: list[CommunityGroup]) -> None:
        """The groups offered, none: no field. A POST that chose no group reads them only to
        show the form again (the field is then put back, with no value and no error)."""
        if not groups:
            self.fields.pop("group", None)
            return
        if "group" not in self.fields:
            self.fields["group"] = copy.deepcopy(self.base_fields["group"])
        objects_field(self, "group").set_objects(
            groups, [f"{g.name} ({g.org_unit.full_name})" for g in groups], gettext("(none)")
        )

    def set_kinds(self, kinds: dict[int, str]) -> None:
        """The kind of event each activity calls for (``data-kind`` of its option)."""
        cast(ActivitySelect, self.fields["activity"].widget).kinds = {
            str(k): v for k, v in kinds.items()
        }

    # --- for the template ---

    @property
    def grid(self) -> list[dict[str, Any]]:
        """The count inputs as rows (sex × minority) of two cells (adults, children)."""
        if self.with_list:
            return []
        return [
            {
                "label": grid_row_label(sex, minority),
                "cells": [self[count_field_name(sex, minority, age)] for age in AGE_COLUMNS],
            }
            for sex, minority in GRID_ROWS
        ]

    @property
    def grid_has_errors(self) -> bool:
        return bool(self.participant_errors) or any(
            cell.errors for row in self.grid for cell in row["cells"]
        )

    @property
    def more_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in MORE_FIELDS if name in self.fields]

    @property
    def more_open(self) -> bool:
        return any(field.errors for field in self.more_fields)

    @property
    def error_list(self) -> list[tuple[str, str, str]]:
        """(anchor id, field label, message) of every error, for the summary at the top."""
        found = [("", "", str(e)) for e in self.non_field_errors()]
        found += [("participants", gettext("Participants"), m) for m in self.participant_errors]
        for name, errors in self.errors.items():
            if name == "__all__":
                continue
            field = self[name]
            found += [(field.auto_id, str(field.label), str(e)) for e in errors]
        return found

    # --- input for the services ---

    def counts(self) -> list[CountInput]:
        data = self.cleaned_data
        return [
            CountInput(sex, minority, age, data.get(count_field_name(sex, minority, age)) or 0)
            for sex, minority in GRID_ROWS
            for age in AGE_COLUMNS
            if data.get(count_field_name(sex, minority, age))
        ]

    def clean_cost(self) -> Decimal:
        raw = self.cleaned_data.get("cost") or ""
        return parse_amount(raw) if raw.strip() else Decimal(0)

    # The date and "no participants" rules of the services, checked here too so that every
    # problem is listed at once, with those of the other fields (the services check again).

    def _day_in_plan(self, name: str) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get(name)
        if day is None:
            return None
        if day.year != self.plan.year:
            raise forms.ValidationError(
                _("%(date)s is outside the plan's year %(year)s.")
                % {"date": day.strftime("%d/%m/%Y"), "year": self.plan.year}
            )
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("%(date)s is in the future; record what has been carried out.")
                % {"date": day.strftime("%d/%m/%Y")}
            )
        return day

    def clean_held_on(self) -> datetime.date | None:
        return self._day_in_plan("held_on")

    def clean_ended_on(self) -> datetime.date | None:
        return self._day_in_plan("ended_on")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        count_names = [n for n in self.fields if n.startswith("n-")]
        if (
            count_names
            and not any(n in self.errors for n in count_names)
            and not any(data.get(n) for n in count_names)
            and data.get("kind") != Event.Kind.BROADCAST
        ):
            self.participant_errors.append(
                gettext("give the number of participants or their list.")
            )
        return data

    def is_valid(self) -> bool:
        return super().is_valid() and not self.participant_errors

    def event_input(self, *, participants: list[PersonInput] | None = None) -> EventInput:
        data = self.cleaned_data
        return EventInput(
            plan=self.plan,
            activity=data["activity"],
            kind=data["kind"],
            title=data["title"],
            held_on=data["held_on"],
            org_unit=data["org_unit"],
            ended_on=data.get("ended_on"),
            place=data.get("place", ""),
            organiser=data.get("organiser", ""),
            group=data.get("group"),
            cost=data.get("cost") or Decimal(0),
            notes=data.get("notes", ""),
            counts=[] if participants else self.counts(),
            participants=participants or [],
        )

    def check(self, data: EventInput) -> bool:
        """Run the services' checks; put each problem beside its field. True when none."""
        problems = event_check(data)
        self.show(problems)
        return not problems

    def show(self, error: ValidationError | list[Problem]) -> None:
        """The services' problems on the form: those of the numbers and of the list of persons
        beside the grid, the others beside their field (``on_form``)."""
        problems = problems_of(error)
        self.participant_errors += [grid_message(p) for p in problems if p.head in GRID_PROBLEMS]
        on_form(self, [p for p in problems if p.head not in GRID_PROBLEMS])


def grid_message(problem: Problem) -> str:
    """A problem of the n-th person of the list ("participants.3.sex") names the person and the
    field; a problem of the numbers or the list as a whole is shown as it is."""
    parts = problem.field.split(".")
    if len(parts) != 3:
        return problem.message
    return gettext("Participant %(number)s, %(field)s: %(message)s") % {
        "number": parts[1],
        "field": PERSON_LABELS.get(parts[2], parts[2]),
        "message": problem.message,
    }


class PersonForm(forms.Form):
    """One named participant or nominee."""

    full_name = forms.CharField(label=_("Full name"), max_length=120)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    ethnic_group = ObjectChoiceField(
        label=_("Ethnicity"),
        error_messages={"invalid_choice": _("choose one of the 54 ethnic groups.")},
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=1900,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"}),
    )
    position = forms.CharField(label=_("Position"), max_length=255, required=False)
    workplace = forms.CharField(label=_("Workplace or village"), max_length=255, required=False)

    def __init__(self, *args: Any, ethnic_groups: list[EthnicGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        objects_field(self, "ethnic_group").set_objects(
            ethnic_groups, [f"{g.name} ({g.code})" for g in ethnic_groups], "---------"
        )

    def person(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            full_name=data["full_name"],
            sex=data["sex"],
            ethnic_group=data["ethnic_group"],
            birth_year=data.get("birth_year"),
            position=data.get("position", ""),
            workplace=data.get("workplace", ""),
        )


class BasePersonFormSet(forms.BaseFormSet):
    def people(self) -> list[PersonInput]:
        return [f.person() for f in self.forms if f.has_changed() and f.cleaned_data]


PersonFormSet = forms.formset_factory(PersonForm, formset=BasePersonFormSet, extra=3)


class ReplaceCountsForm(forms.Form):
    replace_counts = forms.BooleanField(
        label=_("Replace the numbers typed before with the count of this list"),
        required=False,
    )


class AttachmentForm(OnceForm):
    kind = forms.ChoiceField(
        label=_("Kind of file"),
        required=False,
        choices=[("", _("(by the type of file)")), *Attachment.Kind.choices],
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("Photos (JPG, PNG), video (MP4), PDF, Word, Excel, PowerPoint."),
        widget=forms.FileInput(
            attrs={"accept": "image/jpeg,image/png,video/mp4,.mp4,.mov,.pdf,.docx,.xlsx,.pptx"}
        ),
    )


class EventListFilter(forms.Form):
    """The filters of the event list; a value that is not offered is ignored."""

    village = ObjectChoiceField(label=_("Village"), required=False)
    kind = forms.ChoiceField(label=_("Kind of event"), required=False)
    activity = ObjectChoiceField(label=_("Plan activity"), required=False)
    month = forms.ChoiceField(label=_("Month"), required=False)

    def __init__(
        self, *args: Any, villages: list[OrgUnit], activities: list[ProgramElement], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        everything = gettext("(all)")
        if villages:
            objects_field(self, "village").set_objects(
                villages, [v.full_name for v in villages], everything
            )
        else:
            del self.fields["village"]
        choice_field(self, "kind").choices = [("", everything), *Event.Kind.choices]
        if activities:
            objects_field(self, "activity").set_objects(
                activities, [activity_label(a) for a in activities], everything
            )
        else:
            del self.fields["activity"]
        choice_field(self, "month").choices = [("", everything)] + [
            (str(m), gettext("Month %(month)s") % {"month": m}) for m in range(1, 13)
        ]

    def chosen(self) -> dict[str, Any]:
        """The valid filters; the others are left out."""
        found: dict[str, Any] = {"village": None, "kind": "", "activity": None, "month": None}
        if not self.is_bound:
            return found
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        for name in found:
            if data.get(name):
                found[name] = int(data[name]) if name == "month" else data[name]
        return found
