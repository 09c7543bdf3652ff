"""Give the reports approved before numbering existed their number ("12/BC-UBND").

The rule is the service's (``reports.services``), copied here (migrations never import app code):
per issuing unit and symbol, numbers run from 1 in each year of the report's date (its
submission, local time), in the order of approval.
"""

import zoneinfo

from django.conf import settings
from django.db import migrations


def forward(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    last = {}
    for report in (
        Report.objects.filter(status="approved", number__isnull=True)
        .select_related("schedule")
        .order_by("reviewed_at", "pk")
    ):
        day = report.submitted_at.astimezone(zone).date() if report.submitted_at else report.due_on
        symbol = str((report.schedule.document or {}).get("symbol") or "BC")
        key = (report.org_unit_id, symbol, day.year)
        if key not in last:
            taken = Report.objects.filter(
                org_unit_id=key[0], number_symbol=symbol, number_year=day.year
            ).values_list("number", flat=True)
            last[key] = max((n for n in taken if n is not None), default=0)
        last[key] += 1
        report.number, report.number_year, report.number_symbol = last[key], day.year, symbol
        report.save(update_fields=["number", "number_year", "number_symbol"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_add_report_number")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
