"""Việt Nam above the provinces of both maps (issue 18): a unit of level 0, code VN, valid on
every date; every province without a parent is put under it, and every path gains its segment
(paths are materialised: ``/<root id>/<province id>/…``)."""

from django.db import migrations, models
from django.db.models import CharField, Value
from django.db.models.functions import Concat


def forward(apps, schema_editor):
    OrgUnit = apps.get_model("orgunits", "OrgUnit")
    root, created = OrgUnit.objects.get_or_create(
        code_scheme="national",
        level=0,
        code="VN",
        defaults={"kind": "Quốc gia", "name": "Việt Nam"},
    )
    prefix = f"/{root.pk:08d}/"
    if created or not root.path:
        root.path = prefix
        root.save(update_fields=["path"])
    tops = OrgUnit.objects.filter(parent__isnull=True).exclude(pk=root.pk)
    tops.update(parent=root)
    OrgUnit.objects.exclude(pk=root.pk).exclude(path__startswith=prefix).update(
        path=Concat(Value(prefix[:-1]), "path", output_field=CharField())
    )


def backward(apps, schema_editor):
    OrgUnit = apps.get_model("orgunits", "OrgUnit")
    root = OrgUnit.objects.filter(code_scheme="national", level=0, code="VN").first()
    if root is None:
        return
    prefix = root.path
    OrgUnit.objects.filter(parent=root).update(parent=None)
    for unit in OrgUnit.objects.filter(path__startswith=prefix).exclude(pk=root.pk):
        unit.path = unit.path[len(prefix) - 1 :]
        unit.save(update_fields=["path"])
    root.delete()


class Migration(migrations.Migration):
    dependencies = [("orgunits", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="orgunit",
            name="level",
            field=models.PositiveSmallIntegerField(
                choices=[(0, "Country"), (1, "Province"), (2, "District"), (3, "Commune"), (4, "Village")],
                verbose_name="level",
            ),
        ),
        migrations.AlterField(
            model_name="orgunit",
            name="code_scheme",
            field=models.CharField(
                choices=[
                    ("qd124_2004", "QĐ 124/2004/QĐ-TTg (until 30/6/2025)"),
                    ("qd19_2025", "QĐ 19/2025/QĐ-TTg (from 1/7/2025)"),
                    ("local", "Local code (villages)"),
                    ("national", "The country (ISO 3166-1: VN)"),
                ],
                max_length=20,
                verbose_name="code scheme",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
