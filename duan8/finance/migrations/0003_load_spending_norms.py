"""Load the spending norms (duan8/finance/data/spending_norms.json) once.

The loader is copied here (migrations never import app code; ``finance.norms_data`` checks the
file and loads it again with ``duan8 load_spending_norms``, the tests check both agree). Norms
already present are left alone, so an administrator's edits survive.
"""

import datetime
import json
from pathlib import Path

from django.db import migrations

NORMS_FILE = Path(__file__).resolve().parent.parent / "data" / "spending_norms.json"


def _date(raw):
    return datetime.date.fromisoformat(raw) if raw else None


def forward(apps, schema_editor):
    LegalDocument = apps.get_model("legal", "LegalDocument")
    SpendingNorm = apps.get_model("finance", "SpendingNorm")
    data = json.loads(NORMS_FILE.read_text(encoding="utf-8"))
    documents = {}
    for row in data["documents"]:
        documents[row["key"]], _ = LegalDocument.objects.get_or_create(
            number=row["number"],
            symbol=row["symbol"],
            issued_on=_date(row["issued_on"]),
            issuer=row["issuer"],
            defaults={"kind": row["kind"], "title": row.get("title", "")},
        )
    for row in data["norms"]:
        SpendingNorm.objects.get_or_create(
            code=row["code"],
            valid_from=_date(row["valid_from"]),
            defaults={
                "cost_line": row["cost_line"],
                "name": row["name"],
                "unit": row["unit"],
                "amount": row["amount"],
                "is_ceiling": row.get("is_ceiling", False),
                "legal_source": documents[row["document"]],
                "legal_article": row.get("article", ""),
                "valid_to": _date(row.get("valid_to")),
                "verified": row["verified"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("finance", "0002_roles"), ("legal", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
