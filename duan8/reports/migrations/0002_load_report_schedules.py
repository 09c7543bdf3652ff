"""Load the shipped report schedules (duan8/reports/data/schedules/*.json).

The loader is copied here (migrations never import app code); ``reports.schedules.schedules_load``
checks the files and loads them again after a change (the tests check that both agree).
"""

import datetime
import json
from pathlib import Path

from django.db import migrations

SCHEDULE_DIR = Path(__file__).resolve().parent.parent / "data" / "schedules"


def _date(raw):
    return datetime.date.fromisoformat(raw) if raw else None


def forward(apps, schema_editor):
    ReportSchedule = apps.get_model("reports", "ReportSchedule")
    for path in sorted(SCHEDULE_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data["schedules"]:
            due = item.get("due") or {}
            ReportSchedule.objects.update_or_create(
                code=item["code"],
                defaults={
                    "name": item["name"],
                    "kind": item["kind"],
                    "channel": item["channel"],
                    "reporter": item.get("reporter", ""),
                    "reporting_level": item["reporting_level"],
                    "recipient_level": item["recipient_level"],
                    "recipients": "\n".join(item.get("recipients") or []),
                    "due_month": due.get("month"),
                    "due_day": due.get("day"),
                    "due_year_offset": int(due.get("year_offset") or 0),
                    "period_kind": item["period"],
                    "valid_from": _date(item.get("valid_from", data.get("valid_from"))),
                    "valid_to": _date(item.get("valid_to", data.get("valid_to"))),
                    "document": item.get("document") or {},
                    "legal_basis": item.get("legal_basis", ""),
                    "notes": "\n".join(data.get("notes") or []),
                    "order": int(item.get("order") or 0),
                },
            )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_add_report_schedule_report_step")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
