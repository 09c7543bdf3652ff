"""Allocations from decisions, spending norms as data, and a plan's estimate (issue 14, points
1–3; domain.md 4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duan8.core.models import BaseModel
from duan8.finance.models.common import Source, money_field


class Allocation(BaseModel):
    """Money a level gives a budget holder for a year, by decision: the first allocation, a
    supplement, a reduction, or unspent money carried over from the year before."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Allocation")
        SUPPLEMENT = "supplement", _("Supplement")
        REDUCTION = "reduction", _("Reduction")
        CARRY_OVER = "carry_over", _("Carried over from the year before")

    decision = models.ForeignKey(
        "legal.LegalDocument",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    allocator = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("allocated by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The province, or until 30/6/2025 the district."),
    )
    holder = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("budget holder"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    element = models.ForeignKey(
        "programs.ProgramElement",
        verbose_name=_("project or content"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=4, choices=Source.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INITIAL)
    # always positive; a reduction subtracts it
    amount = money_field(_("amount (VND)"))
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    demo = models.BooleanField(_("demo amount"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["holder_id", "-year", "decision_id", "id"]
        indexes = [models.Index(fields=["holder", "year"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_positive")
        ]

    def __str__(self) -> str:
        return f"{self.holder_id} {self.year} {self.amount}"

    @property
    def signed_amount(self):  # type: ignore[no-untyped-def]
        return -self.amount if self.kind == self.Kind.REDUCTION else self.amount


class SpendingNorm(BaseModel):
    """A cost line's amount or ceiling, with its legal source and the period it applies to."""

    class CostLine(models.TextChoices):
        COMMUNICATION = "communication", _("Communication session")
        CAMPAIGN = "campaign", _("Communication campaign")
        MATERIALS = "materials", _("Leaflets, banners, materials")
        CONTEST = "contest", _("Contest or festival")
        DIALOGUE = "dialogue", _("Policy dialogue")
        CLUB = "club", _("Club or team: founding and running")
        TRAINING = "training", _("Training")
        SUPERVISION = "supervision", _("Supervision, monitoring")
        REVIEW = "review", _("Review meeting (sơ kết, tổng kết)")
        PACKAGE = "package", _("Safe-motherhood package items")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=40)
    cost_line = models.CharField(_("cost line"), max_length=16, choices=CostLine.choices)
    name = models.CharField(_("name"), max_length=255)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("e.g. cuộc, người/ngày, tờ"))
    amount = money_field(_("amount (VND)"))
    is_ceiling = models.BooleanField(_("a ceiling, not a fixed amount"), default=False)
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
    verified = models.BooleanField(_("verified against the text"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("spending norm")
        verbose_name_plural = _("spending norms")
        ordering = ["cost_line", "code", "valid_from"]

    def __str__(self) -> str:
        return self.name


class Estimate(BaseModel):
    """A plan's estimate (dự toán): quantity × norm per activity, within the allocation."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved with the plan")

    plan = models.OneToOneField(
        "programs.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="estimate"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("estimate")
        verbose_name_plural = _("estimates")

    def __str__(self) -> str:
        return f"{self.plan_id}"


class EstimateLine(BaseModel):
    estimate = models.ForeignKey(
        Estimate, verbose_name=_("estimate"), on_delete=models.CASCADE, related_name="lines"
    )
    activity = models.ForeignKey(
        "programs.ProgramElement",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    village = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    norm = models.ForeignKey(
        SpendingNorm,
        verbose_name=_("norm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.CharField(_("content"), max_length=255)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_amount = money_field(_("unit amount (VND)"))
    amount = money_field(_("amount (VND)"))
    source = models.CharField(_("source"), max_length=4, choices=Source.choices)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("estimate line")
        verbose_name_plural = _("estimate lines")
        ordering = ["estimate_id", "order", "id"]

    def __str__(self) -> str:
        return self.description
