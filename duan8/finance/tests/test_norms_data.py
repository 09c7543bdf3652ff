# ruff: noqa: F811 (fixtures imported from budget_fixtures)
"""The spending norms as data: the shipped file, the migration, the command, the admin pages."""

import datetime
import importlib
import json
from decimal import Decimal
from pathlib import Path

import django.apps
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from duan8.accounts.models import User
from duan8.core.concurrency import EditConflict
from duan8.core.models import AuditEvent
from duan8.core.schemas import FileInvalid
from duan8.finance.models import SpendingNorm
from duan8.finance.norms_data import NORMS_FILE, spending_norms_load, spending_norms_read
from duan8.finance.services.norms import norm_new_period, norm_update
from duan8.finance.tests.budget_fixtures import accountant, administrator  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_file_says_which_amounts_are_verified() -> None:
    spec = spending_norms_read()

    package = [n for n in spec.norms if n.cost_line.value == "package"]
    others = [n for n in spec.norms if n.cost_line.value != "package"]
    assert {int(n.amount) for n in package} == {100_000, 500_000, 50_000, 1_200_000}
    assert all(n.verified for n in package)
    assert others and all(not n.verified and n.note for n in others)
    lines = {n.cost_line.value for n in spec.norms}
    assert {"communication", "campaign", "contest", "dialogue", "club", "training"} <= lines
    assert {"supervision", "review", "package"} <= lines


def test_the_migration_loaded_the_norms_and_the_command_keeps_edits() -> None:
    count = len(spending_norms_read().norms)
    assert SpendingNorm.objects.count() == count
    norm = SpendingNorm.objects.get(code="so-ket-tong-ket")
    norm.amount = Decimal(3_000_000)
    norm.save()

    call_command("load_spending_norms")
    spending_norms_load()

    assert SpendingNorm.objects.count() == count
    assert SpendingNorm.objects.get(code="so-ket-tong-ket").amount == Decimal(3_000_000)


def test_the_migration_and_the_loader_agree() -> None:
    SpendingNorm.objects.all().delete()
    migration = importlib.import_module("duan8.finance.migrations.0003_load_spending_norms")
    migration.forward(django.apps.apps, None)
    by_migration = sorted(SpendingNorm.objects.values_list("code", "amount", "verified", "unit"))
    SpendingNorm.objects.all().delete()

    spending_norms_load()

    assert sorted(SpendingNorm.objects.values_list("code", "amount", "verified", "unit")) == (
        by_migration
    )


def test_a_bad_file_names_the_norm_and_loads_nothing(tmp_path: Path) -> None:
    data = json.loads(NORMS_FILE.read_text(encoding="utf-8"))
    data["norms"][0]["amount"] = "100"
    data["norms"][1]["verified"] = False
    data["norms"][1]["note"] = ""
    path = tmp_path / "norms.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    SpendingNorm.objects.all().delete()

    with pytest.raises(FileInvalid) as exc:
        spending_norms_load(path=path)

    text = "\n".join(exc.value.lines())
    assert "norms.1.amount" in text and "norms.2" in text
    assert SpendingNorm.objects.count() == 0


def test_administrator_edits_a_norm_version_checked_and_audited(administrator: User) -> None:
    norm = SpendingNorm.objects.get(code="so-ket-tong-ket")

    norm_update(
        actor=administrator,
        norm=norm,
        expected_version=norm.version,
        data={"amount": Decimal(2_500_000), "verified": True},
    )

    norm.refresh_from_db()
    assert norm.amount == Decimal(2_500_000) and norm.verified and norm.version == 2
    event = AuditEvent.objects.get(action="finance.norm.changed")
    assert event.after["amount"] == 2_500_000
    with pytest.raises(EditConflict):
        norm_update(actor=administrator, norm=norm, expected_version=1, data={"unit": "cuộc"})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"amount": Decimal(-1)}, "amount"),
        ({"amount": Decimal("10.5")}, "amount"),
        ({"verified": True}, "amount"),
        ({"valid_to": datetime.date(2020, 1, 1)}, "valid_to"),
    ],
)
def test_bad_norm_edits_are_refused(administrator: User, data: dict, field: str) -> None:
    norm = SpendingNorm.objects.get(code="so-ket-tong-ket")

    with pytest.raises(ValidationError) as exc:
        norm_update(actor=administrator, norm=norm, expected_version=norm.version, data=data)

    assert field in exc.value.message_dict
    norm.refresh_from_db()
    assert norm.amount == 0 and norm.version == 1


def test_a_new_period_ends_the_old_norm(administrator: User) -> None:
    norm = SpendingNorm.objects.get(code="goi-vat-tu")

    new = norm_new_period(
        actor=administrator,
        norm=norm,
        expected_version=norm.version,
        data={"valid_from": datetime.date(2026, 1, 1), "amount": Decimal(600_000)},
    )

    norm.refresh_from_db()
    assert norm.valid_to == datetime.date(2025, 12, 31) and norm.amount == Decimal(500_000)
    assert new.amount == Decimal(600_000) and new.valid_to is None
    assert AuditEvent.objects.filter(action="finance.norm.created").count() == 1


def test_readers_cannot_edit_norms(accountant: User, commune_leader: User) -> None:
    norm = SpendingNorm.objects.get(code="goi-vat-tu")
    for user in (accountant, commune_leader):
        with pytest.raises(PermissionDenied):
            norm_update(actor=user, norm=norm, expected_version=1, data={"amount": Decimal(1)})


def test_norm_pages(
    client: Client,
    administrator: User,
    accountant: User,
    django_assert_max_num_queries: object,
) -> None:
    client.force_login(accountant)
    norm = SpendingNorm.objects.get(code="goi-vat-tu")
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        listing = client.get(reverse("finance:norms"))
    text = listing.content.decode()
    assert "500.000" in text and reverse("finance:norm_edit", args=[norm.pk]) not in text
    assert client.get(reverse("finance:norm_edit", args=[norm.pk])).status_code == 403

    client.force_login(administrator)
    url = reverse("finance:norm_edit", args=[norm.pk])
    form = {
        "version": "1",
        "cost_line": "package",
        "name": norm.name,
        "unit": norm.unit,
        "amount": "550.000",
        "legal_source": norm.legal_source_id,
        "valid_from": "2022-03-04",
        "verified": "on",
    }
    assert client.post(url, form).status_code == 302
    norm.refresh_from_db()
    assert norm.amount == Decimal(550_000)
    stale = client.post(url, form)
    assert stale.status_code == 200 and norm.version == 2


def test_norm_list_queries_do_not_grow(
    client: Client, accountant: User, django_assert_max_num_queries: object
) -> None:
    client.force_login(accountant)
    url = reverse("finance:norms")
    client.get(url)
    for index in range(10):
        SpendingNorm.objects.create(
            code=f"x-{index}",
            cost_line="other",
            name="x",
            unit="cuộc",
            amount=Decimal(1),
            valid_from=datetime.date(2023, 1, 1),
        )
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        assert client.get(url).status_code == 200


def test_a_person_without_money_rights_does_not_see_norms(
    client: Client, village_head: User
) -> None:
    client.force_login(village_head)

    assert client.get(reverse("finance:norms")).status_code == 403


def test_new_period_page_saves_once(client: Client, administrator: User) -> None:
    norm = SpendingNorm.objects.get(code="goi-dinh-duong")
    client.force_login(administrator)
    url = reverse("finance:norm_new_period", args=[norm.pk])
    assert client.get(url).status_code == 200
    form = {
        "once": "n" * 24,
        "version": str(norm.version),
        "cost_line": "package",
        "name": norm.name,
        "unit": norm.unit,
        "amount": "1.500.000",
        "legal_source": norm.legal_source_id,
        "valid_from": "2026-01-01",
        "verified": "on",
    }

    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302

    periods = list(SpendingNorm.objects.filter(code="goi-dinh-duong").order_by("valid_from"))
    assert [p.amount for p in periods] == [Decimal(1_200_000), Decimal(1_500_000)]
    assert periods[0].valid_to == datetime.date(2025, 12, 31)
