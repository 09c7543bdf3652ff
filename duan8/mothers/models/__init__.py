from duan8.mothers.models.consent import Consent, ConsentText
from duan8.mothers.models.payments import EntitlementLine, Payment, PaymentList, PaymentListEntry
from duan8.mothers.models.registry import (
    AntenatalVisit,
    Child,
    DuplicateCandidate,
    Mother,
    Pregnancy,
)
from duan8.mothers.models.rules import BenefitItem, EligibilityRule

__all__ = [
    "AntenatalVisit",
    "BenefitItem",
    "Child",
    "Consent",
    "ConsentText",
    "DuplicateCandidate",
    "EligibilityRule",
    "EntitlementLine",
    "Mother",
    "Payment",
    "PaymentList",
    "PaymentListEntry",
    "Pregnancy",
]
