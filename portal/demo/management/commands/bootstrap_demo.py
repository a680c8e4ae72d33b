"""Create the demo's admin and coordinator (once) and print how to sign in.

Passwords are generated on first run and kept in var/demo-credentials.json so a restart prints the same ones.
"""

from __future__ import annotations

import json
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from portal.core.roles import Role, grant_role
from portal.settings.env import VAR_DIR

DEMO_USERS = (
    ("admin", Role.ADMIN, "Avery", "Admin"),
    ("coordinator", Role.COORDINATOR, "Casey", "Coordinator"),
)


class Command(BaseCommand):
    help = "Create the demo superuser and coordinator and print their credentials."

    def handle(self, *args, **options) -> None:
        path = VAR_DIR / "demo-credentials.json"
        saved = json.loads(path.read_text()) if path.exists() else {}
        User = get_user_model()
        for username, role, first, last in DEMO_USERS:
            password = saved.get(username) or secrets.token_urlsafe(12)
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.staffing.test"},
            )
            if created or not user.check_password(password):
                user.set_password(password)
                user.is_superuser = role is Role.ADMIN
                user.save()
            grant_role(user, role)
            saved[username] = password
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(saved))
        path.chmod(0o600)
        base = settings.PORTAL_BASE_URL
        for username, role, *_ in DEMO_USERS:
            self.stdout.write(f"  {role.value:<12} {username} / {saved[username]}")
        self.stdout.write(f"  Sign in at {base}/accounts/login/")
