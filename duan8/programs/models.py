"""Program structure (as data) and annual plans with their targets and allocations.

The structure is one tree of ``ProgramElement`` rows: program → phase → project → content →
activity → indicator. A later phase is new rows, not new code.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duan8.core.models import BaseModel


class ProgramElement(BaseModel):
    class Kind(models.TextChoices):
        PROGRAM = "program", _("Program")
        PHASE = "phase", _("Phase")
        PROJECT = "project", _("Project")
        CONTENT = "content", _("Content")
        ACTIVITY = "activity", _("Activity")
        INDICATOR = "indicator", _("Indicator")

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=60, unique=True)
    number = models.CharField(
        _("number"),
        max_length=40,
        blank=True,
        help_text=_("As printed: Nội dung 1, Hoạt động 2, 3"),
    )
    title = models.TextField(_("official wording"))
    unit = models.CharField(
        _("unit of measure"),
        max_length=40,
        blank=True,
        help_text=_("tổ, CLB, lớp, cuộc, người, ..."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    start_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    verified = models.BooleanField(
        _("verified"),
        default=True,
        help_text=_(
            "Unticked: the code, number or wording is provisional, not checked against the "
            "official text (the 2026–2030 gender component); pages mark it “unverified”."
        ),
    )

    class Meta:
        verbose_name = _("program element")
        verbose_name_plural = _("program elements")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        label = f"{self.number} " if self.number else ""
        mark = "" if self.verified else f" ({_('unverified')})"
        return f"{label}{self.title}{mark}"

    @property
    def outline_number(self) -> str:
        """ "1.2.2": the number pages and files for people print (see ``element_number``)."""
        return element_number(self.code)


class ElementCrosswalk(BaseModel):
    """An element of one phase continued by an element of the next (2021–2025 → 2026–2030), so
    that an indicator's series runs across the program change (``element_in_force``)."""

    from_element = models.ForeignKey(
        ProgramElement,
        verbose_name=_("earlier element"),
        on_delete=models.CASCADE,
        related_name="crosswalk_next",
    )
    to_element = models.ForeignKey(
        ProgramElement,
        verbose_name=_("later element"),
        on_delete=models.CASCADE,
        related_name="crosswalk_previous",
    )
    note = models.TextField(_("note"), blank=True)
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("Ticked only when an official text says the later element continues it."),
    )

    class Meta:
        verbose_name = _("crosswalk between phases")
        verbose_name_plural = _("crosswalks between phases")
        ordering = ["from_element__order", "to_element__order"]
        constraints = [
            models.UniqueConstraint(fields=["from_element"], name="crosswalk_from_unique"),
            models.UniqueConstraint(fields=["to_element"], name="crosswalk_to_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.from_element.code} → {self.to_element.code}"


def element_number(code: str) -> str:
    """ "1719.GD1.DA8.ND1.HD2.2" → "1.2.2": an element's place within its project, the number
    a person reads. Machine exchange (ADX, DHIS2) keeps the code."""
    parts = code.split(".")
    starts = [i for i, part in enumerate(parts) if part.startswith("DA")]
    tail = parts[starts[0] + 1 :] if starts else parts[-1:]
    return ".".join(re.sub(r"^[A-Za-z]+", "", part) for part in tail)


class Plan(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded by an amendment")

    project = models.ForeignKey(
        ProgramElement,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="plans",
        limit_choices_to={"kind": ProgramElement.Kind.PROJECT},
    )
    issuing_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("issuing unit"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    symbol = models.CharField(_("symbol"), max_length=40, default="KH-UBND")
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    place = models.CharField(_("place name in the date line"), max_length=80, blank=True)
    issuing_body = models.CharField(
        _("issuing body"),
        max_length=255,
        help_text=_("As named at the time of issue; never rewritten after a merger."),
    )
    parent_body = models.CharField(_("governing body above"), max_length=255, blank=True)
    title = models.TextField(_("summary line (trích yếu)"))
    proposal = models.TextField(_("proposal line"), blank=True)
    purposes = models.TextField(_("purposes"), blank=True, help_text=_("One item per line"))
    requirements = models.TextField(_("requirements"), blank=True, help_text=_("One item per line"))
    budget_text = models.TextField(_("budget"), blank=True)
    budget_source = models.ForeignKey(
        "legal.LegalDocument",
        verbose_name=_("budget allocation decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closing = models.TextField(_("closing paragraph"), blank=True)
    recipients = models.TextField(
        _("recipients (nơi nhận)"), blank=True, help_text=_("One per line")
    )
    signer_authority = models.CharField(
        _("signing authority"), max_length=80, blank=True, help_text=_("e.g. TM. ỦY BAN NHÂN DÂN")
    )
    signer_title = models.CharField(_("signer's title"), max_length=80, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        help_text=_("Raised by every change; refuses edits on an old copy."),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # an amendment (điều chỉnh) is a new version of an approved plan: ``amends`` is the version it
    # changes, superseded when the amendment is approved (duan8.programs.amendments)
    amends = models.ForeignKey(
        "self",
        verbose_name=_("amends"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
    )
    amendment_reason = models.TextField(_("reason for the amendment"), blank=True)
    in_force_from = models.DateField(
        _("in force from"),
        null=True,
        blank=True,
        help_text=_("An amendment's effective date; a first version is in force from its issue."),
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["issuing_unit__path", "-year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "year", "number", "symbol"], name="plan_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.issuing_body}"

    @property
    def reference(self) -> str:
        number = self.number if self.number is not None else ""
        return f"{number}/{self.symbol}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def lines(self, field: str) -> list[str]:
        return [line.strip() for line in getattr(self, field).splitlines() if line.strip()]


class PlanLegalBasis(BaseModel):
    """A legal basis (căn cứ) of a plan, pointing into the register."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="legal_bases"
    )
    document = models.ForeignKey(
        "legal.LegalDocument",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "document"], name="plan_legal_basis_unique")
        ]

    def __str__(self) -> str:
        return str(self.document)


class PlanFocus(BaseModel):
    """The focus text of the year for one content (section III of the plan)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="focuses"
    )
    content = models.ForeignKey(
        ProgramElement, verbose_name=_("content"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("text"), help_text=_("One item per line"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("focus content")
        verbose_name_plural = _("focus contents")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return str(self.content)


class PlanResponsibility(BaseModel):
    """What one agency does (section V of the plan)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="responsibilities"
    )
    agency = models.CharField(_("agency"), max_length=255)
    body = models.TextField(_("tasks"), help_text=_("One item per line"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.agency


class Target(BaseModel):
    """A cell of the first appendix: an activity's or indicator's target for commune or village."""

    class Scope(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        VILLAGE = "village", _("Village")

    class Kind(models.TextChoices):
        NUMBER = "number", _("Number")
        TEXT = "text", _("Text instruction")
        NONE = "none", _("None (-)")
        SUSPENDED = "suspended", _("Suspended")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets"
    )
    element = models.ForeignKey(
        ProgramElement,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="targets",
    )
    scope = models.CharField(_("level"), max_length=10, choices=Scope.choices)
    kind = models.CharField(_("target kind"), max_length=10, choices=Kind.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.TextField(
        _("text"), blank=True, help_text=_("The instruction, or the reason for suspension")
    )

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "element__order", "scope"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "element", "scope"], name="target_unique"),
            models.CheckConstraint(
                condition=~models.Q(kind="number") | models.Q(value__isnull=False),
                name="target_number_has_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.element.code} {self.scope}: {self.display}"

    @property
    def display(self) -> str:
        if self.kind == self.Kind.NUMBER and self.value is not None:
            return format_count(self.value)
        if self.kind == self.Kind.NONE:
            return "-"
        return self.text


def format_count(value: Decimal | int) -> str:
    """Counts as plans print them: two digits with a leading zero (01, 03, 12), 0 stays 0."""
    number = Decimal(value)
    if number == number.to_integral_value():
        integer = int(number)
        return f"{integer:02d}" if 0 < integer < 10 else str(integer)
    return f"{number.normalize():f}".replace(".", ",")


class AllocationColumn(BaseModel):
    """A column of the allocation table (second appendix), tied to an indicator."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="allocation_columns"
    )
    element = models.ForeignKey(
        ProgramElement, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.CharField(
        _("group heading"), max_length=80, blank=True, help_text=_("e.g. Nội dung 1")
    )
    heading = models.TextField(_("heading as printed"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("allocation column")
        verbose_name_plural = _("allocation columns")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.heading


class AllocationRow(BaseModel):
    """A row of the allocation table: the total, an implementing unit, or a village.

    The value of a row that has child rows must equal the sum of its children, column by column.
    """

    class Kind(models.TextChoices):
        TOTAL = "total", _("Target of the year")
        AGENCY = "agency", _("Implementing unit")
        VILLAGE = "village", _("Village")

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="allocation_rows"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent row"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.CharField(
        _("number"), max_length=10, blank=True, help_text=_("I, II, 1, 2, ...")
    )
    label = models.CharField(_("unit"), max_length=255)
    village = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    difficult_villages = models.PositiveSmallIntegerField(
        _("number of especially difficult villages"), null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("allocation row")
        verbose_name_plural = _("allocation rows")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.number} {self.label}".strip()


class AllocationCell(BaseModel):
    row = models.ForeignKey(
        AllocationRow, verbose_name=_("row"), on_delete=models.CASCADE, related_name="cells"
    )
    column = models.ForeignKey(
        AllocationColumn, verbose_name=_("column"), on_delete=models.CASCADE, related_name="cells"
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, default=Decimal(0))

    class Meta:
        verbose_name = _("allocation value")
        verbose_name_plural = _("allocation values")
        ordering = ["row", "column"]
        constraints = [
            models.UniqueConstraint(fields=["row", "column"], name="allocation_cell_unique"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="allocation_cell_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.row} / {self.column}: {self.value}"
