"""``manage.py ensure_demo_staff``: make sure the demo has a staff login; print it."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

DEFAULT_USERNAME = "derci"
DEFAULT_PASSWORD = "derci-demo"
DEFAULT_PORT = "8000"


def default_admin_url() -> str:
    """The demo server's back office, on the port ``make demo`` serves on (PORT)."""
    return f"http://127.0.0.1:{os.environ.get('PORT') or DEFAULT_PORT}/admin/"


class Command(BaseCommand):
    help = (
        "Create the demo superuser if missing (username and password from the options, "
        "DEMO_STAFF_USERNAME / DEMO_STAFF_PASSWORD, or derci / derci-demo), reset its "
        "password to the given one, and print the login."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--username",
            default=os.environ.get("DEMO_STAFF_USERNAME") or DEFAULT_USERNAME,
            help="Login of the demo account (env DEMO_STAFF_USERNAME; default derci).",
        )
        parser.add_argument(
            "--password",
            default=os.environ.get("DEMO_STAFF_PASSWORD") or DEFAULT_PASSWORD,
            help="Password of the demo account (env DEMO_STAFF_PASSWORD; "
            "default derci-demo).",
        )
        parser.add_argument(
            "--email",
            default=os.environ.get("DEMO_STAFF_EMAIL", ""),
            help="E-mail address of the demo account (env DEMO_STAFF_EMAIL).",
        )
        parser.add_argument(
            "--admin-url",
            default=os.environ.get("DEMO_ADMIN_URL") or default_admin_url(),
            help="Back-office address printed with the login (env DEMO_ADMIN_URL; "
            "default http://127.0.0.1:$PORT/admin/, PORT 8000 unless set).",
        )

    def handle(self, *args, username, password, email, admin_url, **options):
        if not username or not password:
            raise CommandError("The demo account needs a username and a password.")
        if getattr(settings, "PRODUCTION", False) and password == DEFAULT_PASSWORD:
            raise CommandError(
                "Refusing to give a production superuser the public demo password: "
                "pass --password or set DEMO_STAFF_PASSWORD."
            )
        User = get_user_model()
        with transaction.atomic():
            user = User._default_manager.filter(
                **{User.USERNAME_FIELD: username}
            ).first()
            created = user is None
            if created:
                user = User._default_manager.create_superuser(
                    username=username, email=email, password=password
                )
            else:
                user.is_active = user.is_staff = user.is_superuser = True
                if email:
                    user.email = email
                # Reset the password so that the login printed below always works.
                user.set_password(password)
                user.save()
        verb = "Created" if created else "Kept"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} the demo superuser {username!r}.")
        )
        self.stdout.write(
            f"Staff login: {admin_url}  user: {username}  password: {password}"
        )
