from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    name = "duan8.offline"
    label = "offline"
    verbose_name = _("Offline entry")
    default_auto_field = "django.db.models.BigAutoField"
