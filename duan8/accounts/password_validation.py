"""Password rules with messages in our catalogue.

Django 5.2 changed the minimum-length message to ``%d`` and its Vietnamese catalogue still has
only the old ``%(min_length)d`` text, so that one message came out in English on Vietnamese pages.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: it must contain at least %(min_length)d character.",
            "This password is too short: it must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must contain at least %(min_length)d character.",
            "Your password must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
