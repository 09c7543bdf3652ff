"""The consent texts (data/consent_texts.json), loaded once at install so that a mother's consent
can be recorded before anyone runs ``duan8 load_consent_texts``. A version already there is
never changed (consents point at it). The loader is copied here on purpose: migrations never
import app code."""

import datetime
import json
from pathlib import Path

from django.db import migrations

TEXTS_FILE = Path(__file__).resolve().parent.parent / "data" / "consent_texts.json"


def forward(apps, schema_editor):
    ConsentText = apps.get_model("mothers", "ConsentText")
    data = json.loads(TEXTS_FILE.read_text(encoding="utf-8"))
    for item in data["texts"]:
        ConsentText.objects.get_or_create(
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


class Migration(migrations.Migration):
    dependencies = [("mothers", "0003_load_package_rules")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
