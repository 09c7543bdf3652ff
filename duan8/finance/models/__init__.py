from duan8.finance.models.budget import Allocation, Estimate, EstimateLine, SpendingNorm
from duan8.finance.models.common import Source
from duan8.finance.models.spending import (
    PaymentRequest,
    Settlement,
    SettlementLine,
    Voucher,
)

__all__ = [
    "Allocation",
    "Estimate",
    "EstimateLine",
    "PaymentRequest",
    "Settlement",
    "SettlementLine",
    "Source",
    "SpendingNorm",
    "Voucher",
]
