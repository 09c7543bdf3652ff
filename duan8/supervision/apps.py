from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "duan8.supervision"
    label = "supervision"
    verbose_name = _("Supervision and social feedback")
    default_auto_field = "django.db.models.BigAutoField"
