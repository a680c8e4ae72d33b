"""Issue an API token for a user in the API client or Admin role and print it, the only time it is shown."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.core.api.tokens import MAX_LIFETIME_DAYS, default_lifetime_days, issue_api_token


class Command(BaseCommand):
    help = "Create an API token for USERNAME (API client or Admin role) and print it once; only its hash is kept."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--expires-in",
            type=int,
            default=None,
            metavar="DAYS",
            help=f"Lifetime in days, 1 to {MAX_LIFETIME_DAYS} (default {default_lifetime_days()}).",
        )
        parser.add_argument("--name", default="", help="What the token is for, shown in the token list.")

    def handle(self, *args, **options) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: options["username"]})
        except User.DoesNotExist as exc:
            raise CommandError(f"No user named {options['username']!r}.") from exc
        try:
            row, token = issue_api_token(user, name=options["name"], lifetime_days=options["expires_in"])
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        self.stderr.write(f"Token for {user} expires {row.expiry:%Y-%m-%d %H:%M %Z}. It is shown only now:")
        self.stdout.write(token)
