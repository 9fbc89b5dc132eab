"""`ficarchive account`: make accounts and give roles from the command line."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.accounts.models import User
from ficarchive.accounts.roles import account_create, user_roles_set
from ficarchive.accounts.services import AccountError


class Command(BaseCommand):
    help = (
        "Make an account that can log in at once (no confirmation mail), or give an account "
        "the admin or wrangler role: `account create LOGIN --email ADDRESS [--admin] "
        "[--wrangler]`, `account promote LOGIN [--admin] [--wrangler]`, `account demote ...`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser(
            "create",
            help="make an active account; the password is asked for (or read from standard "
            "input when it is not a terminal)",
        )
        create.add_argument("login")
        create.add_argument("--email", default="", help="its address (optional)")
        for action in (create, *self._role_parsers(actions)):
            action.add_argument("--admin", action="store_true", help="archive admin")
            action.add_argument("--wrangler", action="store_true", help="tag wrangler")

    @staticmethod
    def _role_parsers(actions: Any) -> list[Any]:
        promote = actions.add_parser("promote", help="give an account roles")
        demote = actions.add_parser("demote", help="take roles back from an account")
        for parser in (promote, demote):
            parser.add_argument("login")
        return [promote, demote]

    def handle(self, *args: Any, **options: Any) -> None:
        login = options["login"]
        roles = [name for name in ("admin", "wrangler") if options[name]]
        if options["action"] == "create":
            password = _password()
            try:
                account_create(
                    login,
                    options["email"],
                    password,
                    admin=options["admin"],
                    wrangler=options["wrangler"],
                )
            except AccountError as error:
                raise CommandError(str(error)) from error
            made = f" ({', '.join(roles)})" if roles else ""
            self.stdout.write(f"Made the account {login}{made}; it can log in now.")
            return
        user = User.objects.by_login(login, active_only=False)
        if user is None:
            raise CommandError(f"No account has the login {login!r}.")
        if not roles:
            raise CommandError("Name a role: --admin, --wrangler or both.")
        give = options["action"] == "promote"
        user_roles_set(
            user,
            admin=give if options["admin"] else None,
            wrangler=give if options["wrangler"] else None,
        )
        verb = "is now" if give else "is no longer"
        self.stdout.write(f"{user.login} {verb} {' and '.join(roles)}.")


def _password() -> str:
    if not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise CommandError("No password on standard input.")
        return password
    password = getpass.getpass("Password: ")
    if password != getpass.getpass("Password (again): "):
        raise CommandError("The passwords differ.")
    return password
