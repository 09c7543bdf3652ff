"""The shipped rules file (data/package_rules.json): its schema, the migration that loads it and
``duan8 load_package_rules``, which agree and can be repeated."""

from __future__ import annotations

import importlib
import json
from io import StringIO
from pathlib import Path
from typing import Any

import django.apps
import pytest
from django.core.management import CommandError, call_command

from duan8.legal.models import LegalDocument
from duan8.mothers.models import BenefitItem, EligibilityRule
from duan8.mothers.rules_data import RULES_FILE, package_rules_load, package_rules_read
from duan8.orgunits.models import OrgUnit

pytestmark = pytest.mark.usefixtures("english")


def rows() -> list[tuple[Any, ...]]:
    rules = EligibilityRule.objects.values_list(
        "code", "kind", "valid_from", "valid_to", "verified", "legal_source__number"
    )
    items = BenefitItem.objects.values_list(
        "code",
        "amount",
        "basis",
        "with_carer",
        "needs_facility_delivery",
        "max_days_normal",
        "max_days_caesarean",
        "max_visits",
        "valid_from",
        "legal_source__number",
    )
    return sorted(map(tuple, rules)) + sorted(map(tuple, items))


def test_the_file_names_its_sources_and_what_is_not_verified() -> None:
    spec = package_rules_read()

    assert [(d.number, d.symbol, d.issuer) for d in spec.documents] == [
        ("15/2022", "TT-BTC", "Bộ Tài chính"),
        ("55/2023", "TT-BTC", "Bộ Tài chính"),
    ]
    verified = {rule.kind.value: rule.verified for rule in spec.rules}
    assert verified == {"ethnic_minority": True, "village_dbkk": False, "province_listed": False}
    provinces = {(p.scheme.value, p.code) for r in spec.rules for p in r.provinces}
    assert {("qd124_2004", "51"), ("qd19_2025", "51")} <= provinces
    assert any("NOT found" in note for note in spec.notes)


def test_the_migration_and_the_command_load_the_same_rows(db: None) -> None:
    loaded_by_migration = rows()
    EligibilityRule.objects.all().delete()
    BenefitItem.objects.all().delete()

    out = StringIO()
    call_command("load_package_rules", stdout=out)

    assert rows() == loaded_by_migration
    assert len(loaded_by_migration) == 8
    assert "3 rules and 5 items created" in out.getvalue()


def test_loading_again_changes_nothing_and_keeps_the_administrators_edits(
    quang_ngai: OrgUnit, new_quang_ngai: OrgUnit
) -> None:
    BenefitItem.objects.filter(code="goi-vat-tu").update(name="Gói vật tư (đã sửa)")

    first = package_rules_load()
    second = package_rules_load()
    migration = importlib.import_module("duan8.mothers.migrations.0003_load_package_rules")
    migration.forward(django.apps.apps, None)

    assert (first.rules_created, first.items_created, first.provinces_linked) == (0, 0, 2)
    assert (second.rules_created, second.items_created, second.provinces_linked) == (0, 0, 0)
    assert EligibilityRule.objects.count() == 3
    assert BenefitItem.objects.get(code="goi-vat-tu").name == "Gói vật tư (đã sửa)"
    rule = EligibilityRule.objects.get(kind="province_listed")
    assert set(rule.provinces.all()) == {quang_ngai, new_quang_ngai}
    assert LegalDocument.objects.filter(number="15/2022", symbol="TT-BTC").count() == 1
    assert "Gia Lai" in " ".join(second.provinces_missing)


def test_a_wrong_file_is_refused_naming_the_place(db: None, tmp_path: Path) -> None:
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    data["items"][1]["amount"] = "500000"
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as wrong_amount:
        call_command("load_package_rules", file=str(path))

    data["items"][1]["amount"] = 500000
    data["rules"][0]["document"] = "tt99"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as unknown_document:
        call_command("load_package_rules", file=str(path))

    assert "rules.json: items.2.amount (goi-vat-tu): " in str(wrong_amount.value)
    assert "no document has the key tt99" in str(unknown_document.value)
    assert BenefitItem.objects.filter(amount=500000).count() == 1
