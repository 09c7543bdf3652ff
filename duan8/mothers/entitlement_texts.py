"""The engine's messages in the active language, translated once per language and process.

``entitlement_for`` runs for up to 100,000 cases at once; a gettext call per message and case
costs more than the computation itself, so the templates are looked up here once and the engine
only fills them in."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from django.utils.translation import get_language
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from duan8.mothers.models import BenefitItem, EligibilityRule


class Texts:
    def __init__(self) -> None:
        self.minority_met = _("The mother is %(group)s, an ethnic minority (%(rule)s; %(source)s).")
        self.minority_not = _(
            "Not eligible: the mother is %(group)s, not an ethnic minority (%(rule)s; %(source)s)."
        )
        self.dbkk_met = _(
            "%(village)s was an especially difficult village on %(date)s (%(rule)s; %(source)s)."
        )
        self.dbkk_not = _(
            "Not eligible: %(village)s was not an especially difficult village on %(date)s"
            " (%(rule)s; %(source)s)."
        )
        self.province_unknown = _(
            "Not eligible: the case's province on %(date)s is not known (%(rule)s; %(source)s)."
        )
        self.province_none = _(
            "Not eligible: the rule lists no province yet (%(rule)s; %(source)s)."
        )
        self.province_met = _(
            "%(province)s is a province where the packages apply on %(date)s"
            " (%(rule)s; %(source)s)."
        )
        self.province_not = _(
            "Not eligible: %(province)s is not among the provinces of the rule on %(date)s"
            " (%(rule)s; %(source)s)."
        )
        self.mother = _("the mother")
        self.with_carer = _("the mother and one family carer")
        self.no_carer = _("the mother only: no family carer recorded")
        self.line = _(
            "%(item)s: %(quantity)s × %(unit)s = %(amount)s VND (%(detail)s; %(source)s)."
        )
        self.not_due = _("%(item)s: not due — %(reason)s (%(source)s).")
        self.no_days = _("the days at the facility are not recorded")
        self.person_days = _("%(persons)s person(s) (%(who)s) × %(days)s day(s)")
        self.caesarean = _("caesarean")
        self.normal = _("normal delivery")
        self.days_capped = _("%(given)s days at the facility, capped at %(cap)s (%(kind)s)")
        self.no_visit = _("no antenatal visit is recorded")
        self.visits = _("%(visits)s antenatal visit(s)")
        self.visits_capped = _("%(given)s visits recorded, capped at %(cap)s")
        self.home = _("only for a delivery at a health facility; she gave birth at home")
        self.place_unknown = _(
            "only for a delivery at a health facility; the place is not recorded"
        )
        self.persons = _("%(persons)s person(s): %(who)s")
        self.one_kit = _("one kit")
        self.once = _("once")
        self.absent = _("no period of this item covers %(date)s (%(period)s)")
        self.no_date = _("Neither the delivery date nor the expected date is recorded.")
        self.no_rule = _("No eligibility rule is in force on %(date)s.")
        self.no_item = _("No package item is in force on %(date)s.")
        self.from_day = _("from %(start)s")
        self.no_source = _("no legal source recorded")
        self.unverified = _("%(source)s — not verified against the text")


_BY_LANGUAGE: dict[str, Texts] = {}


def texts(language: str | None = None) -> Texts:
    """The messages in ``language`` (the active one by default)."""
    language = language if language is not None else get_language() or ""
    found = _BY_LANGUAGE.get(language)
    if found is None:
        found = _BY_LANGUAGE[language] = Texts()
    return found


def money(amount: Decimal | int) -> str:
    """ "2.200.000": an amount as Vietnamese documents write it."""
    return f"{int(amount):,}".replace(",", ".")


@lru_cache(maxsize=8192)
def day_text(day: datetime.date) -> str:
    """ "04/03/2022" (kept: a national run writes the same few thousand days 300,000 times)."""
    return day.strftime("%d/%m/%Y")


def source_of(row: EligibilityRule | BenefitItem) -> str:
    """Its legal source as cited: "Thông tư số 15/2022/TT-BTC, Điều 38" (+ not verified)."""
    t = texts()
    parts = [str(row.legal_source) if row.legal_source else t.no_source]
    if row.legal_article:
        parts.append(row.legal_article)
    text = ", ".join(parts)
    if not row.verified:
        text = t.unverified % {"source": text}
    return text


def period_of(row: EligibilityRule | BenefitItem) -> str:
    """ "from 04/03/2022" or "04/03/2022 – 31/12/2024"."""
    if row.valid_to is None:
        return texts().from_day % {"start": day_text(row.valid_from)}
    return f"{day_text(row.valid_from)} – {day_text(row.valid_to)}"
