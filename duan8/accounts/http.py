"""The request type of a signed-in page, for type checking.

Every page but the few marked ``@login_not_required`` runs behind ``LoginRequiredMiddleware``,
so its ``request.user`` is a ``User``; views annotate ``request: AuthedRequest`` to say so.
"""

from django.http import HttpRequest

from duan8.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
