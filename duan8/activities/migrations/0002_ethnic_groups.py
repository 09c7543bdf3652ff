import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "ethnic_groups.json"


def load(apps, schema_editor):
    EthnicGroup = apps.get_model("activities", "EthnicGroup")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for row in data["groups"]:
        EthnicGroup.objects.update_or_create(
            code_system=data["code_system"],
            code=row["code"],
            defaults={
                "name": row["name"],
                "aliases": row["aliases"],
                "is_minority": row["is_minority"],
            },
        )


def unload(apps, schema_editor):
    apps.get_model("activities", "EthnicGroup").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
