from django.db import migrations

# The registry's permission codes (accounts/permissions.py), copied here on purpose: migrations
# never import app code. The health station and the village health workers propose and read the
# health fields; the commune WU officer verifies; the commune leader approves; the accountant
# pays; the administrator edits the rules. Reviewers above the commune get none: they see counts.
GRANTED = {
    "commune_health_station": ["mothers.propose", "mothers.view", "mothers.health"],
    "village_health_worker": ["mothers.propose", "mothers.view", "mothers.health"],
    "commune_wu_officer": ["mothers.view", "mothers.verify"],
    "commune_leader": ["mothers.view", "mothers.approve"],
    "commune_accountant": ["mothers.pay"],
    "system_admin": ["mothers.rules"],
}
NEW_ROLE = ("village_health_worker", "Nhân viên y tế thôn, bản", ["plans.view"])


def forward(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    code, name, permissions = NEW_ROLE
    Role.objects.get_or_create(code=code, defaults={"name": name, "permissions": permissions})
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
    Role.objects.filter(code=NEW_ROLE[0], memberships__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("mothers", "0001_initial"), ("accounts", "0007_remove_unchecked_permissions")]
    operations = [migrations.RunPython(forward, backward)]
