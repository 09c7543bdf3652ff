from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "duan8.legal"
    label = "legal"
    verbose_name = _("Legal documents")
    default_auto_field = "django.db.models.BigAutoField"
