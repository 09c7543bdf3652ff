"""The audit actions of the API, in words (shown by the audit viewer, ``duan8.trail``)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "api.token.created": _("API token made"),
    "api.token.revoked": _("API token revoked"),
    "api.token.used": _("API token used"),
    "api.token.refused": _("API token refused"),
}
