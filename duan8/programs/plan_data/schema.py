"""The declared shape of a plan file (``duan8.plan/1``): types, lengths, allowed values.

What needs the database (the project and its elements, the villages, a document or a target
given twice) is checked afterwards, in ``reading``.
"""

from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from duan8.core.schemas import Day, FileSchema, Filled, NullText, Text, fits, none_as_list
from duan8.legal.models import LegalDocument
from duan8.programs.models import (
    AllocationColumn,
    AllocationRow,
    Plan,
    PlanResponsibility,
    Target,
)
from duan8.programs.services import parse_count

FORMAT: Literal["duan8.plan/1"] = "duan8.plan/1"
MAX_VALUE = Decimal(10) ** 12  # Target.value / AllocationCell.value: 14 digits, 2 decimals


def _count(raw: Any) -> Decimal | None:
    """A printed count ("01", "0", 3): a non-negative number with at most two decimals;
    ``""`` is no count."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": raw})
    try:
        value = parse_count(str(raw), field="value")
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from exc
    if value >= MAX_VALUE or value != value.quantize(Decimal("0.01")):
        raise ValueError(_("“%(value)s” is too large or too precise.") % {"value": raw})
    return value


def _value(raw: Any) -> Decimal:
    """A cell of the allocation table: a printed count, ``""`` for 0."""
    if raw == "":
        return Decimal(0)
    value = _count(raw)
    if value is None:
        raise ValueError(_("“%(value)s” is not a number.") % {"value": raw})
    return value


def _line(value: str) -> str:
    if not value or "\n" in value:
        raise ValueError(_("a line is empty or holds a line break."))
    return value


# A printed count, or None for an empty cell.
Count = Annotated[Decimal | None, BeforeValidator(_count)]
Value = Annotated[Decimal, BeforeValidator(_value)]
# "Lines": one item or paragraph each, kept as printed; ``null`` is none.
Lines = Annotated[list[Annotated[Text, AfterValidator(_line)]], BeforeValidator(none_as_list)]
Body = Annotated[Lines, Field(min_length=1)]
Listed = BeforeValidator(none_as_list)


class Document(FileSchema):
    """A document the plan cites; the register matches it on (number, symbol, date, issuer)."""

    kind: Annotated[LegalDocument.Kind, Field(strict=False)]
    number: Annotated[Text, Filled, fits(LegalDocument, "number")]
    symbol: Annotated[Text, Filled, fits(LegalDocument, "symbol")]
    issued_on: Day
    issuer: Annotated[Text, Filled, fits(LegalDocument, "issuer")]
    title: NullText = ""

    @property
    def key(self) -> tuple[str, str, Any, str]:
        return (self.number, self.symbol, self.issued_on, self.issuer)


class Focus(FileSchema):
    content: Text
    heading: NullText = ""  # as printed, not stored
    body: Body


class Responsibility(FileSchema):
    agency: Annotated[Text, Filled, fits(PlanResponsibility, "agency")]
    body: Body


class Cell(FileSchema):
    """A cell of the first appendix: a number, a text, none ("-") or suspended (a reason)."""

    kind: Annotated[Target.Kind, Field(strict=False)]
    value: Count = None
    text: NullText = ""

    @model_validator(mode="after")
    def _filled(self) -> "Cell":
        given = self.model_fields_set - {"kind"}
        allowed = {Target.Kind.NUMBER: {"value"}, Target.Kind.NONE: set()}.get(self.kind, {"text"})
        if given - allowed:
            raise ValueError(
                _("a cell of kind “%(kind)s” has no %(fields)s.")
                % {"kind": self.kind.value, "fields": ", ".join(sorted(given - allowed))}
            )
        if self.kind == Target.Kind.NUMBER and self.value is None:
            raise ValueError(_("a number is required."))
        if self.kind in (Target.Kind.TEXT, Target.Kind.SUSPENDED) and not self.text:
            raise ValueError(_("the text is missing."))
        return self


class TargetRow(FileSchema):
    element: Text
    commune: Cell | None = None
    village: Cell | None = None


class Column(FileSchema):
    element: Text
    group: Annotated[NullText, fits(AllocationColumn, "group")] = ""
    heading: Annotated[Text, Filled]


class Row(FileSchema):
    """A row of the second appendix: the total, an agency or a village, with its children."""

    kind: Annotated[AllocationRow.Kind, Field(strict=False)]
    number: Annotated[NullText, fits(AllocationRow, "number")] = ""
    label: Annotated[Text, Filled, fits(AllocationRow, "label")]
    village: Text | None = None
    difficult_villages: Count = None
    values: list[Value]
    children: list["Row"] = []

    @field_validator("difficult_villages")
    @classmethod
    def _whole(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and value != value.to_integral_value():
            raise ValueError(_("the number of villages must be a whole number."))
        return value

    @model_validator(mode="after")
    def _village_of_a_village_row(self) -> "Row":
        if self.kind == AllocationRow.Kind.VILLAGE and not self.village:
            raise ValueError(_("a village row names its village."))
        if self.kind != AllocationRow.Kind.VILLAGE and self.village is not None:
            raise ValueError(_("only a village row names a village."))
        return self


class Allocation(FileSchema):
    difficult_villages_heading: NullText = ""  # as printed, not stored
    columns: list[Column] = []
    rows: list[Row] = []


class PlanFile(FileSchema):
    """A whole plan: header, texts, documents, the two appendices."""

    format: Literal["duan8.plan/1"]
    source: Text = ""  # for readers, not stored
    notes: list[Text] = []
    project: Annotated[Text, Filled]
    year: Annotated[int, Field(ge=0)]
    number: Annotated[int, Field(ge=0)] | None = None
    symbol: Annotated[Text, Filled, fits(Plan, "symbol")]
    issued_on: Day | None = None
    place: Annotated[NullText, fits(Plan, "place")] = ""
    issuing_body: Annotated[NullText, Filled, fits(Plan, "issuing_body")]
    parent_body: Annotated[NullText, fits(Plan, "parent_body")] = ""
    title: Annotated[NullText, Filled]
    proposal: NullText = ""
    budget_text: NullText = ""
    closing: NullText = ""
    signer_authority: Annotated[NullText, fits(Plan, "signer_authority")] = ""
    signer_title: Annotated[NullText, fits(Plan, "signer_title")] = ""
    signer_name: Annotated[NullText, fits(Plan, "signer_name")] = ""
    purposes: Lines = []
    requirements: Lines = []
    recipients: Lines = []
    specific_targets: Lines = []  # section II, not stored: the model has no field for it yet
    legal_bases: Annotated[list[Document], Listed] = []
    budget_source: Document | None = None
    cited_documents: Annotated[list[Document], Listed] = []
    focuses: Annotated[list[Focus], Listed] = []
    responsibilities: Annotated[list[Responsibility], Listed] = []
    targets: Annotated[list[TargetRow], Listed] = []
    allocation: Allocation | None = None

    def texts(self) -> dict[str, str]:
        """The plan's own texts as stored; lines joined by line breaks."""
        texts = {name: getattr(self, name) for name in HEADER_TEXTS}
        texts.update({name: "\n".join(getattr(self, name)) for name in HEADER_LINES})
        return texts


HEADER_TEXTS = (
    "place",
    "issuing_body",
    "parent_body",
    "title",
    "proposal",
    "budget_text",
    "closing",
    "signer_authority",
    "signer_title",
    "signer_name",
)
HEADER_LINES = ("purposes", "requirements", "recipients")
