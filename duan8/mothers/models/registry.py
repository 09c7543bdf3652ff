"""The registry: mothers, their pregnancies (each one a case that may be paid once), antenatal
visits, the delivery and the children (issue 13, point 1; domain.md 3.4).

What is sensitive (NĐ 13/2023 Art. 2(4); Law 91/2025) is kept encrypted (``EncryptedField``): the
ID number and every health field. Ethnicity stays a reference (eligibility is computed on it)
and is shown only to holders of ``mothers.view``. A case moves proposed → verified → approved,
or to rejected / duplicate; ``version`` guards every update.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duan8.activities.models.common import EthnicGroup, Sex
from duan8.core.models import BaseModel
from duan8.mothers.fields import EncryptedField


class Mother(BaseModel):
    class Household(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        POOR = "poor", _("Poor household")
        NEAR_POOR = "near_poor", _("Near-poor household")
        OTHER = "other", _("Neither poor nor near-poor")

    commune = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The commune as it was when she was registered (old or new code)."),
    )
    village = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    full_name = models.CharField(_("full name"), max_length=120)
    # full name without diacritics, lower case, single spaces: the duplicates' blocking key
    name_key = models.CharField(_("name key"), max_length=120, db_index=True, editable=False)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    ethnic_group = models.ForeignKey(
        EthnicGroup, verbose_name=_("ethnicity"), on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    id_number = EncryptedField(_("personal ID number"), blank=True)
    # blind index of the normalised ID number (crypto.blind_index), for exact duplicates
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    household = models.CharField(
        _("household status"), max_length=10, choices=Household.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("mother")
        verbose_name_plural = _("mothers")
        ordering = ["commune_id", "name_key", "id"]
        indexes = [models.Index(fields=["commune", "birth_year"])]

    def __str__(self) -> str:
        return self.full_name


class Pregnancy(BaseModel):
    """One pregnancy and its delivery: the case that is proposed, verified, approved and paid."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        VERIFIED = "verified", _("Verified by the commune Women's Union")
        APPROVED = "approved", _("Approved for payment")
        REJECTED = "rejected", _("Rejected")
        DUPLICATE = "duplicate", _("Duplicate of another record")

    class Place(models.TextChoices):
        FACILITY = "facility", _("At a health facility")
        HOME = "home", _("At home")

    class Mode(models.TextChoices):
        NORMAL = "normal", _("Normal delivery")
        CAESAREAN = "caesarean", _("Caesarean section")

    mother = models.ForeignKey(
        Mother, verbose_name=_("mother"), on_delete=models.CASCADE, related_name="pregnancies"
    )
    # the village and commune on the date of the event (delivery, or expected date before it)
    village = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    # health fields: encrypted
    expected_on = EncryptedField(_("expected delivery date"), kind="date", null=True, blank=True)
    delivered_on = models.DateField(_("delivery date"), null=True, blank=True, db_index=True)
    place = EncryptedField(_("place of delivery"), blank=True)
    facility = EncryptedField(_("health facility"), blank=True)
    mode = EncryptedField(_("kind of delivery"), blank=True)
    babies = EncryptedField(_("number of babies"), kind="int", null=True, blank=True)
    days_at_facility = EncryptedField(_("days at the facility"), kind="int", null=True, blank=True)
    carer_name = models.CharField(_("family carer"), max_length=120, blank=True)
    has_carer = models.BooleanField(_("accompanied by a family carer"), default=False)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    status_reason = models.TextField(_("reason"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("pregnancy")
        verbose_name_plural = _("pregnancies")
        ordering = ["commune_id", "-delivered_on", "id"]
        indexes = [models.Index(fields=["commune", "status"])]

    def __str__(self) -> str:
        return f"{self.mother} {self.delivered_on or ''}".strip()


class AntenatalVisit(BaseModel):
    pregnancy = models.ForeignKey(
        Pregnancy,
        verbose_name=_("pregnancy"),
        on_delete=models.CASCADE,
        related_name="antenatal_visits",
    )
    visited_on = EncryptedField(_("date of the visit"), kind="date")
    facility = EncryptedField(_("health facility"), blank=True)

    class Meta:
        verbose_name = _("antenatal visit")
        verbose_name_plural = _("antenatal visits")
        ordering = ["pregnancy_id", "id"]

    def __str__(self) -> str:
        return f"{self.pregnancy_id} {self.visited_on}"


class Child(BaseModel):
    pregnancy = models.ForeignKey(
        Pregnancy, verbose_name=_("pregnancy"), on_delete=models.CASCADE, related_name="children"
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    born_on = models.DateField(_("date of birth"))

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["pregnancy_id", "id"]

    def __str__(self) -> str:
        return f"{self.pregnancy_id} {self.sex} {self.born_on}"


class DuplicateCandidate(BaseModel):
    """A likely match between two cases, shown to the WU officer to confirm or dismiss."""

    class Status(models.TextChoices):
        OPEN = "open", _("To be checked")
        CONFIRMED = "confirmed", _("Confirmed: the same woman and pregnancy")
        DISMISSED = "dismissed", _("Dismissed: different persons or pregnancies")

    first = models.ForeignKey(
        Pregnancy, verbose_name=_("first record"), on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        Pregnancy, verbose_name=_("second record"), on_delete=models.CASCADE, related_name="+"
    )
    exact = models.BooleanField(_("same ID number"), default=False)
    score = models.PositiveSmallIntegerField(_("likeness"), default=0)
    reasons = models.JSONField(_("why"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("likely duplicate")
        verbose_name_plural = _("likely duplicates")
        ordering = ["status", "-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_unique")
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id}"
