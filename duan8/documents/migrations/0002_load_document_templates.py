"""Load the shipped document templates (duan8/documents/data/templates/*.json) once.

Rows already present are left alone, so an administrator's edits survive. Later changes to the
files are loaded with ``duan8 load_document_templates --replace``.
"""

import json
from pathlib import Path

from django.db import migrations

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "data" / "templates"


def forward(apps, schema_editor):
    DocumentTemplate = apps.get_model("documents", "DocumentTemplate")
    for path in sorted(TEMPLATE_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if DocumentTemplate.objects.filter(key=data["key"]).exists():
            continue
        DocumentTemplate.objects.create(
            key=data["key"],
            name=data["name"],
            document_type=data["document_type"],
            notes="\n".join(data.get("notes") or []),
            layout=data.get("layout") or {},
            agency=data.get("agency") or {},
            texts=data.get("texts") or {},
            recipients="\n".join(data.get("recipients") or []),
            signature=data.get("signature") or {},
            checks=data.get("checks") or {},
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_add_document_template")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
