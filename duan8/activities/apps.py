from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "duan8.activities"
    label = "activities"
    verbose_name = _("Work carried out")
    default_auto_field = "django.db.models.BigAutoField"
