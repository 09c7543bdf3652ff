from django.db import migrations

# Supervision's permission codes (accounts/permissions.py), copied here on purpose: migrations
# never import app code. The Fatherland Front and the commune WU officer plan and record
# supervision (and comment on draft plans); the WU officer and the commune leader answer the
# recommendations addressed to their commune.
GRANTED = {
    "fatherland_front": ["supervision.record"],
    "commune_wu_officer": ["supervision.record", "supervision.answer"],
    "commune_leader": ["supervision.answer"],
}


def forward(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=GRANTED):
        missing = [p for p in GRANTED[role.code] if p not in role.permissions]
        if missing:
            role.permissions = [*role.permissions, *missing]
            role.save(update_fields=["permissions"])


def backward(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=GRANTED):
        kept = [p for p in role.permissions if p not in GRANTED[role.code]]
        if kept != role.permissions:
            role.permissions = kept
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial"), ("accounts", "0008_plans_assign_permission")]
    operations = [migrations.RunPython(forward, backward)]
