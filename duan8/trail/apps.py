from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrailConfig(AppConfig):
    """The audit viewer: the searchable trail, a plan's and a unit's history.

    It sits above the domains (it reads plans and units); ``core`` keeps only the recording
    (``core.audit``). Each app names its own actions in ``<app>/audit_actions.py``.
    """

    name = "duan8.trail"
    label = "trail"
    verbose_name = _("Audit trail")
    default_auto_field = "django.db.models.BigAutoField"
