from django.db import migrations

# plans.assign (issue 12, point 3): write and approve the plan of one's own unit, the plan that
# assigns targets to the communes below; held at the unit itself (orgunits.access.can_here), it
# never reaches the plans of the units below, as plans.edit would. The reviewers of a province
# and (until 30/6/2025) of a district write their unit's assignment plan.
# Copied here on purpose (migrations never import app code).
HOLDERS = ["province_reviewer", "district_reviewer"]
PERMISSION = "plans.assign"


def forward(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=HOLDERS):
        if PERMISSION not in role.permissions:
            role.permissions = [*role.permissions, PERMISSION]
            role.save(update_fields=["permissions"])


def backward(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=HOLDERS):
        if PERMISSION in role.permissions:
            role.permissions = [p for p in role.permissions if p != PERMISSION]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_remove_unchecked_permissions")]
    operations = [migrations.RunPython(forward, backward)]
