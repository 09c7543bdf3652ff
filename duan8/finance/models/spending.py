"""Spending (issue 14, points 4 and 6): payment requests proposed by the Women's Union, vouchers
recorded by the accountant — final, a correction is a reversal — and the year's settlement.

One money, entered once: a voucher that pays for an event carries the event; the mothers'
package payments (``mothers.Payment``) are recorded through ``finance`` by the payments service,
as vouchers pointing at their payment-list entry, so the disbursement reads vouchers only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duan8.core.models import BaseModel
from duan8.finance.models.common import Source, money_field


class PaymentRequest(BaseModel):
    """Đề nghị thanh toán: the WU asks the accountant to pay for an activity or an event."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PAID = "paid", _("Paid")
        REFUSED = "refused", _("Refused")

    holder = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("budget holder"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    plan = models.ForeignKey(
        "programs.Plan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        "programs.ProgramElement",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    event = models.ForeignKey(
        "activities.Event",
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    payee = models.CharField(_("payee"), max_length=255)
    content = models.CharField(_("content"), max_length=255)
    amount = money_field(_("amount (VND)"))
    source = models.CharField(_("source"), max_length=4, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    status_reason = models.TextField(_("reason"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["holder_id", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="request_positive")
        ]

    def __str__(self) -> str:
        return self.content


class VoucherQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError("Vouchers are final; record a reversal.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise PermissionError("Vouchers are final; record a reversal.")


class Voucher(models.Model):
    """A payment out of a budget holder's allocation (chứng từ chi), or (negative amount,
    ``reverses`` set) its reversal. Never changed once recorded."""

    holder = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("budget holder"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("budget year"))
    number = models.CharField(_("number"), max_length=40)
    paid_on = models.DateField(_("date"))
    payee = models.CharField(_("payee"), max_length=255)
    amount = money_field(_("amount (VND)"))
    content = models.CharField(_("content"), max_length=255)
    plan = models.ForeignKey(
        "programs.Plan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        "programs.ProgramElement",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=4, choices=Source.choices)
    event = models.ForeignKey(
        "activities.Event",
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    package_entry = models.ForeignKey(
        "mothers.PaymentListEntry",
        verbose_name=_("package payment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    request = models.ForeignKey(
        PaymentRequest,
        verbose_name=_("payment request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vouchers",
    )
    receipt = models.FileField(_("receipt"), upload_to="vouchers/%Y/%m/", blank=True)
    receipt_name = models.CharField(_("receipt file name"), max_length=255, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = VoucherQuerySet.as_manager()

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["holder_id", "paid_on", "id"]
        indexes = [
            models.Index(fields=["holder", "year"]),
            models.Index(fields=["year", "paid_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "year", "number"], name="voucher_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.amount}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise PermissionError("Vouchers are final; record a reversal.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError("Vouchers are final; record a reversal.")


class Settlement(BaseModel):
    """The year's settlement (quyết toán) of a budget holder: frozen lines, locked when approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    holder = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("budget holder"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
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
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["holder_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["holder", "year"], name="settlement_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.holder_id} {self.year}"


class SettlementLine(BaseModel):
    settlement = models.ForeignKey(
        Settlement, verbose_name=_("settlement"), on_delete=models.CASCADE, related_name="lines"
    )
    element = models.ForeignKey(
        "programs.ProgramElement",
        verbose_name=_("project, content or activity"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=4, choices=Source.choices)
    allocated = money_field(_("allocated (VND)"))
    spent = money_field(_("spent (VND)"))
    carried_over = money_field(_("carried over (VND)"))

    class Meta:
        verbose_name = _("settlement line")
        verbose_name_plural = _("settlement lines")
        ordering = ["settlement_id", "element__code", "source"]

    def __str__(self) -> str:
        return f"{self.settlement_id} {self.element_id} {self.source}"
