from django.db import migrations

# Copied here on purpose (migrations never import app code). Permission codes:
# plans.view, plans.edit, plans.approve, orgunits.manage_villages.
ROLES = [
    ("commune_wu_officer", "Cán bộ Hội LHPN xã", ["plans.view", "plans.edit", "orgunits.manage_villages"]),
    ("village_head", "Trưởng thôn", ["plans.view"]),
    ("village_women_head", "Chi hội trưởng phụ nữ thôn", ["plans.view"]),
    ("commune_leader", "Lãnh đạo UBND xã", ["plans.view", "plans.approve"]),
    ("commune_accountant", "Kế toán xã", ["plans.view"]),
    ("commune_health_station", "Trạm y tế xã", ["plans.view"]),
    ("fatherland_front", "Ủy ban MTTQ xã (giám sát)", ["plans.view"]),
    ("district_reviewer", "Cán bộ cấp huyện (xem xét)", ["plans.view"]),
    ("province_reviewer", "Cán bộ cấp tỉnh (xem xét)", ["plans.view"]),
]


def forward(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, name, permissions in ROLES:
        Role.objects.update_or_create(code=code, defaults={"name": name, "permissions": permissions})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
