"""Load the packages' eligibility rules and items (duan8/mothers/data/package_rules.json) once.

The loader is copied here (migrations never import app code; ``mothers.rules_data`` checks the
file and loads it again with ``duan8 load_package_rules``, the tests check both agree). Rows
already present are left alone, so an administrator's edits survive; provinces are linked when
the map is already loaded (else by the command, after ``load_geography``).
"""

import datetime
import json
from pathlib import Path

from django.db import migrations

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "package_rules.json"
PROVINCE_LEVEL = 1
ITEM_FIELDS = (
    "with_carer",
    "needs_facility_delivery",
    "max_days_normal",
    "max_days_caesarean",
    "max_visits",
    "verified",
    "order",
)


def _date(raw):
    return datetime.date.fromisoformat(raw) if raw else None


def forward(apps, schema_editor):
    LegalDocument = apps.get_model("legal", "LegalDocument")
    EligibilityRule = apps.get_model("mothers", "EligibilityRule")
    BenefitItem = apps.get_model("mothers", "BenefitItem")
    OrgUnit = apps.get_model("orgunits", "OrgUnit")
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    documents = {}
    for row in data["documents"]:
        documents[row["key"]], _ = LegalDocument.objects.get_or_create(
            number=row["number"],
            symbol=row["symbol"],
            issued_on=_date(row["issued_on"]),
            issuer=row["issuer"],
            defaults={"kind": row["kind"], "title": row.get("title", "")},
        )
    for row in data["rules"]:
        rule, _ = EligibilityRule.objects.get_or_create(
            code=row["code"],
            valid_from=_date(row["valid_from"]),
            defaults={
                "kind": row["kind"],
                "name": row["name"],
                "legal_source": documents[row["document"]],
                "legal_article": row.get("article", ""),
                "valid_to": _date(row.get("valid_to")),
                "verified": row.get("verified", True),
            },
        )
        for province in row.get("provinces", []):
            unit = OrgUnit.objects.filter(
                code_scheme=province["scheme"], level=PROVINCE_LEVEL, code=province["code"]
            ).first()
            if unit is not None:
                rule.provinces.add(unit)
    for row in data["items"]:
        BenefitItem.objects.get_or_create(
            code=row["code"],
            valid_from=_date(row["valid_from"]),
            defaults={
                "name": row["name"],
                "amount": row["amount"],
                "basis": row["basis"],
                "legal_source": documents[row["document"]],
                "legal_article": row.get("article", ""),
                "valid_to": _date(row.get("valid_to")),
                **{name: row[name] for name in ITEM_FIELDS if name in row},
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("mothers", "0002_roles"),
        ("legal", "0001_initial"),
        ("orgunits", "0001_initial"),
    ]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
