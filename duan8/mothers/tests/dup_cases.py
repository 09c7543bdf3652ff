"""Cases written straight into the tables for the duplicates' tests (the registry's services are
built beside them): the name key and the ID number's blind index set as the service sets them."""

from __future__ import annotations

import datetime
from typing import Any

from duan8.mothers import crypto
from duan8.mothers.models import Mother, Pregnancy
from duan8.mothers.names import name_key, normalise_id
from duan8.orgunits.models import OrgUnit


def case_make(
    *,
    village: OrgUnit,
    full_name: str = "Đinh Thị Lan",
    birth_year: int = 1998,
    delivered_on: datetime.date | None = datetime.date(2025, 3, 10),
    expected_on: datetime.date | None = None,
    id_number: str = "",
    phone: str = "",
    ethnic: Any = None,
    mother: Mother | None = None,
    status: str = Pregnancy.Status.PROPOSED,
) -> Pregnancy:
    from duan8.activities.models import EthnicGroup

    commune = village.parent
    assert commune is not None
    if mother is None:
        digits = normalise_id(id_number)
        mother = Mother.objects.create(
            commune=commune,
            village=village,
            full_name=full_name,
            name_key=name_key(full_name),
            birth_year=birth_year,
            ethnic_group=ethnic or EthnicGroup.objects.get(code="19"),
            phone=phone,
            id_number=digits,
            id_number_index=crypto.blind_index(digits) if digits else "",
        )
    return Pregnancy.objects.create(
        mother=mother,
        village=village,
        commune=commune,
        delivered_on=delivered_on,
        expected_on=expected_on,
        status=status,
    )
