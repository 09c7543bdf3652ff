"""Consent to the processing of a mother's personal data (Law 91/2025/QH15 and NĐ 356/2025 from
1/1/2026; NĐ 13/2023 before; domain.md 8.3).

The texts are versioned data (``data/consent_texts.json``, loaded by ``consent_texts_load``): a
consent points at the text the mother agreed to, and a changed wording is a new version. The
health station, a village health worker or the commune WU officer records a consent (signed,
thumbprint or electronic; by the mother or her parent/guardian) and its withdrawal. After a
withdrawal her record is not processed further: the registry's and payments' services ask
``consent_in_force`` (or ``consent_require``) before they verify, approve or pay.

The audit entries say what happened and to which consent, never the signer's name or the note.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_PROPOSE, MOTHERS_VERIFY
from duan8.core import audit
from duan8.core.concurrency import claim_version
from duan8.core.problems import WHOLE, Invalid, Problem, Problems
from duan8.documents.docx_builder import DocxBuilder, Layout, Line, TableCell
from duan8.documents.plan_document import fill
from duan8.documents.selectors import document_template_get
from duan8.documents.vietnamese import date_long, upper
from duan8.mothers.models import Consent, ConsentText, Mother
from duan8.orgunits.access import can

TEXTS_FILE = Path(__file__).resolve().parent.parent / "data" / "consent_texts.json"
RECORDERS = (MOTHERS_PROPOSE, MOTHERS_VERIFY)


# --- the texts ---------------------------------------------------------------------------------


def consent_texts_load(path: Path = TEXTS_FILE) -> int:
    """Create the consent texts of the file that are not there yet (by version); a version
    already loaded is never changed (consents point at it). Returns how many were created."""
    data = json.loads(path.read_text(encoding="utf-8"))
    created = 0
    with transaction.atomic():
        for item in data["texts"]:
            _, made = ConsentText.objects.get_or_create(
                version=item["version"],
                defaults={
                    "title": item["title"],
                    "body": "\n\n".join(item["body"]),
                    "legal_basis": item["legal_basis"],
                    "valid_from": datetime.date.fromisoformat(item["valid_from"]),
                    "valid_to": (
                        datetime.date.fromisoformat(item["valid_to"]) if item["valid_to"] else None
                    ),
                },
            )
            created += made
    return created


def consent_text_in_use(on: datetime.date) -> ConsentText | None:
    """The consent text in use on ``on`` (the newest one that began by then and had not ended)."""
    return (
        ConsentText.objects.filter(valid_from__lte=on)
        .exclude(valid_to__lt=on)
        .order_by("-valid_from")
        .first()
    )


# --- who may record ----------------------------------------------------------------------------


def may_record_consent(actor: User, mother: Mother) -> bool:
    """The health station, her village's health worker or the commune WU officer."""
    return any(can(actor, code, mother.village) for code in RECORDERS)


def _require_recorder(actor: User, mother: Mother) -> None:
    if not may_record_consent(actor, mother):
        raise PermissionDenied(
            _("You may not record consents of mothers in %(unit)s.")
            % {"unit": mother.village.full_name}
        )


# --- recording and withdrawing -----------------------------------------------------------------


def _consent_check(
    mother: Mother,
    *,
    given_on: datetime.date | None,
    channel: str,
    signer: str,
    signer_name: str,
    text: ConsentText | None,
) -> ConsentText:
    problems = Problems()
    today = timezone.localdate()
    if mother.anonymised_on is not None:
        problems.add(WHOLE, _("This record has been anonymised; nothing more is recorded on it."))
    if given_on is None:
        problems.add("given_on", _("Give the date the consent was given."), "required")
    elif given_on > today:
        problems.add("given_on", _("The date is in the future."), "future")
    if channel not in Consent.Channel.values:
        problems.add("channel", _("Choose how the consent was given."), "invalid_choice")
    if signer not in Consent.Signer.values:
        problems.add("signer", _("Choose who signed."), "invalid_choice")
    elif signer == Consent.Signer.GUARDIAN and not signer_name.strip():
        problems.add(
            "signer_name", _("Give the name of the parent or guardian who signed."), "required"
        )
    chosen = text
    if given_on is not None and chosen is None:
        chosen = consent_text_in_use(given_on)
        if chosen is None:
            problems.add("text", _("No consent text was in use on that date."), "missing")
    elif chosen is not None and given_on is not None and chosen.valid_from > given_on:
        problems.add("text", _("This consent text was not yet in use on that date."), "too_early")
    problems.raise_if_any()
    assert chosen is not None
    return chosen


@transaction.atomic
def consent_record(
    *,
    actor: User,
    mother: Mother,
    given_on: datetime.date | None,
    channel: str,
    signer: str,
    signer_name: str = "",
    text: ConsentText | None = None,
) -> Consent:
    """Record that ``mother`` (or her parent/guardian) consented, on the text in use that day
    unless ``text`` is given."""
    _require_recorder(actor, mother)
    signer_name = " ".join(signer_name.split())
    chosen = _consent_check(
        mother,
        given_on=given_on,
        channel=channel,
        signer=signer,
        signer_name=signer_name,
        text=text,
    )
    assert given_on is not None
    consent = Consent.objects.create(
        mother=mother,
        text=chosen,
        given_on=given_on,
        channel=channel,
        signer=signer,
        signer_name=signer_name,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="mothers.consent.recorded",
        target=consent,
        org_unit=mother.commune,
        after={
            "mother": mother.pk,
            "text": chosen.version,
            "given_on": given_on,
            "channel": channel,
            "signer": signer,
        },
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *,
    actor: User,
    consent: Consent,
    withdrawn_on: datetime.date | None,
    note: str = "",
    expected_version: int | None,
) -> Consent:
    """Record that the consent was withdrawn on ``withdrawn_on``; from that day the mother's
    record is not processed further (``consent_in_force`` is false)."""
    mother = consent.mother
    _require_recorder(actor, mother)
    problems = Problems()
    if consent.withdrawn_on is not None:
        problems.add(WHOLE, _("This consent has already been withdrawn."), "withdrawn")
    if withdrawn_on is None:
        problems.add("withdrawn_on", _("Give the date of the withdrawal."), "required")
    elif withdrawn_on > timezone.localdate():
        problems.add("withdrawn_on", _("The date is in the future."), "future")
    elif withdrawn_on < consent.given_on:
        problems.add(
            "withdrawn_on", _("The date is before the consent was given."), "before_consent"
        )
    problems.raise_if_any()
    claim_version(consent, expected_version)
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_note = note.strip()
    consent.save(update_fields=["withdrawn_on", "withdrawal_note", "updated_at"])
    audit.record(
        actor=actor,
        action="mothers.consent.withdrawn",
        target=consent,
        org_unit=mother.commune,
        before={"withdrawn_on": None},
        after={"withdrawn_on": withdrawn_on, "note_given": bool(consent.withdrawal_note)},
        version=consent.version,
    )
    return consent


# --- asking ------------------------------------------------------------------------------------


def consent_current(mother: Mother, on: datetime.date | None = None) -> Consent | None:
    """Her latest consent given by ``on`` (today by default), withdrawn or not."""
    day = on or timezone.localdate()
    return (
        Consent.objects.filter(mother=mother, given_on__lte=day)
        .select_related("text")
        .order_by("-given_on", "-id")
        .first()
    )


def consent_in_force(mother: Mother, on: datetime.date | None = None) -> bool:
    """True when, on ``on`` (today by default), her latest consent was given and not withdrawn."""
    day = on or timezone.localdate()
    consent = consent_current(mother, day)
    return consent is not None and (consent.withdrawn_on is None or consent.withdrawn_on > day)


def consent_withdrawn(mother: Mother, on: datetime.date | None = None) -> bool:
    """True when her latest consent by ``on`` has been withdrawn by then: nothing more may be done
    with her record (a record without any consent yet is not "withdrawn")."""
    day = on or timezone.localdate()
    consent = consent_current(mother, day)
    return consent is not None and consent.withdrawn_on is not None and consent.withdrawn_on <= day


def consent_require(mother: Mother, on: datetime.date | None = None, *, field: str = WHOLE) -> None:
    """Refuse (``Invalid``) to process her record without a consent in force on ``on``."""
    if consent_in_force(mother, on):
        return
    message = (
        _("%(name)s withdrew her consent: her record is not processed further.")
        if consent_withdrawn(mother, on)
        else _("%(name)s has no consent recorded: record her signed consent first.")
    )
    problem = Problem(field=field, message=message % {"name": mother.full_name}, code="consent")
    raise Invalid([problem])


def consent_summary(consent: Consent) -> dict[str, Any]:
    """What the subject-access export and the pages show of a consent."""
    return {
        "text": consent.text.version,
        "given_on": consent.given_on,
        "channel": consent.get_channel_display(),
        "signer": consent.get_signer_display(),
        "signer_name": consent.signer_name,
        "withdrawn_on": consent.withdrawn_on,
        "withdrawal_note": consent.withdrawal_note,
    }


# --- the printable form ------------------------------------------------------------------------

FORM_TEMPLATE_KEY = "plan.commune"  # the commune's page layout, quốc hiệu and tiêu ngữ
DOTS = "." * 60
BOX = "\u2610"  # ☐


def _form_identity(builder: DocxBuilder, mother: Mother) -> None:
    born = mother.birth_date.strftime("%d/%m/%Y") if mother.birth_date else str(mother.birth_year)
    for text in (
        f"Họ và tên người mẹ: {mother.full_name}",
        f"Ngày/năm sinh: {born}",
        f"Thôn: {mother.village.name}; xã: {mother.commune.name}",
    ):
        builder.paragraph(text, indent=False, align="left")


def _form_signatures(builder: DocxBuilder) -> None:
    builder.paragraph(
        f"Người ký: {BOX} Người mẹ    {BOX} Cha, mẹ hoặc người giám hộ (họ tên, quan hệ): {DOTS}",
        indent=False,
        align="left",
    )
    builder.paragraph(
        f"Hình thức: {BOX} Ký tên    {BOX} Điểm chỉ (ngón trỏ phải)    {BOX} Điện tử",
        indent=False,
        align="left",
    )
    builder.paragraph(f"Ngày đồng ý: {date_long(None)}", indent=False, align="left")
    builder.table(
        (60, 55, 50),
        [
            [
                TableCell("NGƯỜI ĐỒNG Ý", bold=True, align="center"),
                TableCell("ĐIỂM CHỈ", bold=True, align="center"),
                TableCell("CÁN BỘ GHI NHẬN", bold=True, align="center"),
            ],
            [
                TableCell("(Ký, ghi rõ họ tên)", italic=True, align="center"),
                TableCell("(Nếu không ký được)", italic=True, align="center"),
                TableCell("(Ký, ghi rõ họ tên)", italic=True, align="center"),
            ],
        ],
        [[TableCell("\n\n\n\n\n"), TableCell(""), TableCell("")]],
    )


def consent_form_docx(*, actor: User, mother: Mother, text: ConsentText | None = None) -> bytes:
    """The consent form to print and sign (.docx, NĐ 30 layout of the commune's template): the
    text's version and wording, the mother's name, blanks for the signature or thumbprint.
    Printing it shows her name, so it is audited."""
    _require_recorder(actor, mother)
    chosen = text or consent_text_in_use(timezone.localdate())
    if chosen is None:
        raise Invalid([Problem(field="text", message=_("No consent text is in use."))])
    template = document_template_get(key=FORM_TEMPLATE_KEY)
    layout = Layout.from_data(template.layout)
    builder = DocxBuilder(layout)
    builder.document.core_properties.title = f"{chosen.title} ({chosen.version})"[:255]
    builder.document.core_properties.language = layout.language
    left = [
        Line(upper(f"UBND xã {mother.commune.name}"), size="parent_agency"),
        Line("TRẠM Y TẾ - HỘI LHPN XÃ", size="agency", bold=True, rule=layout.agency_rule_ratio),
    ]
    right = [
        Line(fill(template, "national_name"), size="national_name", bold=True),
        Line(fill(template, "motto"), size="motto", bold=True, rule=layout.motto_rule_ratio),
    ]
    builder.columns(layout.header_columns_mm, [[left, right]])
    builder.line(Line(upper(chosen.title), size="document_type", bold=True, space_before_pt=18))
    builder.line(
        Line(
            f"(Mẫu {chosen.version}; căn cứ: {chosen.legal_basis})",
            size="body",
            italic=True,
            space_after_pt=12,
        )
    )
    _form_identity(builder, mother)
    for paragraph in chosen.body.split("\n\n"):
        builder.paragraph(paragraph)
    _form_signatures(builder)
    audit.record(
        actor=actor,
        action="mothers.consent.form_printed",
        target=mother,
        org_unit=mother.commune,
        after={"text": chosen.version},
    )
    return builder.to_bytes()
