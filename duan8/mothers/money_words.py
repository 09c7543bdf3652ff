"""An amount of money in Vietnamese words: lives in ``duan8.finance.money`` (one money for every
app); kept here for the mothers' modules that import it by this name."""

from duan8.finance.money import amount_in_words

__all__ = ["amount_in_words"]
