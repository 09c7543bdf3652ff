"""Document templates as data: what an administrator may adjust without touching code.

A template holds, for one kind of document issued by one kind of body (key ``plan.commune``: a
Kế hoạch of a commune People's Committee), the rules that turn the issuing body into the agency
lines of the header, the standard texts and headings, the default recipients (nơi nhận), the
signature rules of a collective body, the words the checks look for, and the layout measures
(margins, font sizes, line spacing). Templates ship as JSON files in ``documents/data/templates``
and are loaded by a data migration; edits made in the admin are kept by later loads.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from duan8.core.models import BaseModel

REQUIRED_TEXTS = ("national_name", "motto", "document_type_name", "number_line", "attached_line")


class DocumentTemplate(BaseModel):
    key = models.CharField(
        _("key"), max_length=60, unique=True, help_text=_("For example plan.commune")
    )
    name = models.CharField(_("name"), max_length=255)
    document_type = models.CharField(
        _("type abbreviation"), max_length=10, help_text=_("KH for a plan, BC for a report")
    )
    layout = models.JSONField(
        _("layout"),
        default=dict,
        blank=True,
        help_text=_("Margins in mm, font sizes in pt, line spacing; missing values use defaults"),
    )
    agency = models.JSONField(
        _("agency name rules"),
        default=dict,
        blank=True,
        help_text=_("How the issuing body is written in the header"),
    )
    texts = models.JSONField(_("standard texts"), default=dict, blank=True)
    recipients = models.TextField(
        _("default recipients (nơi nhận)"),
        blank=True,
        help_text=_("One per line; used when a document names none"),
    )
    signature = models.JSONField(_("signature rules"), default=dict, blank=True)
    checks = models.JSONField(_("check settings"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("Sources and open questions"))

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} — {self.name}"

    def clean(self) -> None:
        from duan8.documents.docx_builder import Layout

        errors: dict[str, Any] = {}
        try:
            Layout.from_data(self.layout)
        except ValidationError as exc:
            errors["layout"] = exc.messages
        missing = [key for key in REQUIRED_TEXTS if not (self.texts or {}).get(key)]
        if missing:
            errors["texts"] = _("Missing texts: %(keys)s") % {"keys": ", ".join(missing)}
        if errors:
            raise ValidationError(errors)

    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]
