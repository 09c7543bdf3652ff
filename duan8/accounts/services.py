"""A user's own account: changing one's password.

Managing other users (creating them, granting and ending roles) rests on the access function and
lives in ``orgunits.users.services``.
"""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.core import audit
from duan8.core.problems import Invalid, Problem


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str) -> User:
    """A user changes their own password, proving they know the current one."""
    if not user.check_password(old_password):
        raise Invalid(
            [
                Problem(
                    "old_password",
                    _("The current password is not correct. Please enter it again."),
                    "password_incorrect",
                )
            ]
        )
    if new_password == old_password:
        raise Invalid(
            [
                Problem(
                    "new_password1",
                    _("The new password must be different from the current one."),
                    "password_unchanged",
                )
            ]
        )
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise Invalid(
            Problem("new_password1", message, "password_too_weak") for message in exc.messages
        ) from None
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit.record(actor=user, action="accounts.password.changed", target=user)
    return user
