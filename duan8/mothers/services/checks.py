"""The checks of a proposed or corrected case (issue 13, point 1, and its bad-input rules).

``case_problems`` returns every problem of one ``CaseInput``, each keyed by the input's field
(``visits.1.visited_on`` for an item of a list, numbered from 1), its message naming what is
wrong in words a health worker reads on a phone. It reads nothing row by row: the ethnic codes,
the villages of a commune on a date and the day rules in force come from ``CaseContext``, loaded
once for a whole batch.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.activities.models import EthnicGroup, Sex
from duan8.core.problems import Problem
from duan8.mothers.models import BenefitItem, Mother, Pregnancy
from duan8.mothers.names import id_form_ok, normalise_id
from duan8.mothers.services.inputs import CaseInput
from duan8.orgunits.inherited import villages_on
from duan8.orgunits.models import OrgUnit

ETHNIC_CODES = "qd121_tctk_1979"
# the delivery may come this long before the expected date (a birth at 20 weeks is a miscarriage)
EARLIEST_BEFORE_EXPECTED = datetime.timedelta(weeks=20)
# an antenatal visit belongs to this pregnancy when it is at most this long before the delivery
PREGNANCY_LENGTH = datetime.timedelta(days=300)
DAYS_WITHOUT_RULE = 60
MOST_BABIES = 5
AGE_AT_DELIVERY = (10, 60)


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@dataclass
class CaseContext:
    """What the checks read from the database, once for many cases."""

    ethnic: dict[str, EthnicGroup] = field(default_factory=dict)
    _villages: dict[tuple[int, datetime.date], list[OrgUnit]] = field(default_factory=dict)
    _day_items: list[BenefitItem] | None = None

    @classmethod
    def load(cls) -> CaseContext:
        groups = EthnicGroup.objects.filter(code_system=ETHNIC_CODES)
        return cls(ethnic={group.code: group for group in groups})

    def villages(self, commune: OrgUnit, on: datetime.date) -> list[OrgUnit]:
        key = (commune.pk, on)
        if key not in self._villages:
            self._villages[key] = villages_on(commune=commune, on=on)
        return self._villages[key]

    def most_days(self, on: datetime.date, mode: str) -> tuple[int, BenefitItem | None]:
        """The most days at the facility the rule in force on ``on`` pays for ``mode``, and
        that rule; ``DAYS_WITHOUT_RULE`` when no rule in force says."""
        if self._day_items is None:
            self._day_items = list(
                BenefitItem.objects.filter(basis=BenefitItem.Basis.PER_PERSON_DAY).filter(
                    Q(max_days_normal__isnull=False) | Q(max_days_caesarean__isnull=False)
                )
            )
        for item in self._day_items:
            if item.valid_from <= on and (item.valid_to is None or on <= item.valid_to):
                most = (
                    item.max_days_caesarean
                    if mode == Pregnancy.Mode.CAESAREAN
                    else item.max_days_normal
                )
                if most is not None:
                    return most, item
        return DAYS_WITHOUT_RULE, None


def case_problems(data: CaseInput, context: CaseContext) -> list[Problem]:
    """Every problem of ``data``; empty when it can be saved."""
    return [
        *_mother_problems(data, context),
        *_place_problems(data, context),
        *_dates_problems(data),
        *_delivery_problems(data, context),
        *_children_problems(data),
    ]


def _mother_problems(data: CaseInput, context: CaseContext) -> list[Problem]:
    problems: list[Problem] = []
    if not (data.full_name or "").strip():
        problems.append(Problem("full_name", _("Enter the mother's full name."), "required"))
    if (data.ethnic_code or "").strip() not in context.ethnic:
        message = _(
            "Ethnicity “%(code)s” is not one of the 54 ethnic groups; choose it from the list."
        ) % {"code": data.ethnic_code or ""}
        problems.append(Problem("ethnic_code", message, "invalid_choice"))
    digits = normalise_id(data.id_number)
    if (data.id_number or "").strip() and not id_form_ok(digits):
        message = _(
            "ID number “%(value)s” has %(count)s digits: a personal ID (CCCD) has 12 digits, "
            "an old identity card (CMND) 9."
        ) % {"value": data.id_number.strip(), "count": len(digits)}
        problems.append(Problem("id_number", message, "id_form"))
    if data.household not in Mother.Household.values:
        problems.append(
            Problem("household", _("Household status is not one of the list."), "invalid_choice")
        )
    problems += _birth_year_problems(data)
    return problems


def _birth_year_problems(data: CaseInput) -> list[Problem]:
    if data.birth_year is None:
        return [Problem("birth_year", _("Enter the mother's year of birth."), "required")]
    year = (data.event_on or timezone.localdate()).year
    youngest, oldest = AGE_AT_DELIVERY
    if not year - oldest <= data.birth_year <= year - youngest:
        message = _(
            "Year of birth %(year)s would make the mother %(age)s years old at the delivery; "
            "it must be between %(young)s and %(old)s."
        ) % {
            "year": data.birth_year,
            "age": year - data.birth_year,
            "young": youngest,
            "old": oldest,
        }
        return [Problem("birth_year", message, "range")]
    if data.birth_date is not None and data.birth_date.year != data.birth_year:
        message = _("The date of birth is not in the year of birth.")
        return [Problem("birth_date", message, "mismatch")]
    return []


def _place_problems(data: CaseInput, context: CaseContext) -> list[Problem]:
    """The commune as it was on the event's date, and a village of it that day."""
    commune, day = data.commune, data.event_on
    if commune is None or commune.level != OrgUnit.Level.COMMUNE:
        return [Problem("commune", _("Choose the commune."), "required")]
    if day is None:
        return []  # the dates' check asks for one
    if not commune.is_valid_on(day):
        message = _(
            "%(unit)s did not exist on %(date)s; record the case in the commune of that day."
        ) % {"unit": commune.full_name, "date": _day(day)}
        return [Problem("commune", message, "not_in_force")]
    if data.village is None:
        return [Problem("village", _("Choose the mother's village."), "required")]
    if data.village.pk not in {village.pk for village in context.villages(commune, day)}:
        message = _("%(village)s is not a village of %(unit)s on %(date)s.") % {
            "village": data.village.full_name,
            "unit": commune.full_name,
            "date": _day(day),
        }
        return [Problem("village", message, "not_in_commune")]
    return []


def _future(day: datetime.date | None, field_name: str, what: str) -> list[Problem]:
    if day is not None and day > timezone.localdate():
        message = _("%(what)s %(date)s is in the future.") % {"what": what, "date": _day(day)}
        return [Problem(field_name, message, "future")]
    return []


def _dates_problems(data: CaseInput) -> list[Problem]:
    """The delivery after the pregnancy began and not in the future; visits before it."""
    if data.event_on is None:
        message = _("Enter the expected delivery date or the delivery date.")
        return [Problem("delivered_on", message, "required")]
    problems = _future(data.delivered_on, "delivered_on", _("Delivery date"))
    delivered, expected = data.delivered_on, data.expected_on
    if delivered and expected and delivered < expected - EARLIEST_BEFORE_EXPECTED:
        message = _(
            "Delivery date %(date)s is more than 20 weeks before the expected date %(expected)s: "
            "before the pregnancy."
        ) % {"date": _day(delivered), "expected": _day(expected)}
        problems.append(Problem("delivered_on", message, "before_pregnancy"))
    end = delivered or expected
    assert end is not None  # noqa: S101 (event_on is set)
    for number, visit in enumerate(data.visits, start=1):
        name = f"visits.{number}.visited_on"
        if visit.visited_on is None:
            problems.append(Problem(name, _("Enter the date of the visit."), "required"))
            continue
        problems += _future(visit.visited_on, name, _("Antenatal visit"))
        if delivered and visit.visited_on > delivered:
            message = _("Antenatal visit of %(date)s is after the delivery (%(delivered)s).") % {
                "date": _day(visit.visited_on),
                "delivered": _day(delivered),
            }
            problems.append(Problem(name, message, "after_delivery"))
        elif visit.visited_on < end - PREGNANCY_LENGTH:
            message = _("Antenatal visit of %(date)s is before the pregnancy began.") % {
                "date": _day(visit.visited_on)
            }
            problems.append(Problem(name, message, "before_pregnancy"))
    return problems


def _delivery_problems(data: CaseInput, context: CaseContext) -> list[Problem]:
    problems: list[Problem] = []
    if data.place and data.place not in Pregnancy.Place.values:
        problems.append(Problem("place", _("Choose facility or home."), "invalid_choice"))
    if data.mode and data.mode not in Pregnancy.Mode.values:
        problems.append(Problem("mode", _("Choose normal or caesarean."), "invalid_choice"))
    if data.delivered_on is not None:
        if not data.place:
            problems.append(Problem("place", _("Enter where she gave birth."), "required"))
        if data.babies is None:
            problems.append(Problem("babies", _("Enter the number of babies."), "required"))
    if data.babies is not None and not 1 <= data.babies <= MOST_BABIES:
        message = _("Number of babies %(count)s: it must be from 1 to %(most)s.") % {
            "count": data.babies,
            "most": MOST_BABIES,
        }
        problems.append(Problem("babies", message, "range"))
    if data.has_carer and not (data.carer_name or "").strip():
        message = _("Enter the name of the family carer who went with her.")
        problems.append(Problem("carer_name", message, "required"))
    problems += _days_problems(data, context)
    return problems


def _days_problems(data: CaseInput, context: CaseContext) -> list[Problem]:
    days = data.days_at_facility
    if days is None:
        return []
    if days < 0:
        message = _("Days at the facility cannot be negative.")
        return [Problem("days_at_facility", message, "range")]
    if data.place and data.place != Pregnancy.Place.FACILITY and days:
        message = _("Days at the facility are recorded only for a delivery at a facility.")
        return [Problem("days_at_facility", message, "not_facility")]
    if data.delivered_on is None:
        return []
    most, item = context.most_days(data.delivered_on, data.mode)
    if days <= most:
        return []
    if item is None:
        message = _("%(days)s days at the facility: at most %(most)s.") % {
            "days": days,
            "most": most,
        }
    else:
        message = _(
            "%(days)s days at the facility: the rule in force on %(date)s (%(rule)s) pays at "
            "most %(most)s days for this kind of delivery."
        ) % {"days": days, "date": _day(data.delivered_on), "rule": item.name, "most": most}
    return [Problem("days_at_facility", message, "beyond_rule")]


def _children_problems(data: CaseInput) -> list[Problem]:
    problems: list[Problem] = []
    if data.children and data.babies is not None and len(data.children) > data.babies:
        message = _("%(count)s children recorded for %(babies)s babies born.") % {
            "count": len(data.children),
            "babies": data.babies,
        }
        problems.append(Problem("children", message, "too_many"))
    if data.children and data.delivered_on is None:
        message = _("Children are recorded with the delivery: enter its date.")
        problems.append(Problem("children", message, "no_delivery"))
    for number, child in enumerate(data.children, start=1):
        if child.sex not in Sex.values:
            message = _("Choose the child's sex.")
            problems.append(Problem(f"children.{number}.sex", message, "invalid_choice"))
        born = child.born_on
        if born and data.delivered_on and abs((born - data.delivered_on).days) > 1:
            message = _("The child's date of birth %(date)s is not the delivery date.") % {
                "date": _day(born)
            }
            problems.append(Problem(f"children.{number}.born_on", message, "mismatch"))
    return problems
