"""Eligibility and entitlement as data (issue 13, point 2): who is eligible, which items are
due and how much, each with its legal source and the period it applies to. An administrator
edits them; the engine (``mothers.entitlement``) reads the ones in force on the event's date.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from duan8.core.models import BaseModel


class EligibilityRule(BaseModel):
    """A condition a case must meet to be supported at all. The kinds are the conditions the
    engine knows how to test; which apply, when and on what authority is data."""

    class Kind(models.TextChoices):
        ETHNIC_MINORITY = "ethnic_minority", _("The mother is of an ethnic minority")
        PROVINCE_LISTED = "province_listed", _("The province is in the list of the rule")
        VILLAGE_DBKK = (
            "village_dbkk",
            _("The village is especially difficult (ĐBKK) on the date of the event"),
        )

    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("condition"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    provinces = models.ManyToManyField(
        "orgunits.OrgUnit",
        verbose_name=_("provinces"),
        blank=True,
        related_name="+",
        help_text=_("For the province condition: the provinces where the packages apply."),
    )
    legal_source = models.ForeignKey(
        "legal.LegalDocument",
        verbose_name=_("legal source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    legal_article = models.CharField(_("article"), max_length=120, blank=True)
    valid_from = models.DateField(_("applies from"))
    valid_to = models.DateField(_("applies until"), null=True, blank=True)
    verified = models.BooleanField(
        _("verified against the text"),
        default=True,
        help_text=_("Unticked when the rule is an inference not checked against the legal text."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["valid_from", "code"]

    def __str__(self) -> str:
        return self.name


class BenefitItem(BaseModel):
    """One item of the packages with its amount (TT 15/2022 Art. 38; TT 55/2023)."""

    class Basis(models.TextChoices):
        PER_PERSON = "per_person", _("per person")
        PER_KIT = "per_kit", _("per kit")
        PER_PERSON_DAY = "per_person_day", _("per person and day")
        PER_VISIT = "per_visit", _("per antenatal visit")
        ONCE = "once", _("once")

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=255)
    amount = models.DecimalField(_("amount (VND)"), max_digits=14, decimal_places=0)
    basis = models.CharField(_("counted"), max_length=16, choices=Basis.choices)
    with_carer = models.BooleanField(_("also for one family carer"), default=False)
    needs_facility_delivery = models.BooleanField(
        _("only for a delivery at a health facility"), default=False
    )
    max_days_normal = models.PositiveSmallIntegerField(
        _("at most days (normal delivery)"), null=True, blank=True
    )
    max_days_caesarean = models.PositiveSmallIntegerField(
        _("at most days (caesarean)"), null=True, blank=True
    )
    max_visits = models.PositiveSmallIntegerField(_("at most visits"), null=True, blank=True)
    legal_source = models.ForeignKey(
        "legal.LegalDocument",
        verbose_name=_("legal source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    legal_article = models.CharField(_("article"), max_length=120, blank=True)
    valid_from = models.DateField(_("applies from"))
    valid_to = models.DateField(_("applies until"), null=True, blank=True)
    verified = models.BooleanField(_("verified against the text"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("package item")
        verbose_name_plural = _("package items")
        ordering = ["order", "valid_from", "code"]

    def __str__(self) -> str:
        return self.name
