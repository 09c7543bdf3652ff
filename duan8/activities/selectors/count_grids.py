"""Participants as a grid: by sex × ethnic minority or not (rows) × adults and children
(columns), as the entry form asks for them and the event's page shows them."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from duan8.activities.models import AgeGroup, Event, ParticipantCount, Sex
from duan8.activities.services.events import CountInput, PersonInput, counts_from_people


@dataclass
class CountRow:
    sex: str
    minority: bool
    label: str
    adult: int = 0
    child: int = 0

    @property
    def total(self) -> int:
        return self.adult + self.child


@dataclass
class CountGrid:
    """Participants by sex × ethnic minority or not (rows) × adults / children (columns)."""

    rows: list[CountRow] = field(default_factory=list)

    @property
    def adult(self) -> int:
        return sum(r.adult for r in self.rows)

    @property
    def child(self) -> int:
        return sum(r.child for r in self.rows)

    @property
    def total(self) -> int:
        return self.adult + self.child

    @property
    def women(self) -> int:
        return sum(r.total for r in self.rows if r.sex == Sex.FEMALE)

    @property
    def minority(self) -> int:
        return sum(r.total for r in self.rows if r.minority)

    @property
    def girls(self) -> int:
        return sum(r.child for r in self.rows if r.sex == Sex.FEMALE)


# The order of the rows on the form and the page: women first, ethnic minorities first (most
# participants in the communes of Dự án 8 are both).
GRID_ROWS: list[tuple[str, bool]] = [
    (Sex.FEMALE, True),
    (Sex.FEMALE, False),
    (Sex.MALE, True),
    (Sex.MALE, False),
]


def grid_row_label(sex: str, minority: bool) -> str:
    labels: dict[tuple[str, bool], str] = {
        (Sex.FEMALE, True): _("Women, ethnic minority"),
        (Sex.FEMALE, False): _("Women, not ethnic minority"),
        (Sex.MALE, True): _("Men, ethnic minority"),
        (Sex.MALE, False): _("Men, not ethnic minority"),
    }
    return labels[(sex, minority)]


def count_grid(counts: list[ParticipantCount] | list[CountInput]) -> CountGrid:
    rows = {
        key: CountRow(sex=key[0], minority=key[1], label=grid_row_label(*key)) for key in GRID_ROWS
    }
    for cell in counts:
        row = rows[(cell.sex, cell.minority)]
        if cell.age_group == AgeGroup.CHILD:
            row.child += cell.count
        else:
            row.adult += cell.count
    return CountGrid(rows=list(rows.values()))


def people_grid(people: list[PersonInput], on: datetime.date) -> CountGrid:
    """The counts a list of persons makes (the services derive an event's counts the same way)."""
    cells = counts_from_people(people, on)
    return count_grid([CountInput(s, m, a, n) for (s, m, a), n in cells.items()])


def event_counts(event: Event) -> CountGrid:
    return count_grid(list(event.counts.all()))
