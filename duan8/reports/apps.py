from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "duan8.reports"
    label = "reports"
    verbose_name = _("Reports to the level above")
    default_auto_field = "django.db.models.BigAutoField"
