"""Likely duplicates among the registry's cases (issue 13, point 3).

``duplicates_check`` for one new or changed case (the registry's propose/update call it after
writing), ``has_open_duplicates`` for verify and approve (they refuse while it is true),
``duplicates_find`` for a whole area (the ``find_duplicates`` command and the benchmark).
"""

from collections.abc import Iterable

from django.db.models import Q

from duan8.mothers.models import DuplicateCandidate, Pregnancy
from duan8.orgunits.models import OrgUnit


def duplicates_check(pregnancy: Pregnancy) -> list[DuplicateCandidate]:
    """The open candidates pairing ``pregnancy`` with another case (new ones written)."""
    return []


def has_open_duplicates(pregnancy: Pregnancy) -> bool:
    """Whether ``pregnancy`` is in a candidate pair nobody has decided yet."""
    return DuplicateCandidate.objects.filter(
        Q(first=pregnancy) | Q(second=pregnancy), status=DuplicateCandidate.Status.OPEN
    ).exists()


def duplicates_find(*, communes: Iterable[OrgUnit] | None = None) -> int:
    """Look for candidates among the cases of ``communes`` (all when None); the number of new
    candidate pairs written."""
    return 0
