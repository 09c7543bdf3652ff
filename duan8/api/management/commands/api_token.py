"""``duan8 api_token --user NAME [--read-only] [--days N] [--name TEXT]``: a new API token of a
user, for a script or a server that has no browser.

Standard output carries one line, the key, so a script can capture it
(``KEY=$(duan8 api_token --user hlhpn.batrang)``); what the token is goes to standard error.
The key is printed this once (only its hash is kept). The creation is audited as the user's own
(from the command line, without an address), as when the user makes one on the account page.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from duan8.accounts.models import User
from duan8.api.tokens import DEFAULT_DAYS, api_token_create


class Command(BaseCommand):
    help = (
        "Make a personal API token of a user and print its key once (the key alone on standard"
        " output; what it is on standard error)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, metavar="NAME", help="the user's user name")
        parser.add_argument(
            "--read-only",
            action="store_true",
            help="a token that may only read (default: read and write)",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"days it lasts, 1 to {settings.API_TOKEN_MAX_DAYS} (default {DEFAULT_DAYS})",
        )
        parser.add_argument(
            "--name",
            default="",
            metavar="TEXT",
            help="where the token is used (default: “command line” and the date)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(_("No user “%(name)s”.") % {"name": options["user"]})
        name = options["name"] or _("command line %(date)s") % {
            "date": timezone.localdate().strftime("%d/%m/%Y")
        }
        try:
            token, key = api_token_create(
                actor=user, name=name, read_only=options["read_only"], days=options["days"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        assert token.expiry_date is not None
        self.stderr.write(
            _(
                "API token %(prefix)s (“%(name)s”) of %(user)s, %(scope)s, valid until %(date)s."
                " Its key, printed once:"
            )
            % {
                "prefix": token.prefix,
                "name": token.name,
                "user": user.get_username(),
                "scope": token.get_scope_display(),
                "date": timezone.localtime(token.expiry_date).strftime("%d/%m/%Y"),
            }
        )
        self.stdout.write(key)
