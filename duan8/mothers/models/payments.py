"""Entitlements fixed at approval, payment lists, and payments (issue 13, point 4).

An approved case's entitlement is written as lines (one per item due) so that a later change of
the rules does not change what was approved. A payment list gathers approved cases of a commune;
a payment is final: a correction is a reversal entry (a negative amount pointing at the entry it
reverses), never an edit.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duan8.core.models import BaseModel
from duan8.mothers.models.registry import Pregnancy
from duan8.mothers.models.rules import BenefitItem


class EntitlementLine(BaseModel):
    pregnancy = models.ForeignKey(
        Pregnancy, verbose_name=_("case"), on_delete=models.CASCADE, related_name="entitlements"
    )
    item = models.ForeignKey(
        BenefitItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"))
    amount = models.DecimalField(_("amount (VND)"), max_digits=14, decimal_places=0)
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        ordering = ["pregnancy_id", "item__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pregnancy", "item"], name="entitlement_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.pregnancy_id} {self.item_id} {self.amount}"


class PaymentList(BaseModel):
    """Danh sách chi trả / ký nhận: the approved cases of a commune paid together."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        CLOSED = "closed", _("Closed")

    commune = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("number"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=255)
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("payment list")
        verbose_name_plural = _("payment lists")
        ordering = ["commune_id", "-year", "-id"]

    def __str__(self) -> str:
        return self.title


class PaymentListEntry(BaseModel):
    payment_list = models.ForeignKey(
        PaymentList,
        verbose_name=_("payment list"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    pregnancy = models.ForeignKey(
        Pregnancy, verbose_name=_("case"), on_delete=models.PROTECT, related_name="list_entries"
    )
    amount_due = models.DecimalField(_("amount due (VND)"), max_digits=14, decimal_places=0)
    order = models.PositiveIntegerField(_("no."), default=0)

    class Meta:
        verbose_name = _("payment list entry")
        verbose_name_plural = _("payment list entries")
        ordering = ["payment_list_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["pregnancy"], name="payment_entry_one_list")]

    def __str__(self) -> str:
        return f"{self.payment_list_id} {self.pregnancy_id}"


class PaymentQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError("Payments are final; record a reversal.")

    def delete(self):  # type: ignore[no-untyped-def]
        raise PermissionError("Payments are final; record a reversal.")


class Payment(models.Model):
    """A payment made to a mother, or (negative amount, ``reverses`` set) its reversal."""

    entry = models.ForeignKey(
        PaymentListEntry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="payments"
    )
    paid_on = models.DateField(_("date paid"))
    amount = models.DecimalField(_("amount (VND)"), max_digits=14, decimal_places=0)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paid by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    payer_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("paying unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    receipt = models.CharField(_("receipt number"), max_length=60, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["entry_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.amount}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise PermissionError("Payments are final; record a reversal.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError("Payments are final; record a reversal.")
