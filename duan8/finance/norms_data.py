"""The spending norms as shipped (``data/spending_norms.json``): their schema and their loader.

Format ``duan8.spending_norms/1``: ``{"format", "source", "notes", "documents": [...], "norms":
[...]}``. Documents are the legal sources, registered once in ``legal.LegalDocument``; each norm
names one by its ``key``. A norm whose amount was not checked against the text says so
(``verified: false`` and its ``note``); its amount is 0 until an administrator enters it.

The migration ``finance/0003`` loads the file once; ``duan8 load_spending_norms`` loads it again.
Loading is safe to repeat: a norm is matched by its code and the date it applies from, and an
existing row is left as the administrator made it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import Field, model_validator

from duan8.core.schemas import Count, Day, FileSchema, Name, Text, fits, load, read_json
from duan8.finance.models import SpendingNorm
from duan8.legal.models import LegalDocument

NORMS_FILE = Path(__file__).resolve().parent / "data" / "spending_norms.json"


class DocumentRow(FileSchema):
    key: Name
    kind: Annotated[LegalDocument.Kind, Field(strict=False)]
    number: Annotated[Name, fits(LegalDocument, "number")]
    symbol: Annotated[Name, fits(LegalDocument, "symbol")]
    issued_on: Day
    issuer: Annotated[Name, fits(LegalDocument, "issuer")]
    title: Text = ""


class NormRow(FileSchema):
    code: Annotated[Name, fits(SpendingNorm, "code")]
    cost_line: Annotated[SpendingNorm.CostLine, Field(strict=False)]
    name: Annotated[Name, fits(SpendingNorm, "name")]
    unit: Annotated[Name, fits(SpendingNorm, "unit")]
    amount: Count
    is_ceiling: bool = False
    document: Name
    article: Annotated[Text, fits(SpendingNorm, "legal_article")] = ""
    valid_from: Day
    valid_to: Day | None = None
    verified: bool
    note: Text = ""

    @model_validator(mode="after")
    def _checked(self) -> NormRow:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(_("valid_to must not be before valid_from"))
        if not self.verified and not self.note:
            raise ValueError(_("an unverified norm says why in its note"))
        return self


class SpendingNormsFile(FileSchema):
    format: Literal["duan8.spending_norms/1"]
    source: Text = ""
    notes: list[Text] = []
    documents: list[DocumentRow]
    norms: list[NormRow]

    @model_validator(mode="after")
    def _consistent(self) -> SpendingNormsFile:
        keys = {document.key for document in self.documents}
        unknown = sorted({row.document for row in self.norms} - keys)
        if unknown:
            raise ValueError(_("no document has the key %(keys)s") % {"keys": ", ".join(unknown)})
        seen = [(row.code, row.valid_from) for row in self.norms]
        if len(seen) != len(set(seen)):
            raise ValueError(_("two norms have the same code and start date"))
        return self


def spending_norms_read(path: Path | str = NORMS_FILE) -> SpendingNormsFile:
    path = Path(path)
    return load(SpendingNormsFile, read_json(path), source=path.name)


@functools.cache
def shipped_notes() -> dict[str, str]:
    """The shipped file's note of each norm, by code (shown beside an unverified norm)."""
    return {row.code: row.note for row in spending_norms_read().norms}


@dataclass(frozen=True)
class Loaded:
    created: int
    kept: int


@transaction.atomic
def spending_norms_load(*, path: Path | str = NORMS_FILE) -> Loaded:
    """Load the file (checked first as a whole: ``FileInvalid`` names each problem)."""
    spec = spending_norms_read(path)
    documents = {}
    for row in spec.documents:
        documents[row.key], _created = LegalDocument.objects.get_or_create(
            number=row.number,
            symbol=row.symbol,
            issued_on=row.issued_on,
            issuer=row.issuer,
            defaults={"kind": row.kind.value, "title": row.title},
        )
    created = 0
    for norm in spec.norms:
        _obj, made = SpendingNorm.objects.get_or_create(
            code=norm.code,
            valid_from=norm.valid_from,
            defaults={
                "cost_line": norm.cost_line.value,
                "name": norm.name,
                "unit": norm.unit,
                "amount": norm.amount,
                "is_ceiling": norm.is_ceiling,
                "legal_source": documents[norm.document],
                "legal_article": norm.article,
                "valid_to": norm.valid_to,
                "verified": norm.verified,
            },
        )
        created += made
    return Loaded(created=created, kept=len(spec.norms) - created)
