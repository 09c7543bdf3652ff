from django.db import migrations

# The money's permission codes (accounts/permissions.py), copied here on purpose: migrations
# never import app code. The WU officer writes the estimate and proposes payments; the accountant
# records allocations received, vouchers and the settlement; the commune leader approves the
# estimate with the plan and the settlement; reviewers above read disbursement; the
# administrator edits the norms.
GRANTED = {
    "commune_wu_officer": ["finance.view", "finance.propose"],
    "commune_accountant": ["finance.view", "finance.edit"],
    "commune_leader": ["finance.view", "finance.approve"],
    "fatherland_front": ["finance.view"],
    "district_reviewer": ["finance.view"],
    "province_reviewer": ["finance.view"],
    "system_admin": ["finance.view", "finance.norms"],
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
    dependencies = [("finance", "0001_initial"), ("accounts", "0008_plans_assign_permission")]
    operations = [migrations.RunPython(forward, backward)]
