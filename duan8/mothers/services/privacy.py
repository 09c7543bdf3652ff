"""The data subject's and the controller's side of the registry (docs/personal-data.md):

- ``mother_subject_export``: one mother's data as a workbook, for her (the right of access);
- ``mothers_retention``: anonymise the records past the retention period;
- ``field_keys_rotate``: re-encrypt every encrypted field under the newest key.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Max, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.worksheet.worksheet import Worksheet

from duan8.accounts.models import User
from duan8.accounts.permissions import MOTHERS_VERIFY
from duan8.core import audit, xlsx
from duan8.core.models import AuditEvent
from duan8.mothers import crypto
from duan8.mothers.fields import EncryptedField
from duan8.mothers.models import (
    AntenatalVisit,
    Child,
    Consent,
    EntitlementLine,
    Mother,
    Payment,
    Pregnancy,
)
from duan8.mothers.names import name_key, normalise_id
from duan8.orgunits.access import can
from duan8.trail.labels import action_label

ANONYMOUS_NAME = "Đã ẩn danh"
BATCH = 500


# --- subject-access export ---------------------------------------------------------------------


def _text(value: Any) -> Any:
    """Every cell is text but our numbers: dates as dd/mm/yyyy, booleans as có/không."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | Decimal):
        return value
    return str(value)


def _label(model: type[models.Model], name: str) -> str:
    found = model._meta.get_field(name)
    return str(getattr(found, "verbose_name", name)).capitalize()


CHOICES: dict[str, type[models.TextChoices]] = {
    "place": Pregnancy.Place,
    "mode": Pregnancy.Mode,
}


def _shown(row: models.Model, name: str) -> Any:
    if name in CHOICES and isinstance(row, Pregnancy):
        value = getattr(row, name)
        return CHOICES[name](value).label if value in CHOICES[name].values else value
    display = getattr(row, f"get_{name}_display", None)
    value = display() if callable(display) else getattr(row, name)
    if isinstance(value, models.Model):
        return str(value)
    return value


def _sheet(book: Any, title: str, model: type[models.Model], names: list[str], rows: Any) -> None:
    sheet = cast(Worksheet, book.create_sheet(title[:31]))
    xlsx.row_append(sheet, [_label(model, name) for name in names])
    for row in rows:
        xlsx.row_append(sheet, [_text(_shown(row, name)) for name in names])
    for index in range(len(names)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 22


MOTHER_FIELDS = [
    "full_name",
    "birth_date",
    "birth_year",
    "ethnic_group",
    "commune",
    "village",
    "phone",
    "id_number",
    "household",
    "anonymised_on",
]
PREGNANCY_FIELDS = [
    "status",
    "commune",
    "village",
    "expected_on",
    "delivered_on",
    "place",
    "facility",
    "mode",
    "babies",
    "days_at_facility",
    "has_carer",
    "carer_name",
    "status_reason",
]


def _audit_entries(mother: Mother, pregnancies: list[Pregnancy]) -> Any:
    about = Q(target_type="mothers.mother", target_id=str(mother.pk))
    ids = [str(p.pk) for p in pregnancies]
    if ids:
        about |= Q(target_type="mothers.pregnancy", target_id__in=ids)
    consents = [str(pk) for pk in mother.consents.values_list("pk", flat=True)]
    if consents:
        about |= Q(target_type="mothers.consent", target_id__in=consents)
    return AuditEvent.objects.filter(about).select_related("actor").order_by("created_at", "id")


def _audit_sheet(book: Any, events: Any) -> None:
    sheet = cast(Worksheet, book.create_sheet(_("Audit trail")[:31]))
    xlsx.row_append(sheet, [_("Time"), _("Action"), _("User"), _("Fields changed")])
    for event in events:
        changed = sorted(audit.changes(event.before, event.after))
        user = str(event.actor) if event.actor is not None else event.actor_name
        xlsx.row_append(
            sheet,
            [_text(event.created_at), action_label(event.action), user, ", ".join(changed)],
        )
    for letter, width in zip("ABCD", (18, 40, 28, 40), strict=True):
        sheet.column_dimensions[letter].width = width


def _payments(pregnancies: list[Pregnancy]) -> list[Payment]:
    return list(
        Payment.objects.filter(entry__pregnancy__in=pregnancies)
        .select_related("entry__payment_list")
        .order_by("paid_on", "id")
    )


def mother_subject_export(*, actor: User, mother: Mother) -> bytes:
    """Everything the registry holds about ``mother``, for her, as an .xlsx: her record, her
    pregnancies and deliveries, visits, children, consents, entitlements, payments and the audit
    entries about her record. For the commune WU officer (``mothers.verify``); audited."""
    if not can(actor, MOTHERS_VERIFY, mother.commune):
        raise PermissionDenied(
            _("You may not export mothers' records of %(unit)s.")
            % {"unit": mother.commune.full_name}
        )
    pregnancies = list(
        Pregnancy.objects.filter(mother=mother).select_related("commune", "village").order_by("id")
    )
    book = xlsx.workbook_new(title=_("Personal data of %(name)s") % {"name": mother.full_name})
    book.remove(cast(Worksheet, book.active))
    _sheet(book, _("Her record"), Mother, MOTHER_FIELDS, [mother])
    _sheet(book, _("Pregnancies"), Pregnancy, PREGNANCY_FIELDS, pregnancies)
    _sheet(
        book,
        _("Antenatal visits"),
        AntenatalVisit,
        ["pregnancy", "visited_on", "facility"],
        AntenatalVisit.objects.filter(pregnancy__in=pregnancies).order_by("id"),
    )
    _sheet(
        book,
        _("Children"),
        Child,
        ["sex", "born_on"],
        Child.objects.filter(pregnancy__in=pregnancies).order_by("id"),
    )
    _sheet(
        book,
        _("Consents"),
        Consent,
        ["text", "given_on", "channel", "signer", "signer_name", "withdrawn_on", "withdrawal_note"],
        mother.consents.select_related("text").order_by("given_on", "id"),
    )
    _sheet(
        book,
        _("Entitlements"),
        EntitlementLine,
        ["item", "quantity", "amount", "explanation"],
        EntitlementLine.objects.filter(pregnancy__in=pregnancies).select_related("item"),
    )
    _sheet(
        book,
        _("Payments"),
        Payment,
        ["paid_on", "amount", "receipt", "reason"],
        _payments(pregnancies),
    )
    _audit_sheet(book, _audit_entries(mother, pregnancies))
    content = xlsx.workbook_bytes(book)
    audit.record(
        actor=actor, action="mothers.subject.exported", target=mother, org_unit=mother.commune
    )
    return content


# --- retention ---------------------------------------------------------------------------------


@dataclass
class RetentionResult:
    cutoff: datetime.date
    dry_run: bool
    mothers: list[int] = field(default_factory=list)  # the ids anonymised (or due, dry run)

    @property
    def count(self) -> int:
        return len(self.mothers)


def retention_years() -> int:
    return int(getattr(settings, "MOTHERS_RETENTION_YEARS", 10))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _last_activity(mother_ids: list[int]) -> dict[int, datetime.date]:
    """Each mother's last decision or payment: her record's or a case's last change, a payment."""
    last: dict[int, datetime.date] = {}

    def keep(pk: int, when: datetime.date | datetime.datetime | None) -> None:
        if when is None:
            return
        day = timezone.localdate(when) if isinstance(when, datetime.datetime) else when
        if pk not in last or day > last[pk]:
            last[pk] = day

    for pk, when in Mother.objects.filter(pk__in=mother_ids).values_list("pk", "updated_at"):
        keep(pk, when)
    cases = (
        Pregnancy.objects.filter(mother_id__in=mother_ids)
        .values("mother_id")
        .annotate(changed=Max("updated_at"), approved=Max("approved_at"))
    )
    for row in cases:
        keep(row["mother_id"], row["changed"])
        keep(row["mother_id"], row["approved"])
    paid = (
        Payment.objects.filter(entry__pregnancy__mother_id__in=mother_ids)
        .values("entry__pregnancy__mother_id")
        .annotate(last=Max("paid_on"))
    )
    for row in paid:
        keep(row["entry__pregnancy__mother_id"], row["last"])
    return last


def _year_only(day: datetime.date | None) -> datetime.date | None:
    return day.replace(month=1, day=1) if day is not None else None


def _anonymise(mother: Mother, today: datetime.date) -> None:
    """Names, ID, phone, health fields and exact dates go; counts, amounts, the village, the
    ethnicity (counted by the indicators) and years stay."""
    pregnancies = list(Pregnancy.objects.filter(mother=mother))
    for case in pregnancies:
        case.expected_on = None
        case.place = case.facility = case.mode = ""
        case.babies = case.days_at_facility = None
        case.carer_name = ""
        case.delivered_on = _year_only(case.delivered_on)
    Pregnancy.objects.bulk_update(
        pregnancies,
        ["expected_on", "place", "facility", "mode", "babies", "days_at_facility", "carer_name"]
        + ["delivered_on"],
    )
    AntenatalVisit.objects.filter(pregnancy__in=pregnancies).delete()
    children = list(Child.objects.filter(pregnancy__in=pregnancies))
    for child in children:
        child.born_on = cast(datetime.date, _year_only(child.born_on))
    Child.objects.bulk_update(children, ["born_on"])
    Consent.objects.filter(mother=mother).update(signer_name="", withdrawal_note="")
    if mother.birth_date is not None:
        mother.birth_year = mother.birth_date.year
    mother.full_name = ANONYMOUS_NAME
    mother.name_key = name_key(ANONYMOUS_NAME)
    mother.id_number = ""
    mother.id_number_index = ""
    mother.phone = ""
    mother.birth_date = None
    mother.anonymised_on = today
    mother.save(
        update_fields=[
            "full_name",
            "name_key",
            "id_number",
            "id_number_index",
            "phone",
            "birth_date",
            "birth_year",
            "anonymised_on",
            "updated_at",
        ]
    )


def mothers_retention(
    *, years: int | None = None, dry_run: bool = False, today: datetime.date | None = None
) -> RetentionResult:
    """Anonymise the mothers whose last decision or payment is older than ``years`` (the setting
    ``MOTHERS_RETENTION_YEARS`` by default); safe to repeat. One transaction per mother; each is
    audited (``mothers.mother.anonymised``) without any of her values."""
    day = today or timezone.localdate()
    kept = retention_years() if years is None else years
    if kept < 1:
        raise ValueError("The retention period is at least one year.")
    result = RetentionResult(cutoff=_years_before(day, kept), dry_run=dry_run)
    candidates = list(
        Mother.objects.filter(anonymised_on__isnull=True, updated_at__date__lt=result.cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(candidates), BATCH):
        chunk = candidates[start : start + BATCH]
        last = _last_activity(chunk)
        due = [pk for pk in chunk if last.get(pk, day) < result.cutoff]
        result.mothers.extend(due)
        if dry_run:
            continue
        for pk in due:
            with transaction.atomic():
                mother = Mother.objects.select_for_update().select_related("commune").get(pk=pk)
                if mother.anonymised_on is not None:
                    continue
                _anonymise(mother, day)
                audit.record(
                    actor=None,
                    actor_name="mothers_retention",
                    action="mothers.mother.anonymised",
                    target=mother,
                    org_unit=mother.commune,
                    after={"anonymised_on": day, "retention_years": kept},
                )
    return result


# --- key rotation ------------------------------------------------------------------------------


def encrypted_fields() -> Iterator[tuple[type[models.Model], list[str]]]:
    """Every model of the registry with its encrypted fields."""
    for model in apps.get_app_config("mothers").get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]
        if names:
            yield model, names


def _rotate_batch(model: type[models.Model], names: list[str], pks: list[int]) -> int:
    raw = {f"raw_{n}": Cast(n, models.TextField()) for n in names}
    rows = model._default_manager.select_for_update().filter(pk__in=pks).annotate(**raw)
    changed = []
    for row in rows.values("pk", *raw):
        values = {n: row[f"raw_{n}"] for n in names}
        rotated = {n: crypto.rotate(v) if v else v for n, v in values.items()}
        instance = model(pk=row["pk"], **rotated)
        if model is Mother:
            stored = values["id_number"]
            number = normalise_id(crypto.decrypt(stored)) if stored else ""
            index = crypto.blind_index(number) if number else ""
            instance.id_number_index = index  # type: ignore[attr-defined]
        changed.append(instance)
    fields = [*names, "id_number_index"] if model is Mother else names
    model._default_manager.bulk_update(changed, fields)
    return len(changed)


def field_keys_rotate(*, batch: int = BATCH) -> dict[str, int]:
    """Re-encrypt every encrypted value of the registry under the newest key of
    ``DUAN8_FIELD_KEYS`` and recompute the ID numbers' blind index; a transaction per batch of
    rows, safe to run again (a value already under the newest key is simply encrypted anew).
    Returns the rows rewritten per model. ``updated_at`` is not touched (retention reads it)."""
    done: dict[str, int] = {}
    for model, names in encrypted_fields():
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        total = 0
        for start in range(0, len(pks), batch):
            with transaction.atomic():
                total += _rotate_batch(model, names, pks[start : start + batch])
        done[model._meta.label_lower] = total
    return done
