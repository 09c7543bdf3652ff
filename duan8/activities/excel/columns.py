"""The building blocks of the kinds of record (``kinds``): a column's type and header, a kind's
columns, and the columns several kinds share (the unit, a person, the plan activity, the
participant counts). Headers are msgids (Vietnamese by translation)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from duan8.activities.models import AgeGroup, Sex

TEXT, DATE, INT, YEAR, MONEY, CHOICE = "text", "date", "int", "year", "money", "choice"


@dataclass(frozen=True)
class Column:
    key: str
    header: Promise
    help: Promise
    type: str = TEXT
    required: bool = False
    choices: str = ""  # the name of a list of the "Danh mục" sheet
    personal: bool = False  # names, ethnicity, year of birth: only for records.personal
    export_only: bool = False  # written by exports, ignored by uploads
    width: int = 18
    max_length: int = 255


@dataclass(frozen=True)
class Kind:
    key: str  # used in audit actions: activities.<key>.imported / .exported
    slug: str  # used in URLs
    title: Promise
    sheet_title: Promise
    record: Promise  # what one row is, for the instructions
    columns: tuple[Column, ...]
    needs_plan: bool = False  # cannot be uploaded without a plan
    plan_bound: bool = False  # records of a plan's year (checked against it, exported by plan)
    notes: tuple[Promise, ...] = ()

    @property
    def upload_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.export_only]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


VILLAGE_OR_COMMUNE = _("Village or commune")


def unit_column(header: Promise = VILLAGE_OR_COMMUNE) -> Column:
    return Column(
        "unit",
        header,
        _("The village (thôn) where it happens, or the commune itself."),
        CHOICE,
        required=True,
        choices="units",
        width=22,
    )


def person_columns() -> tuple[Column, ...]:
    return (
        Column(
            "full_name",
            _("Full name"),
            _("Full name with accents, as on the identity card."),
            required=True,
            personal=True,
            width=26,
            max_length=120,
        ),
        Column(
            "sex",
            _("Sex"),
            _("Nữ or Nam."),
            CHOICE,
            required=True,
            choices="sexes",
            width=10,
        ),
        Column(
            "ethnic_group",
            _("Ethnicity"),
            _("One of the 54 ethnic groups, with its code (QĐ 121-TCTK), e.g. “19 - Hrê”."),
            CHOICE,
            required=True,
            choices="ethnic_groups",
            personal=True,
            width=18,
        ),
        Column(
            "birth_year",
            _("Year of birth"),
            _("Four digits, e.g. 1985."),
            YEAR,
            personal=True,
            width=10,
        ),
    )


# Participants of an event by sex × ethnic minority or not × age group (children under 16).
COUNT_CELLS: tuple[tuple[str, bool, str, Promise], ...] = (
    (Sex.FEMALE, True, AgeGroup.ADULT, _("Women, ethnic minority (16 and over)")),
    (Sex.FEMALE, True, AgeGroup.CHILD, _("Girls, ethnic minority (under 16)")),
    (Sex.FEMALE, False, AgeGroup.ADULT, _("Women, not ethnic minority (16 and over)")),
    (Sex.FEMALE, False, AgeGroup.CHILD, _("Girls, not ethnic minority (under 16)")),
    (Sex.MALE, True, AgeGroup.ADULT, _("Men, ethnic minority (16 and over)")),
    (Sex.MALE, True, AgeGroup.CHILD, _("Boys, ethnic minority (under 16)")),
    (Sex.MALE, False, AgeGroup.ADULT, _("Men, not ethnic minority (16 and over)")),
    (Sex.MALE, False, AgeGroup.CHILD, _("Boys, not ethnic minority (under 16)")),
)


def count_key(sex: str, minority: bool, age_group: str) -> str:
    return f"count_{sex.lower()}_{'dt' if minority else 'k'}_{age_group}"


def activity_column(required: bool) -> Column:
    return Column(
        "activity",
        _("Plan activity"),
        _("The activity or line of the plan it serves, chosen from the list (code and label)."),
        CHOICE,
        required=required,
        choices="activities",
        width=40,
    )
