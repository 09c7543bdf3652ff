from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data, at the top of the apps: it drives every other app's services.

    ``seed_demo`` (xã Ba Trang's real 2023 plan, a year of invented work and its reports, demo
    logins) and ``generate_demo`` (synthetic records on the real map, for demos and benchmarks).
    No app imports it.
    """

    name = "duan8.demo"
    label = "demo"
    verbose_name = _("Demo data")
    default_auto_field = "django.db.models.BigAutoField"
