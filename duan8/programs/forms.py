"""Forms over the plan's two appendices. They only translate input; the services do the writing."""

import copy
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from duan8.accounts.models import User
from duan8.programs.models import (
    AllocationColumn,
    AllocationRow,
    Plan,
    ProgramElement,
    Target,
    format_count,
)
from duan8.programs.selectors import (
    AllocationTable,
    AppendixLine,
    allocation_check,
    element_label,
)
from duan8.programs.services import (
    TargetInput,
    allocation_set,
    parse_count,
    targets_set,
)

KIND_CHOICES = [("", _("(no target)")), *Target.Kind.choices]
# Which input of a cell a service error belongs next to, by the chosen kind.
ERROR_FIELD = {
    Target.Kind.NUMBER: "value",
    Target.Kind.TEXT: "text",
    Target.Kind.SUSPENDED: "text",
}


def plain_number(value: Decimal | None) -> str:
    """A number as a user types it back: ``1``, ``12``, ``2,5`` (not the printed ``01``)."""
    if value is None:
        return ""
    number = Decimal(value)
    if number == number.to_integral_value():
        return str(int(number))
    return f"{number.normalize():f}".replace(".", ",")


@dataclass
class TargetCell:
    scope: str
    scope_label: str
    kind: BoundField
    value: BoundField
    text: BoundField

    @property
    def errors(self) -> list[str]:
        return [*self.kind.errors, *self.value.errors, *self.text.errors]


@dataclass
class TargetRow:
    line: AppendixLine
    cells: list[TargetCell]

    @property
    def is_open(self) -> bool:
        """Indicators, and lines with a target or an error, show their inputs; others fold."""
        return (
            self.line.element.kind == ProgramElement.Kind.INDICATOR
            or self.line.commune is not None
            or self.line.village is not None
            or any(cell.errors for cell in self.cells)
        )


def plan_version_field(plan: Plan) -> forms.IntegerField:
    """The plan's version when the page was loaded: a save over someone else's is refused."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, initial=plan.version)


def add_service_errors(form: forms.Form, messages: list[str], fields: dict[str, str]) -> None:
    """Put each message next to the field whose label (from ``fields``) it starts with."""
    for message in messages:
        name = next((n for label, n in fields.items() if message.startswith(f"{label}:")), None)
        form.add_error(name, message)


class TargetsForm(forms.Form):
    """Every cell of the first appendix: a kind, a number and a text, for commune and village.

    ``save`` hands the changed cells to ``targets_set``, which checks them all and saves nothing
    when any is wrong; each message is then shown next to its cell.
    """

    def __init__(self, *args: object, plan: Plan, lines: list[AppendixLine], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.plan, self.lines = plan, lines
        self.fields["version"] = plan_version_field(plan)
        for line in lines:
            for scope in Target.Scope.values:
                target: Target | None = getattr(line, scope)
                prefix = self.prefix_for(line, scope)
                self.fields[f"{prefix}-kind"] = forms.ChoiceField(
                    label=_("Kind"),
                    choices=KIND_CHOICES,
                    required=False,
                    initial=target.kind if target else "",
                )
                self.fields[f"{prefix}-value"] = forms.CharField(
                    label=_("Number"),
                    required=False,
                    max_length=20,
                    initial=plain_number(target.value) if target else "",
                    widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                )
                self.fields[f"{prefix}-text"] = forms.CharField(
                    label=_("Text or reason"),
                    required=False,
                    initial=target.text if target else "",
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    @staticmethod
    def prefix_for(line: AppendixLine, scope: str) -> str:
        return f"t-{line.element.pk}-{scope}"

    def rows(self) -> list[TargetRow]:
        return [
            TargetRow(
                line=line,
                cells=[
                    TargetCell(
                        scope=scope,
                        scope_label=str(label),
                        kind=self[f"{self.prefix_for(line, scope)}-kind"],
                        value=self[f"{self.prefix_for(line, scope)}-value"],
                        text=self[f"{self.prefix_for(line, scope)}-text"],
                    )
                    for scope, label in Target.Scope.choices
                ],
            )
            for line in self.lines
        ]

    def save(self, *, actor: User) -> int | None:
        """Save the changed cells: their number, or None (nothing saved) when any is refused."""
        changed = {name.rsplit("-", 1)[0] for name in self.changed_data}
        items, fields = [], {}
        for line in self.lines:
            for scope, scope_label in Target.Scope.choices:
                prefix = self.prefix_for(line, scope)
                if prefix not in changed:
                    continue
                kind = self.cleaned_data[f"{prefix}-kind"]
                items.append(
                    TargetInput(
                        element=line.element,
                        scope=scope,
                        kind=kind,
                        value=self.cleaned_data[f"{prefix}-value"],
                        text=self.cleaned_data[f"{prefix}-text"],
                    )
                )
                label = f"{element_label(line.element)} — {scope_label}"
                fields[label] = f"{prefix}-{ERROR_FIELD.get(kind, 'kind')}"
        if not items:
            return 0
        try:
            return targets_set(
                plan=self.plan,
                items=items,
                actor=actor,
                expected_version=self.cleaned_data["version"],
            )
        except ValidationError as exc:
            add_service_errors(self, exc.messages, fields)
            return None


@dataclass
class AllocationGridCell:
    column: AllocationColumn
    field: BoundField
    has_problem: bool


@dataclass
class AllocationGridRow:
    row: AllocationRow
    difficult_villages: BoundField
    difficult_villages_problem: bool
    cells: list[AllocationGridCell] = field(default_factory=list)


class AllocationForm(forms.Form):
    """The second appendix as inputs: ``cell-<row>-<column>`` and ``dbkk-<row>``."""

    def __init__(self, *args: object, plan: Plan, table: AllocationTable, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.plan, self.table = plan, table
        self.problem_fields: set[str] = set()
        self.fields["version"] = plan_version_field(plan)
        for row in table.rows:
            self.fields[self.dbkk_name(row)] = forms.CharField(
                label=_("Number of especially difficult villages"),
                required=False,
                max_length=10,
                initial=format_count(row.difficult_villages)
                if row.difficult_villages is not None
                else "",
                widget=self._widget(row, _("Number of especially difficult villages")),
            )
            for column in table.columns:
                self.fields[self.cell_name(row, column)] = forms.CharField(
                    label=column.heading,
                    required=False,
                    max_length=20,
                    initial=format_count(table.cell(row, column)),
                    widget=self._widget(row, column.heading),
                )

    @staticmethod
    def _widget(row: AllocationRow, column_label: object) -> forms.TextInput:
        return forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "size": 4,
                "aria-label": f"{row} — {column_label}",
            }
        )

    @staticmethod
    def cell_name(row: AllocationRow, column: AllocationColumn) -> str:
        return f"cell-{row.pk}-{column.pk}"

    @staticmethod
    def dbkk_name(row: AllocationRow) -> str:
        return f"dbkk-{row.pk}"

    def grid(self) -> list[AllocationGridRow]:
        return [
            AllocationGridRow(
                row=row,
                difficult_villages=self[self.dbkk_name(row)],
                difficult_villages_problem=self.dbkk_name(row) in self.problem_fields,
                cells=[
                    AllocationGridCell(
                        column=column,
                        field=self[self.cell_name(row, column)],
                        has_problem=self.cell_name(row, column) in self.problem_fields,
                    )
                    for column in self.table.columns
                ],
            )
            for row in self.table.rows
        ]

    def clean(self) -> dict:
        """A save that does not say which version of the plan it was made on is refused: it
        would overwrite whatever was saved since (issue 10, lost updates)."""
        data = super().clean() or {}
        if data.get("version") is None:
            self.errors.pop("version", None)
            raise ValidationError(
                _("This form does not say which version of the record it changes; reload the page.")
            )
        return data

    def save(self, *, actor: User) -> bool:
        """Hand every value to ``allocation_set``; on refusal keep its messages and mark cells."""
        values = {
            (row.pk, column.pk): self.cleaned_data[self.cell_name(row, column)]
            for row in self.table.rows
            for column in self.table.columns
        }
        difficult = {row.pk: self.cleaned_data[self.dbkk_name(row)] for row in self.table.rows}
        try:
            allocation_set(
                plan=self.plan,
                values=values,
                difficult_villages=difficult,
                actor=actor,
                expected_version=self.cleaned_data["version"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                self.add_error(None, message)
            self._mark_problems(values, difficult)
            return False
        return True

    def _mark_problems(self, values: dict[tuple[int, int], str], difficult: dict[int, str]) -> None:
        """Find the cells behind the service's messages, to highlight them in the table."""
        parsed: dict[tuple[int, int], Decimal] = {}
        for row in self.table.rows:
            for column in self.table.columns:
                try:
                    parsed[(row.pk, column.pk)] = parse_count(values[(row.pk, column.pk)], field="")
                except ValidationError:
                    self.problem_fields.add(self.cell_name(row, column))
        rows = []
        for row in self.table.rows:
            typed = copy.copy(row)
            raw = (difficult[row.pk] or "").strip()
            typed.difficult_villages = None
            if raw:
                try:
                    number = parse_count(raw, field="")
                except ValidationError:
                    self.problem_fields.add(self.dbkk_name(row))
                else:
                    if number == number.to_integral_value():
                        typed.difficult_villages = int(number)
                    else:
                        self.problem_fields.add(self.dbkk_name(row))
            rows.append(typed)
        if not self.problem_fields:  # the service checks the sums only once every number reads
            for problem in allocation_check(rows, self.table.columns, parsed):
                if problem.column is None:
                    self.problem_fields.add(self.dbkk_name(problem.row))
                else:
                    self.problem_fields.add(self.cell_name(problem.row, problem.column))
        for name in self.problem_fields:
            self.fields[name].widget.attrs["aria-invalid"] = "true"
