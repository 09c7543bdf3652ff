"""xã Ba Trang's mothers' registry for the access matrix (tests/test_access_matrix.py)."""

import datetime
from typing import Any

from django.utils import timezone

from duan8.orgunits.models import OrgUnit


def mothers_samples(
    ba_trang: OrgUnit, villages: dict[str, OrgUnit], personas: dict[str, Any]
) -> dict[str, Any]:
    """xã Ba Trang's registry for the access matrix, written straight to the models: a proposed
    case with the mother's consent, a likely duplicate of it, an approved case on an approved
    payment list with one payment, and the packages' shipped rules."""
    from decimal import Decimal

    from duan8.activities.models import EthnicGroup
    from duan8.activities.reference import ethnic_groups_load
    from duan8.mothers import crypto
    from duan8.mothers.models import (
        BenefitItem,
        Consent,
        ConsentText,
        DuplicateCandidate,
        EligibilityRule,
        EntitlementLine,
        Mother,
        Payment,
        PaymentList,
        PaymentListEntry,
        Pregnancy,
    )
    from duan8.mothers.rules_data import package_rules_load
    from duan8.mothers.services.consent import consent_texts_load

    if not EthnicGroup.objects.exists():
        ethnic_groups_load()
    package_rules_load()
    consent_texts_load()
    village = villages["Nước Đang"]
    day = datetime.date(2025, 3, 10)

    def case(name: str, id_number: str, status: str) -> Pregnancy:
        mother = Mother.objects.create(
            commune=ba_trang,
            village=village,
            full_name=name,
            name_key="dinh thi lan",
            birth_year=1998,
            ethnic_group=EthnicGroup.objects.get(code="19"),
            id_number=id_number,
            id_number_index=crypto.blind_index(id_number) if id_number else "",
        )
        return Pregnancy.objects.create(
            mother=mother,
            village=village,
            commune=ba_trang,
            delivered_on=day,
            place=Pregnancy.Place.FACILITY,
            mode=Pregnancy.Mode.NORMAL,
            babies=1,
            days_at_facility=3,
            status=status,
            proposed_by=personas["health_station"],
        )

    proposed = case("Đinh Thị Lan", "051198001234", Pregnancy.Status.PROPOSED)
    again = case("Dinh Thi Lan", "", Pregnancy.Status.PROPOSED)
    paid = case("Đinh Thị Mai", "051198009999", Pregnancy.Status.APPROVED)
    consent = Consent.objects.create(
        mother=proposed.mother,
        text=ConsentText.objects.order_by("valid_from").first(),
        given_on=day,
        channel=Consent.Channel.PAPER,
        signer=Consent.Signer.MOTHER,
    )
    pair = DuplicateCandidate.objects.create(first=proposed, second=again, score=80)
    item = BenefitItem.objects.order_by("order", "pk").first()
    EntitlementLine.objects.create(pregnancy=paid, item=item, quantity=1, amount=item.amount)
    payment_list = PaymentList.objects.create(
        commune=ba_trang,
        year=2025,
        title="Danh sách chi trả 2025",
        status=PaymentList.Status.APPROVED,
        approved_at=timezone.now(),
    )
    entry = PaymentListEntry.objects.create(
        payment_list=payment_list, pregnancy=paid, amount_due=item.amount, order=1
    )
    payment = Payment.objects.create(
        entry=entry,
        paid_on=datetime.date(2025, 4, 1),
        amount=Decimal(100000),
        paid_by=personas["accountant"],
        payer_unit=ba_trang,
    )
    return {
        "case": proposed,
        "consent": consent,
        "pair": pair,
        "list": payment_list,
        "entry": entry,
        "payment": payment,
        "rule": EligibilityRule.objects.order_by("pk").first(),
        "item": item,
    }
