"""Amounts in Vietnamese words, as a payment list prints its total."""

from decimal import Decimal

import pytest

from duan8.mothers.money_words import amount_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (2_200_000, "Hai triệu hai trăm nghìn đồng"),
        (131_000_000, "Một trăm ba mươi mốt triệu đồng"),
        (0, "Không đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (2_400_000, "Hai triệu bốn trăm nghìn đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (105, "Một trăm linh năm đồng"),
        (1_000_005, "Một triệu không trăm linh năm đồng"),
        (25_000, "Hai mươi lăm nghìn đồng"),
        (3_000_000_000, "Ba tỷ đồng"),
        (1_200_050_000, "Một tỷ hai trăm triệu không trăm năm mươi nghìn đồng"),
        (Decimal(6_600_000), "Sáu triệu sáu trăm nghìn đồng"),
        (-500_000, "Âm năm trăm nghìn đồng"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words
