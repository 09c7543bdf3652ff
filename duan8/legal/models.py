"""The register of referenced legal and administrative documents.

Every citation (căn cứ), budget source or decision that sets an attribute points at one row here,
so the same document is typed once and a citation can be checked against the register.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from duan8.core.models import BaseModel


class LegalDocument(BaseModel):
    class Kind(models.TextChoices):
        LAW = "luat", _("Law (Luật)")
        RESOLUTION = "nghi_quyet", _("Resolution (Nghị quyết)")
        DECREE = "nghi_dinh", _("Decree (Nghị định)")
        DECISION = "quyet_dinh", _("Decision (Quyết định)")
        CIRCULAR = "thong_tu", _("Circular (Thông tư)")
        PLAN = "ke_hoach", _("Plan (Kế hoạch)")
        GUIDANCE = "huong_dan", _("Guidance (Hướng dẫn)")
        OFFICIAL_LETTER = "cong_van", _("Official letter (Công văn)")
        REPORT = "bao_cao", _("Report (Báo cáo)")
        NOTICE = "thong_bao", _("Notice (Thông báo)")
        OTHER = "khac", _("Other")

    kind = models.CharField(_("document type"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=20, help_text=_("For example 87 or 01/2022"))
    symbol = models.CharField(
        _("symbol"), max_length=40, help_text=_("For example KH-UBND or TT-UBDT")
    )
    issued_on = models.DateField(_("date issued"))
    issuer = models.CharField(
        _("issuing body"),
        max_length=255,
        help_text=_("The issuing body as named at the time, e.g. Ủy ban nhân dân huyện Ba Tơ"),
    )
    title = models.TextField(_("title (trích yếu)"), blank=True)

    class Meta:
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "symbol", "issued_on", "issuer"], name="legal_document_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display().split(' (')[0]} số {self.reference}"

    @property
    def reference(self) -> str:
        """The number and symbol as written in a citation, e.g. ``87/KH-UBND``."""
        return f"{self.number}/{self.symbol}"
