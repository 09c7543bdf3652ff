"""The administrative map as data, with its history.

A unit is identified by (code scheme, level, code), or by code and date: from 1/7/2025
xã Đặng Thùy Trâm carries code 21520 in the QĐ 19/2025 scheme, the number xã Ba Trang had in
the QĐ 124/2004 scheme.

One unit stands above the provinces of both maps: Việt Nam (level ``NATIONAL``, code ``VN``, valid
on every date), where the central agencies read the whole country's figures. Every province,
old or new, sits under it (``orgunits.services.national_root``).
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from duan8.core.models import BaseModel

REFORM_DATE = datetime.date(2025, 7, 1)
NATIONAL_CODE = "VN"
NATIONAL_NAME = "Việt Nam"


class OrgUnit(BaseModel):
    class Level(models.IntegerChoices):
        NATIONAL = 0, _("Country")
        PROVINCE = 1, _("Province")
        DISTRICT = 2, _("District")
        COMMUNE = 3, _("Commune")
        VILLAGE = 4, _("Village")

    class CodeScheme(models.TextChoices):
        QD124_2004 = "qd124_2004", _("QĐ 124/2004/QĐ-TTg (until 30/6/2025)")
        QD19_2025 = "qd19_2025", _("QĐ 19/2025/QĐ-TTg (from 1/7/2025)")
        LOCAL = "local", _("Local code (villages)")
        NATIONAL = "national", _("The country (ISO 3166-1: VN)")

    code_scheme = models.CharField(_("code scheme"), max_length=20, choices=CodeScheme.choices)
    code = models.CharField(_("code"), max_length=20)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    kind = models.CharField(
        _("type"), max_length=40, help_text=_("Tỉnh, Thành phố, Huyện, Quận, Xã, Phường, Thôn, ...")
    )
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=120, db_index=True, editable=False, default="")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_act = models.CharField(
        _("legal act"),
        max_length=255,
        blank=True,
        help_text=_("The act that created or ended the unit, e.g. NQ 1677/NQ-UBTVQH15"),
    )

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_scheme", "level", "code"], name="orgunit_code_unique_in_scheme"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_validity_ordered",
            ),
        ]
        indexes = [models.Index(fields=["code", "level"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        if self.level == OrgUnit.Level.NATIONAL:
            return self.name  # "Việt Nam", not "Quốc gia Việt Nam"
        return f"{self.kind} {self.name}".strip()

    @property
    def is_national(self) -> bool:
        return self.level == OrgUnit.Level.NATIONAL

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def is_valid_in(self, year: int) -> bool:
        """Whether the unit existed on some day of ``year``."""
        return (self.valid_from is None or self.valid_from <= datetime.date(year, 12, 31)) and (
            self.valid_to is None or self.valid_to >= datetime.date(year, 1, 1)
        )

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class OrgUnitSuccession(BaseModel):
    """One edge of the map's history: ``predecessor`` became (part of) ``successor``."""

    class Kind(models.TextChoices):
        MERGED = "merged", _("merged into")
        SPLIT = "split", _("split into")
        RENAMED = "renamed", _("renamed to")
        UNCHANGED = "unchanged", _("continued unchanged as")

    predecessor = models.ForeignKey(
        OrgUnit,
        verbose_name=_("predecessor"),
        on_delete=models.CASCADE,
        related_name="successions_out",
    )
    successor = models.ForeignKey(
        OrgUnit,
        verbose_name=_("successor"),
        on_delete=models.CASCADE,
        related_name="successions_in",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    effective_on = models.DateField(_("effective date"))
    legal_act = models.CharField(_("legal act"), max_length=255, blank=True)
    is_primary = models.BooleanField(
        _("main successor"),
        default=True,
        help_text=_("For a unit split between several successors, the one that takes its data."),
    )

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        ordering = ["effective_on", "predecessor__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="orgunit_succession_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d/%m/%Y})"


class OrgUnitAttribute(BaseModel):
    """A dated fact about a unit, with the decision that set it (thôn ĐBKK by QĐ 612/QĐ-UBDT)."""

    class Key(models.TextChoices):
        ESPECIALLY_DIFFICULT_VILLAGE = "dbkk_village", _("Especially difficult village (thôn ĐBKK)")
        COMMUNE_REGION = "commune_region", _("Commune region (khu vực I/II/III)")

    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="attributes"
    )
    key = models.CharField(_("attribute"), max_length=40, choices=Key.choices)
    value = models.CharField(_("value"), max_length=40, default="1")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    decision = models.ForeignKey(
        "legal.LegalDocument",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("unit attribute")
        verbose_name_plural = _("unit attributes")
        ordering = ["org_unit", "key", "valid_from"]

    def __str__(self) -> str:
        return f"{self.org_unit}: {self.get_key_display()}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
