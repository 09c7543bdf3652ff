from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "duan8.finance"
    label = "finance"
    verbose_name = _("Budget and spending")
    default_auto_field = "django.db.models.BigAutoField"
