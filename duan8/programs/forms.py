"""Forms over the plan's two appendices. They only translate input; the services do the writing."""

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from duan8.accounts.models import User
from duan8.core.problems import on_form, with_label
from duan8.programs.models import (
    AllocationColumn,
    AllocationRow,
    Plan,
    ProgramElement,
    Target,
    format_count,
)
from duan8.programs.selectors import AllocationTable, AppendixLine, element_label
from duan8.programs.services import (
    TargetInput,
    allocation_field,
    allocation_set,
    target_field,
    targets_set,
)

KIND_CHOICES = [("", _("(no target)")), *Target.Kind.choices]
CELL_PARTS = ("kind", "value", "text")


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
    label: str  # "Nội dung 1, Hoạt động 1, dòng 1 (…) — Cấp xã", for the list at the top
    kind: BoundField
    value: BoundField
    text: BoundField

    @property
    def parts(self) -> list[BoundField]:
        return [self.kind, self.value, self.text]

    @property
    def errors(self) -> list[str]:
        """The cell's messages, shown inside it (each under the id its input points to)."""
        return [*self.kind.errors, *self.value.errors, *self.text.errors]

    @property
    def summary(self) -> list[str]:
        """The cell's messages naming the cell, for the list at the top of the form."""
        return [with_label(self.label, message) for message in self.errors]


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


class TargetsForm(forms.Form):
    """Every cell of the first appendix: a kind, a number and a text, for commune and village.

    ``save`` hands the changed cells to ``targets_set``, which checks them all and saves nothing
    when any is wrong; each problem, keyed by its cell's input, is then shown in that cell.
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
                        label=f"{element_label(line.element)} — {label}",
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
            for scope in Target.Scope.values:
                prefix = self.prefix_for(line, scope)
                if prefix not in changed:
                    continue
                items.append(
                    TargetInput(
                        element=line.element,
                        scope=scope,
                        kind=self.cleaned_data[f"{prefix}-kind"],
                        value=self.cleaned_data[f"{prefix}-value"],
                        text=self.cleaned_data[f"{prefix}-text"],
                    )
                )
                for part in CELL_PARTS:
                    fields[target_field(line.element, scope, part)] = f"{prefix}-{part}"
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
            on_form(self, exc, fields=fields)
            return None


@dataclass
class AllocationGridCell:
    column: AllocationColumn
    field: BoundField

    @property
    def has_problem(self) -> bool:
        return bool(self.field.errors)


@dataclass
class AllocationGridRow:
    row: AllocationRow
    difficult_villages: BoundField
    cells: list[AllocationGridCell] = field(default_factory=list)

    @property
    def difficult_villages_problem(self) -> bool:
        return bool(self.difficult_villages.errors)


class AllocationForm(forms.Form):
    """The second appendix as inputs: ``cell-<row>-<column>`` and ``dbkk-<row>``.

    The table's inputs are too narrow for a message: a cell with a problem is highlighted and its
    message listed above the table, naming the cell (``problems``)."""

    def __init__(self, *args: object, plan: Plan, table: AllocationTable, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.plan, self.table = plan, table
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

    def _cells(self) -> list[tuple[str, str, str]]:
        """Every input of the table: (form field, service field, place named in messages)."""
        place = gettext("Row “%(row)s”, column “%(column)s”")
        dbkk = gettext("Number of especially difficult villages")
        cells = []
        for row in self.table.rows:
            cells.append(
                (
                    self.dbkk_name(row),
                    allocation_field(row.pk),
                    place % {"row": row, "column": dbkk},
                )
            )
            cells.extend(
                (
                    self.cell_name(row, column),
                    allocation_field(row.pk, column.pk),
                    place % {"row": row, "column": column.heading},
                )
                for column in self.table.columns
            )
        return cells

    def grid(self) -> list[AllocationGridRow]:
        return [
            AllocationGridRow(
                row=row,
                difficult_villages=self[self.dbkk_name(row)],
                cells=[
                    AllocationGridCell(column=column, field=self[self.cell_name(row, column)])
                    for column in self.table.columns
                ],
            )
            for row in self.table.rows
        ]

    def problems(self) -> list[str]:
        """What was refused, for the list above the table: the form's own messages, then each
        cell's naming the cell."""
        listed = [str(message) for message in self.non_field_errors()]
        for name, _field, place in self._cells():
            listed.extend(with_label(place, str(message)) for message in self.errors.get(name, []))
        return listed

    def save(self, *, actor: User) -> bool:
        """Hand every value to ``allocation_set``; on refusal put each problem on its cell."""
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
            on_form(self, exc, fields={key: name for name, key, _place in self._cells()})
            for name in self.errors:
                if name in self.fields:
                    self.fields[name].widget.attrs["aria-invalid"] = "true"
            return False
        return True
