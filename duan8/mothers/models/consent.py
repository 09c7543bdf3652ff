"""Consent (Law 91/2025/QH15, NĐ 356/2025; NĐ 13/2023 before 2026): a versioned consent text, and
each mother's consent with its date, channel and signer, and its withdrawal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duan8.core.models import BaseModel
from duan8.mothers.models.registry import Mother


class ConsentText(BaseModel):
    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"))
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    valid_from = models.DateField(_("in use from"))
    valid_to = models.DateField(_("in use until"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class Consent(BaseModel):
    class Channel(models.TextChoices):
        PAPER = "paper", _("Signed paper form")
        THUMBPRINT = "thumbprint", _("Paper form with thumbprint")
        ELECTRONIC = "electronic", _("Electronic")

    class Signer(models.TextChoices):
        MOTHER = "mother", _("The mother")
        GUARDIAN = "guardian", _("Her parent or guardian")

    mother = models.ForeignKey(
        Mother, verbose_name=_("mother"), on_delete=models.CASCADE, related_name="consents"
    )
    text = models.ForeignKey(
        ConsentText, verbose_name=_("consent text"), on_delete=models.PROTECT, related_name="+"
    )
    given_on = models.DateField(_("date given"))
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    signer = models.CharField(_("signed by"), max_length=10, choices=Signer.choices)
    signer_name = models.CharField(_("name of the signer"), max_length=120, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_note = models.TextField(_("withdrawal note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["mother_id", "-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.mother_id} {self.given_on}"
