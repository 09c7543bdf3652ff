"""Cases for the rules' tests, written straight to the models (the engine and approval are tested
apart from the registry's proposal service): the shipped rules loaded, the villages' ĐBKK
attributes, and ``make_case`` for a mother and her pregnancy with any delivery."""

from __future__ import annotations

import datetime
from typing import Any

from duan8.activities.models import EthnicGroup
from duan8.mothers.models import AntenatalVisit, Consent, ConsentText, Mother, Pregnancy
from duan8.mothers.rules_data import package_rules_load
from duan8.orgunits.models import OrgUnit, OrgUnitAttribute

DBKK_FROM = datetime.date(2021, 9, 16)  # QĐ 612/QĐ-UBDT
DELIVERED = datetime.date(2025, 3, 10)


def rules_world(villages: dict[str, OrgUnit]) -> None:
    """The shipped rules (provinces linked to the map of the test) and thôn Nước Đang and Bùi
    Hui ĐBKK from 16/9/2021; thôn Kon Riêng is left without the attribute."""
    package_rules_load()
    for name in ("Nước Đang", "Bùi Hui"):
        OrgUnitAttribute.objects.create(
            org_unit=villages[name],
            key=OrgUnitAttribute.Key.ESPECIALLY_DIFFICULT_VILLAGE,
            valid_from=DBKK_FROM,
        )


def make_case(
    village: OrgUnit,
    *,
    ethnic_code: str = "19",
    status: str = Pregnancy.Status.PROPOSED,
    visits: int = 0,
    name: str = "Đinh Thị Lan",
    consent: bool = True,
    **fields: Any,
) -> Pregnancy:
    """A Hrê mother of ``village`` who gave birth at a facility on 10/3/2025, normally, with a
    carer, 3 days; ``fields`` change the pregnancy."""
    commune = village.parent
    assert commune is not None
    mother = Mother.objects.create(
        commune=commune,
        village=village,
        full_name=name,
        name_key=name.lower(),
        birth_year=1998,
        ethnic_group=EthnicGroup.objects.get(code=ethnic_code),
    )
    values: dict[str, Any] = {
        "delivered_on": DELIVERED,
        "expected_on": DELIVERED,
        "place": Pregnancy.Place.FACILITY,
        "mode": Pregnancy.Mode.NORMAL,
        "babies": 1,
        "days_at_facility": 3,
        "has_carer": True,
        "carer_name": "Đinh Văn Lũy",
        "status": status,
    }
    values.update(fields)
    pregnancy = Pregnancy.objects.create(mother=mother, village=village, commune=commune, **values)
    if consent:  # her signed consent, on the text loaded at install (mothers 0004)
        Consent.objects.create(
            mother=mother,
            text=ConsentText.objects.order_by("valid_from").first(),
            given_on=values["delivered_on"] or DELIVERED,
            channel=Consent.Channel.PAPER,
            signer=Consent.Signer.MOTHER,
        )
    for number in range(visits):
        AntenatalVisit.objects.create(
            pregnancy=pregnancy, visited_on=DELIVERED - datetime.timedelta(days=30 * (number + 1))
        )
    return pregnancy
