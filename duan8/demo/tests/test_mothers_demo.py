"""The demo's mothers of xã Ba Trang (issue 13, point 7), loaded by ``seed_demo`` through the
registry's services."""

from decimal import Decimal

from duan8.core.models import AuditEvent
from duan8.demo.tests.test_seed_demo import seed
from duan8.mothers.models import Consent, DuplicateCandidate, Payment, PaymentList, Pregnancy


def _cases() -> dict[str, Pregnancy]:
    return {case.mother.full_name: case for case in Pregnancy.objects.select_related("mother")}


def test_the_demo_mothers_are_proposed_decided_and_paid_through_the_services(db):
    seed()
    cases = _cases()

    assert {name: case.status for name, case in cases.items()} == {
        "Đinh Thị Mai": Pregnancy.Status.APPROVED,
        "Phạm Thị Lan": Pregnancy.Status.APPROVED,
        "Đinh Thị Nở": Pregnancy.Status.APPROVED,
        "Nguyễn Thị Hạnh": Pregnancy.Status.REJECTED,
        "Pham Thi Lan": Pregnancy.Status.DUPLICATE,
    }
    assert "Kinh" in cases["Nguyễn Thị Hạnh"].status_reason
    assert cases["Pham Thi Lan"].duplicate_of == cases["Phạm Thị Lan"]
    pair = DuplicateCandidate.objects.get()
    assert pair.status == DuplicateCandidate.Status.CONFIRMED
    assert pair.decided_by.username == "hlhpn.batrang"
    # the home birth gets the kit and the nutrition only; the others travel and meals too
    entitled = {
        name: sum(line.amount for line in c.entitlements.all()) for name, c in cases.items()
    }
    assert entitled["Đinh Thị Nở"] == Decimal("1700000")
    assert entitled["Pham Thi Lan"] == entitled["Nguyễn Thị Hạnh"] == 0
    payment_list = PaymentList.objects.get()
    assert payment_list.status == PaymentList.Status.APPROVED
    assert payment_list.entries.count() == 3
    paid = {p.entry.pregnancy.mother.full_name: p.amount for p in Payment.objects.all()}
    assert paid == {
        name: entitled[name] for name in ("Đinh Thị Mai", "Phạm Thị Lan", "Đinh Thị Nở")
    }
    assert Consent.objects.count() == 5
    proposers = set(
        AuditEvent.objects.filter(action__startswith="mothers.case.proposed").values_list(
            "actor__username", flat=True
        )
    )
    assert proposers == {"yte.batrang", "yttb.buihui"}


def test_a_second_run_adds_no_mother_consent_or_payment(db):
    seed()
    before = (Pregnancy.objects.count(), Consent.objects.count(), Payment.objects.count())

    output = seed()

    assert (Pregnancy.objects.count(), Consent.objects.count(), Payment.objects.count()) == before
    assert before == (5, 5, 3)
    assert "yttb.buihui" in output
