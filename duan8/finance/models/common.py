"""What every money record shares: the funding source, and amounts in whole đồng."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class Source(models.TextChoices):
    CENTRAL = "nstw", _("Central budget (NSTW)")
    LOCAL = "nsdp", _("Local counterpart (NSĐP)")


def money_field(verbose_name: "str | _StrPromise") -> models.DecimalField:
    """An amount in whole đồng: Decimal with no fraction, never a float (issue 14, point 7)."""
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=0)
