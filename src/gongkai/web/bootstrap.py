"""Start-up steps shared by `gongkai serve`, `gongkai demo` and `gongkai worker`: settings, migrations,
the first administrator."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def setup_django(data_dir: Path | None = None) -> None:
    if data_dir is not None:
        os.environ["GONGKAI_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def ensure_first_admin(username: str = "admin") -> str | None:
    """Create the first administrator if there is none; return its one-time password, else None."""
    from django.contrib.auth import get_user_model

    from gongkai.web.accounts.models import Profile, Role

    User = get_user_model()
    if User.objects.filter(is_superuser=True).exists() or Profile.objects.filter(role=Role.ADMIN).exists():
        return None
    password = secrets.token_urlsafe(9)
    user = User.objects.create_superuser(username=username, password=password, email="")
    Profile.objects.create(user=user, role=Role.ADMIN, must_change_password=True)
    return password
