from django.db import migrations

# records.personal: names, ethnicity and years of birth of members, participants and cadres
# (sensitive personal data, NĐ 13/2023/NĐ-CP). Held by those who record them; every read of a
# list of persons is written to the audit trail. Reviewers above and the Fatherland Front see
# counts only.
HOLDERS = ["commune_wu_officer", "village_head", "village_women_head", "system_admin"]
PERMISSION = "records.personal"


def forward(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=HOLDERS):
        if PERMISSION not in role.permissions:
            role.permissions = [*role.permissions, PERMISSION]
            role.save(update_fields=["permissions"])


def backward(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for role in Role.objects.filter(code__in=HOLDERS):
        role.permissions = [p for p in role.permissions if p != PERMISSION]
        role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_add_login_failure")]
    operations = [migrations.RunPython(forward, backward)]
