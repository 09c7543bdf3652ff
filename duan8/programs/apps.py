from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "duan8.programs"
    label = "programs"
    verbose_name = _("Programs and plans")
    default_auto_field = "django.db.models.BigAutoField"
