from django.db import migrations

# The central agencies (issue 18): the Women's Union centre and the ministry in charge of ethnic
# affairs (Bộ Dân tộc và Tôn giáo after 2025) read the whole country's plans, records and money
# and review what the provinces submit, as a province reviewer does for its communes; the role
# is held in Việt Nam, the unit above every province. No personal data (registry.*,
# records.personal): the country is read as counts.
# Copied here on purpose (migrations never import app code).
CODE = "national_reviewer"
NAME = "Cán bộ xem xét cấp trung ương (TW Hội LHPN, Bộ Dân tộc và Tôn giáo)"
PERMISSIONS = ["plans.view", "records.view", "reports.review", "audit.view", "finance.view"]


def forward(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    Role.objects.update_or_create(code=CODE, defaults={"name": NAME, "permissions": PERMISSIONS})


def backward(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    Role.objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_plans_assign_permission")]
    operations = [migrations.RunPython(forward, backward)]
