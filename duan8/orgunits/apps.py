from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgunitsConfig(AppConfig):
    name = "duan8.orgunits"
    label = "orgunits"
    verbose_name = _("Administrative units")
    default_auto_field = "django.db.models.BigAutoField"
