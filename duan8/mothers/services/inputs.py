"""What a proposal of one case carries: the mother, the pregnancy and its delivery, the antenatal
visits and the children, as typed on the phone form or read from a spreadsheet row.

Values are plain (codes, dates, numbers, raw text); the service (``services.registry``) checks
them all and says, field by field, what is wrong. Field names are those of the problems it
raises: ``ethnic_code``, ``delivered_on``, ``visits.2.visited_on``, ``children.0.sex``; in a batch
they come after the row: ``rows.3.delivered_on``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from duan8.orgunits.models import OrgUnit


@dataclass
class VisitInput:
    visited_on: datetime.date | None
    facility: str = ""


@dataclass
class ChildInput:
    sex: str  # activities Sex: "F" / "M"
    born_on: datetime.date | None = None  # the delivery date when not given


@dataclass
class CaseInput:
    # the mother
    commune: OrgUnit
    village: OrgUnit | None
    full_name: str
    birth_year: int | None
    ethnic_code: str  # one of the 54 codes (activities EthnicGroup, QĐ 121-TCTK)
    id_number: str = ""  # as typed; digits kept (names.normalise_id), 12 or 9 of them
    birth_date: datetime.date | None = None
    phone: str = ""
    household: str = ""  # Mother.Household
    # the pregnancy and delivery (health fields: written only by mothers.health holders)
    expected_on: datetime.date | None = None
    delivered_on: datetime.date | None = None
    place: str = ""  # Pregnancy.Place
    facility: str = ""
    mode: str = ""  # Pregnancy.Mode
    babies: int | None = None
    days_at_facility: int | None = None
    has_carer: bool = False
    carer_name: str = ""
    visits: list[VisitInput] = field(default_factory=list)
    children: list[ChildInput] = field(default_factory=list)

    @property
    def event_on(self) -> datetime.date | None:
        """The date the case is about: the delivery, or the expected date before it."""
        return self.delivered_on or self.expected_on


# The fields only holders of mothers.health read or write.
HEALTH_FIELDS = (
    "expected_on",
    "place",
    "facility",
    "mode",
    "babies",
    "days_at_facility",
    "visits",
)
