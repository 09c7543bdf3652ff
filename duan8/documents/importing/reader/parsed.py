"""What is read from a plan's file, as printed, before anything is tied to the program or the map:
``ParsedPlan`` and its parts, each with its place in the file."""

import datetime
from dataclasses import dataclass, field

from duan8.documents.importing.problems import Problems, Where


@dataclass
class Citation:
    kind: str
    number: str
    symbol: str
    issued_on: datetime.date
    issuer: str
    title: str
    where: Where
    text: str


@dataclass
class AppendixReference:
    number: int | None
    symbol: str
    issued_on: datetime.date | None
    issuer: str
    where: Where


@dataclass
class TargetRow:
    """A row of the first appendix: ``level`` content, activity or indicator."""

    level: str
    number: str
    title: str
    where: Where
    cells: dict[str, tuple[str, Where]] = field(default_factory=dict)  # scope → text, place


@dataclass
class AllocationLine:
    number: str
    label: str
    where: Where
    difficult: tuple[str, Where]
    values: list[tuple[str, Where]]


@dataclass
class AllocationColumnHead:
    group: str
    heading: str
    where: Where


@dataclass
class AllocationSheet:
    difficult_heading: str
    columns: list[AllocationColumnHead]
    rows: list[AllocationLine]
    where: Where


@dataclass
class ParsedPlan:
    """Everything read from the file, as printed, with the places of what was not."""

    kind: str
    number: int | None = None
    symbol: str = ""
    number_where: Where | None = None
    place: str = ""
    issued_on: datetime.date | None = None
    date_where: Where | None = None
    agencies: list[tuple[str, Where]] = field(default_factory=list)
    title: str = ""
    legal_bases: list[Citation] = field(default_factory=list)
    proposal: str = ""
    purposes: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    specific_targets: list[str] = field(default_factory=list)
    focuses: list[tuple[int, str, list[str], Where]] = field(default_factory=list)
    budget_lines: list[str] = field(default_factory=list)
    responsibilities: list[tuple[str, list[str]]] = field(default_factory=list)
    closing: str = ""
    recipients: list[str] = field(default_factory=list)
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    appendix_references: list[AppendixReference] = field(default_factory=list)
    years: list[tuple[int, str]] = field(default_factory=list)  # (year, where it was read)
    targets: list[TargetRow] = field(default_factory=list)
    targets_where: Where | None = None
    allocation: AllocationSheet | None = None
    problems: Problems = field(default_factory=Problems)
