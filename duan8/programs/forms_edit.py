"""Forms of the pages that edit the plan's text (issue 12, point 2); each hands its input to a
service of ``plan_edit`` and puts the problems it returns beside their fields (``on_form``)."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from duan8.accounts.models import User
from duan8.core.problems import Problem, on_form, problems_of
from duan8.legal.models import LegalDocument
from duan8.programs.forms import plan_version_field
from duan8.programs.models import Plan, PlanFocus, ProgramElement
from duan8.programs.plan_edit import (
    ADD_FIELD,
    FocusInput,
    LegalBasisInput,
    ResponsibilityInput,
    focus_field,
    plan_focus_set,
    plan_legal_bases_set,
    plan_responsibilities_set,
    plan_texts_update,
)
from duan8.programs.plan_focus import content_label, focus_contents_available

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegisterChoiceField(forms.ModelChoiceField):
    """A document of the register, named as cited: type, number, date and issuer."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.issued_on:%d/%m/%Y}, {obj.issuer})"


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class VersionForm(forms.Form):
    """The plan's version the page was loaded with (the formset pages carry it beside)."""

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["version"] = plan_version_field(plan)


class PlanTextsForm(VersionForm):
    number = forms.IntegerField(label=_("number"), required=False, min_value=1)
    symbol = forms.CharField(label=_("symbol"), max_length=40)
    issued_on = forms.DateField(label=_("date issued"), required=False, widget=DATE)
    place = forms.CharField(label=_("place name in the date line"), required=False)
    parent_body = forms.CharField(label=_("governing body above"), required=False)
    issuing_body = forms.CharField(label=_("issuing body"))
    title = forms.CharField(label=_("summary line (trích yếu)"), widget=_area(2))
    proposal = forms.CharField(label=_("proposal line"), required=False, widget=_area())
    purposes = forms.CharField(
        label=_("purposes"), required=False, widget=_area(6), help_text=_("One item per line")
    )
    requirements = forms.CharField(
        label=_("requirements"), required=False, widget=_area(6), help_text=_("One item per line")
    )
    budget_text = forms.CharField(label=_("budget"), required=False, widget=_area(4))
    budget_source = RegisterChoiceField(
        label=_("budget allocation decision"),
        queryset=LegalDocument.objects.all(),
        required=False,
    )
    closing = forms.CharField(label=_("closing paragraph"), required=False, widget=_area())
    recipients = forms.CharField(
        label=_("recipients (nơi nhận)"),
        required=False,
        widget=_area(5),
        help_text=_("One per line"),
    )
    signer_authority = forms.CharField(
        label=_("signing authority"), required=False, help_text=_("e.g. TM. ỦY BAN NHÂN DÂN")
    )
    signer_title = forms.CharField(label=_("signer's title"), required=False)
    signer_name = forms.CharField(label=_("signer's name"), required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        initial = {name: getattr(plan, name) for name in self.base_fields}
        initial["budget_source"] = plan.budget_source_id
        super().__init__(*args, plan=plan, initial=initial, **kwargs)

    def save(self, *, actor: User) -> bool | None:
        """Whether anything changed; None (nothing saved) when the service refused."""
        changes = {name: self.cleaned_data[name] for name in self.changed_data if name != "version"}
        try:
            return plan_texts_update(
                plan=self.plan,
                actor=actor,
                expected_version=self.cleaned_data["version"],
                changes=changes,
            )
        except ValidationError as exc:
            on_form(self, exc)
            return None


def _on_rows(
    head: forms.Form, rows: Sequence[forms.Form], prefix: str, error: ValidationError
) -> None:
    """Problems keyed ``<prefix>.<i>.<field>`` beside the field of the i-th row; the others
    (a conflict, an approved plan) at the top of the page."""
    for problem in problems_of(error):
        parts = problem.field.split(".")
        if parts[0] == prefix and len(parts) == 3 and parts[1].isdigit():
            on_form(rows[int(parts[1])], [Problem(parts[2], problem.message, problem.code)])
        else:
            on_form(head, [problem])


class LegalBasisRowForm(forms.Form):
    document = RegisterChoiceField(
        label=_("From the register"),
        queryset=LegalDocument.objects.all(),
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("document type"),
        choices=[("", "—"), *LegalDocument.Kind.choices],
        required=False,
    )
    number = forms.CharField(label=_("number"), required=False)
    symbol = forms.CharField(label=_("symbol"), required=False)
    issued_on = forms.DateField(label=_("date issued"), required=False, widget=DATE)
    issuer = forms.CharField(label=_("issuing body"), required=False)
    title = forms.CharField(label=_("title (trích yếu)"), required=False, widget=_area(2))

    def as_input(self) -> LegalBasisInput:
        data = self.cleaned_data
        if data.get("document"):
            return LegalBasisInput(document=data["document"])
        return LegalBasisInput(
            kind=data.get("kind") or "",
            number=data.get("number") or "",
            symbol=data.get("symbol") or "",
            issued_on=data.get("issued_on"),
            issuer=data.get("issuer") or "",
            title=data.get("title") or "",
        )


class ResponsibilityRowForm(forms.Form):
    agency = forms.CharField(label=_("agency"), required=False)
    body = forms.CharField(
        label=_("tasks"), required=False, widget=_area(4), help_text=_("One item per line")
    )


LegalBasisFormSet = forms.formset_factory(
    LegalBasisRowForm, extra=2, can_order=True, can_delete=True
)
ResponsibilityFormSet = forms.formset_factory(
    ResponsibilityRowForm, extra=1, can_order=True, can_delete=True
)


def kept_rows(formset: forms.BaseFormSet) -> list[forms.Form]:
    """The rows to keep, in the order typed: Django leaves out the deleted ones and the blank
    new ones."""
    return list(formset.ordered_forms)


def legal_bases_initial(plan: Plan) -> list[dict[str, Any]]:
    return [
        {"document": basis.document_id, "ORDER": n}
        for n, basis in enumerate(plan.legal_bases.all(), start=1)
    ]


def responsibilities_initial(plan: Plan) -> list[dict[str, Any]]:
    return [
        {"agency": item.agency, "body": item.body, "ORDER": n}
        for n, item in enumerate(plan.responsibilities.all(), start=1)
    ]


def legal_bases_save(*, head: VersionForm, formset: forms.BaseFormSet, actor: User) -> bool | None:
    rows = kept_rows(formset)
    try:
        return plan_legal_bases_set(
            plan=head.plan,
            actor=actor,
            expected_version=head.cleaned_data["version"],
            items=[row.as_input() for row in rows],  # type: ignore[attr-defined]  # row forms
        )
    except ValidationError as exc:
        _on_rows(head, rows, "legal_bases", exc)
        return None


def responsibilities_save(
    *, head: VersionForm, formset: forms.BaseFormSet, actor: User
) -> bool | None:
    rows = kept_rows(formset)
    try:
        return plan_responsibilities_set(
            plan=head.plan,
            actor=actor,
            expected_version=head.cleaned_data["version"],
            items=[
                ResponsibilityInput(
                    agency=row.cleaned_data.get("agency") or "",
                    body=row.cleaned_data.get("body") or "",
                )
                for row in rows
            ],
        )
    except ValidationError as exc:
        _on_rows(head, rows, "responsibilities", exc)
        return None


class PlanFocusForm(VersionForm):
    """One text area per content of section III, each with a box to take the content out; and
    a content of the program to add, with its text."""

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, plan=plan, **kwargs)
        self.focuses: list[PlanFocus] = list(plan.focuses.select_related("content"))
        for focus in self.focuses:
            content = focus.content
            self.fields[self.field_name(focus)] = forms.CharField(
                label=f"{content.number} {content.title}".strip(),
                initial=focus.body,
                required=False,
                widget=_area(6),
                help_text=_("One item per line"),
            )
            self.fields[self.remove_name(focus)] = forms.BooleanField(
                label=_("Remove %(content)s from the plan")
                % {"content": content.number or content.code},
                required=False,
                help_text=_("Only a content none of whose activities or targets has data yet."),
            )
        available = focus_contents_available(plan)
        if available:
            self.fields["add_content"] = forms.ModelChoiceField(
                label=_("Add a content"),
                queryset=ProgramElement.objects.filter(pk__in=[c.pk for c in available]),
                required=False,
                empty_label="—",
            )
            self.fields["add_content"].label_from_instance = content_label  # type: ignore[attr-defined]
            self.fields["add_body"] = forms.CharField(
                label=_("Focus text of the added content"),
                required=False,
                widget=_area(6),
                help_text=_("One item per line"),
            )

    @staticmethod
    def field_name(focus: PlanFocus) -> str:
        return f"focus-{focus.pk}"

    @staticmethod
    def remove_name(focus: PlanFocus) -> str:
        return f"remove-{focus.pk}"

    def _added(self) -> list[FocusInput]:
        content = self.cleaned_data.get("add_content")
        body = self.cleaned_data.get("add_body") or ""
        if content is None:
            if body.strip():
                self.add_error("add_content", _("Choose the content this text is for."))
            return []
        return [FocusInput(content=content, body=body)]

    def save(self, *, actor: User) -> bool | None:
        bodies = {
            focus.pk: self.cleaned_data[self.field_name(focus)]
            for focus in self.focuses
            if self.field_name(focus) in self.changed_data
        }
        removed = [f.pk for f in self.focuses if self.cleaned_data.get(self.remove_name(f))]
        added = self._added()
        if self.errors:
            return None
        try:
            return plan_focus_set(
                plan=self.plan,
                actor=actor,
                expected_version=self.cleaned_data["version"],
                bodies=bodies,
                remove=removed,
                add=added,
            )
        except ValidationError as exc:
            fields = {focus_field(f): self.field_name(f) for f in self.focuses}
            fields |= {f"{ADD_FIELD}.content": "add_content", f"{ADD_FIELD}.body": "add_body"}
            on_form(self, exc, fields=fields)
            return None
