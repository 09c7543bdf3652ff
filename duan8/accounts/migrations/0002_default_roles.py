from django.db import migrations

# Copied here on purpose (migrations never import app code). Permission codes:
#   plans.view / plans.edit / plans.approve     plans, targets, allocation
#   records.view / records.edit                 what is carried out (events, teams, members)
#   orgunits.manage_villages                    create villages, set their dated attributes
#   supervision.record                          supervision findings (Fatherland Front)
#   reports.review                              review, return and approve what is submitted
#   finance.view / finance.edit                 budget and spending
#   registry.view / registry.edit               safe-motherhood registry (sensitive data)
#   users.manage                                create users and assign roles below oneself
#   audit.view                                  the searchable audit trail
VIEW = ["plans.view", "records.view"]
ROLES = [
    (
        "commune_wu_officer",
        "Cán bộ Hội LHPN xã",
        [
            *VIEW,
            "plans.edit",
            "records.edit",
            "orgunits.manage_villages",
            "finance.view",
            "users.manage",
        ],
    ),
    ("village_head", "Trưởng thôn", [*VIEW, "records.edit"]),
    ("village_women_head", "Chi hội trưởng phụ nữ thôn", [*VIEW, "records.edit"]),
    (
        "commune_leader",
        "Lãnh đạo UBND xã (Chủ tịch, Phó Chủ tịch)",
        [*VIEW, "plans.approve", "reports.review", "finance.view", "audit.view"],
    ),
    ("commune_accountant", "Kế toán xã", [*VIEW, "finance.view", "finance.edit"]),
    ("commune_health_station", "Trạm y tế xã", [*VIEW, "registry.view", "registry.edit"]),
    ("fatherland_front", "Ủy ban MTTQ Việt Nam xã (giám sát)", [*VIEW, "supervision.record", "audit.view"]),
    ("district_reviewer", "Cán bộ xem xét cấp huyện (đến 30/6/2025)", [*VIEW, "reports.review", "audit.view"]),
    ("province_reviewer", "Cán bộ xem xét cấp tỉnh", [*VIEW, "reports.review", "audit.view"]),
    (
        "system_admin",
        "Quản trị hệ thống",
        [*VIEW, "plans.edit", "records.edit", "orgunits.manage_villages", "users.manage", "audit.view"],
    ),
]

def forward(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, name, permissions in ROLES:
        Role.objects.update_or_create(code=code, defaults={"name": name, "permissions": permissions})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
