"""The packages' rules as shipped (``data/package_rules.json``): their schema and their loader.

Format ``duan8.package_rules/1``: ``{"format", "source", "notes", "documents": [...], "rules":
[...], "items": [...]}``. Documents are the legal sources, registered once in
``legal.LegalDocument``; each rule and item names one by its ``key``. A rule of the province
condition lists its provinces by code scheme and code (old and new codes), linked to the map's
units that exist when the file is loaded.

The migration ``mothers/0003`` loads the file once; ``duan8 load_package_rules`` loads it again
(after ``load_geography``, so the provinces are found). Loading is safe to repeat: a rule or
item is matched by code and the date it applies from, and an existing row is left as the
administrator made it (only provinces missing from it are added), so edits survive.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import Field, model_validator

from duan8.core.schemas import Count, Day, FileSchema, Name, Text, fits, load, read_json
from duan8.legal.models import LegalDocument
from duan8.mothers.models import BenefitItem, EligibilityRule
from duan8.orgunits.models import OrgUnit

RULES_FILE = Path(__file__).resolve().parent / "data" / "package_rules.json"


class DocumentRow(FileSchema):
    key: Name
    kind: Annotated[LegalDocument.Kind, Field(strict=False)]
    number: Annotated[Name, fits(LegalDocument, "number")]
    symbol: Annotated[Name, fits(LegalDocument, "symbol")]
    issued_on: Day
    issuer: Annotated[Name, fits(LegalDocument, "issuer")]
    title: Text = ""


class ProvinceRow(FileSchema):
    scheme: Annotated[OrgUnit.CodeScheme, Field(strict=False)]
    code: Name
    name: Text = ""


class Dated(FileSchema):
    code: Annotated[Name, fits(EligibilityRule, "code")]
    document: Name
    article: Annotated[Text, fits(EligibilityRule, "legal_article")] = ""
    valid_from: Day
    valid_to: Day | None = None
    verified: bool = True

    @model_validator(mode="after")
    def _period_ordered(self) -> Dated:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(_("valid_to must not be before valid_from"))
        return self


class RuleRow(Dated):
    kind: Annotated[EligibilityRule.Kind, Field(strict=False)]
    name: Annotated[Name, fits(EligibilityRule, "name")]
    provinces: list[ProvinceRow] = []


class ItemRow(Dated):
    name: Annotated[Name, fits(BenefitItem, "name")]
    amount: Count
    basis: Annotated[BenefitItem.Basis, Field(strict=False)]
    with_carer: bool = False
    needs_facility_delivery: bool = False
    max_days_normal: Count | None = None
    max_days_caesarean: Count | None = None
    max_visits: Count | None = None
    order: Count = 0


class PackageRulesFile(FileSchema):
    format: Literal["duan8.package_rules/1"]
    source: Text = ""
    notes: list[Text] = []
    documents: list[DocumentRow]
    rules: list[RuleRow]
    items: list[ItemRow]

    @model_validator(mode="after")
    def _documents_known(self) -> PackageRulesFile:
        keys = {document.key for document in self.documents}
        rows: list[Dated] = [*self.rules, *self.items]
        unknown = sorted({row.document for row in rows} - keys)
        if unknown:
            raise ValueError(_("no document has the key %(keys)s") % {"keys": ", ".join(unknown)})
        return self


@dataclass(frozen=True)
class Loaded:
    rules_created: int
    items_created: int
    provinces_linked: int
    provinces_missing: list[str]


def package_rules_read(path: Path | str = RULES_FILE) -> PackageRulesFile:
    path = Path(path)
    return load(PackageRulesFile, read_json(path), source=path.name)


def _documents(spec: PackageRulesFile) -> dict[str, LegalDocument]:
    found = {}
    for row in spec.documents:
        document, _created = LegalDocument.objects.get_or_create(
            number=row.number,
            symbol=row.symbol,
            issued_on=row.issued_on,
            issuer=row.issuer,
            defaults={"kind": row.kind.value, "title": row.title},
        )
        found[row.key] = document
    return found


def _provinces(rows: list[ProvinceRow]) -> Iterator[tuple[ProvinceRow, OrgUnit | None]]:
    for row in rows:
        unit = OrgUnit.objects.filter(
            code_scheme=row.scheme.value, level=OrgUnit.Level.PROVINCE, code=row.code
        ).first()
        yield row, unit


@transaction.atomic
def package_rules_load(*, path: Path | str = RULES_FILE) -> Loaded:
    """Load the file (checked first as a whole: ``FileInvalid`` names each problem)."""
    spec = package_rules_read(path)
    documents = _documents(spec)
    rules_created = items_created = linked = 0
    missing: list[str] = []
    for row in spec.rules:
        rule, created = EligibilityRule.objects.get_or_create(
            code=row.code,
            valid_from=row.valid_from,
            defaults={
                "kind": row.kind.value,
                "name": row.name,
                "legal_source": documents[row.document],
                "legal_article": row.article,
                "valid_to": row.valid_to,
                "verified": row.verified,
            },
        )
        rules_created += created
        have = set(rule.provinces.values_list("pk", flat=True))
        for province, unit in _provinces(row.provinces):
            if unit is None:
                missing.append(f"{province.scheme.value}:{province.code} {province.name}")
            elif unit.pk not in have:
                rule.provinces.add(unit)
                linked += 1
    for item in spec.items:
        _obj, created = BenefitItem.objects.get_or_create(
            code=item.code,
            valid_from=item.valid_from,
            defaults={
                "name": item.name,
                "amount": item.amount,
                "basis": item.basis.value,
                "with_carer": item.with_carer,
                "needs_facility_delivery": item.needs_facility_delivery,
                "max_days_normal": item.max_days_normal,
                "max_days_caesarean": item.max_days_caesarean,
                "max_visits": item.max_visits,
                "legal_source": documents[item.document],
                "legal_article": item.article,
                "valid_to": item.valid_to,
                "verified": item.verified,
                "order": item.order,
            },
        )
        items_created += created
    return Loaded(rules_created, items_created, linked, missing)
