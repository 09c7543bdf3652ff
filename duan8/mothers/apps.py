from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MothersConfig(AppConfig):
    name = "duan8.mothers"
    label = "mothers"
    verbose_name = _("Safe-motherhood packages")
    default_auto_field = "django.db.models.BigAutoField"
